import { describePsaWebhook } from './psaWebhookScenario';

describePsaWebhook('halopsa');
