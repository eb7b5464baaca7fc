import { registerPsaWebhook } from './registerPsaWebhook';

registerPsaWebhook('autotask');
