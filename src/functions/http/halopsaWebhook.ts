import { registerPsaWebhook } from './registerPsaWebhook';

registerPsaWebhook('halopsa');
