import { describePsaWebhook } from './psaWebhookScenario';

describePsaWebhook('autotask');
