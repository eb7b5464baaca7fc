import { registerPsaWebhook } from './registerPsaWebhook';

registerPsaWebhook('connectwise');
