import { describePsaWebhook } from './psaWebhookScenario';

describePsaWebhook('connectwise');
