/**
 * Every app setting autotier reads, with its default. The README's configuration reference and the
 * Bicep app settings are checked against this list.
 */
export const SETTINGS = {
  AzureWebJobsStorage: {
    default: undefined,
    doc: 'Storage for tables, queues and Durable Functions (or the __tableServiceUri/__queueServiceUri identity form).',
  },
  AUTOTIER_TASK_HUB: { default: 'autotier', doc: 'Durable Functions task hub name.' },
  AUTOTIER_TABLE_PREFIX: {
    default: 'autotier',
    doc: 'Prefix of every table autotier creates (letters and digits).',
  },
  AUTOTIER_MAIL_MODE: {
    default: 'outbox',
    doc: '`outbox` keeps mail in a table (local runs); `acs` sends through Azure Communication Services.',
  },
  AUTOTIER_ACS_ENDPOINT: {
    default: undefined,
    doc: 'ACS endpoint, e.g. https://<name>.communication.azure.com (mail mode acs).',
  },
  AUTOTIER_MAIL_FROM: { default: 'DoNotReply@autotier.local', doc: 'Sender address for mail to requesters.' },
  AUTOTIER_PUBLIC_BASE_URL: {
    default: 'http://localhost:7071',
    doc: 'Base URL that links in mails point at.',
  },
  AUTOTIER_LINK_SIGNING_KEY: {
    default: undefined,
    doc: 'Secret that signs the yes/no links in mails (a Key Vault reference in Azure; npm start makes one under .azurite/).',
  },
  AUTOTIER_TIER_QUEUE_PREFIX: {
    default: 'autotier-tier',
    doc: 'Tier notifications go to queues <prefix>1, <prefix>2, <prefix>3.',
  },
  AZURE_CLIENT_ID: {
    default: undefined,
    doc: 'Client id of the user-assigned managed identity the app uses for ACS (and other Azure APIs).',
  },
  AUTOTIER_CLIENT_PROFILE: {
    default: undefined,
    doc: 'JSON {clientId, name, slaTier, businessHours} from the deployment; written to the Clients table on start.',
  },
  AUTOTIER_PSA_TYPE: {
    default: 'none',
    doc: 'connectwise, autotask, halopsa or none (the PSA adapters arrive with the intake issue).',
  },
  AUTOTIER_PSA_BASE_URL: { default: undefined, doc: 'PSA API base URL.' },
  AUTOTIER_PSA_COMPANY_ID: { default: undefined, doc: 'PSA company / tenant id.' },
  AUTOTIER_PSA_SECRET: {
    default: undefined,
    doc: 'PSA API or webhook secret (a Key Vault reference in Azure).',
  },
  AUTOTIER_SUPPORT_MAILBOX: { default: undefined, doc: 'The shared support mailbox tickets arrive at.' },
  AUTOTIER_WEBHOOK_SECRETS: {
    default: undefined,
    doc: 'Secrets of the generic webhook, comma-separated, newest first (two during a rotation). A Key Vault reference in Azure.',
  },
  AUTOTIER_INTAKE_QUEUE: {
    default: 'autotier-intake',
    doc: 'Queue that accepted webhook deliveries wait on until they become tickets.',
  },
  AUTOTIER_DEV_ENDPOINTS: {
    default: 'false',
    doc: '`true` enables GET /api/dev/outbox (set by the local runtime, never in Azure).',
  },
} as const;

export type SettingName = keyof typeof SETTINGS;

export interface AppConfig {
  taskHub: string;
  tablePrefix: string;
  mailMode: 'outbox' | 'acs';
  acsEndpoint?: string;
  mailFrom: string;
  publicBaseUrl: string;
  devEndpoints: boolean;
  linkSigningKey?: string;
  tierQueuePrefix: string;
  clientProfile?: string;
  webhookSecrets: string[];
  intakeQueue: string;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const get = (name: SettingName): string | undefined => env[name] ?? SETTINGS[name].default;
  const mailMode = get('AUTOTIER_MAIL_MODE');
  if (mailMode !== 'outbox' && mailMode !== 'acs')
    throw new Error('AUTOTIER_MAIL_MODE must be outbox or acs');
  const tablePrefix = get('AUTOTIER_TABLE_PREFIX') ?? '';
  if (!/^[A-Za-z][A-Za-z0-9]{0,40}$/.test(tablePrefix))
    throw new Error('AUTOTIER_TABLE_PREFIX must be letters and digits');
  return {
    taskHub: get('AUTOTIER_TASK_HUB') ?? 'autotier',
    tablePrefix,
    mailMode,
    acsEndpoint: get('AUTOTIER_ACS_ENDPOINT'),
    mailFrom: get('AUTOTIER_MAIL_FROM') ?? '',
    publicBaseUrl: (get('AUTOTIER_PUBLIC_BASE_URL') ?? '').replace(/\/$/, ''),
    devEndpoints: get('AUTOTIER_DEV_ENDPOINTS') === 'true',
    linkSigningKey: get('AUTOTIER_LINK_SIGNING_KEY'),
    tierQueuePrefix: get('AUTOTIER_TIER_QUEUE_PREFIX') ?? 'autotier-tier',
    clientProfile: get('AUTOTIER_CLIENT_PROFILE'),
    webhookSecrets: (get('AUTOTIER_WEBHOOK_SECRETS') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    intakeQueue: get('AUTOTIER_INTAKE_QUEUE') ?? 'autotier-intake',
  };
}

/** The blob container that holds this deployment's published classifier models. */
export function modelContainer(tablePrefix: string): string {
  return `${tablePrefix.toLowerCase()}-models`;
}

/** The blob container that holds knowledge-base pictures. */
export function kbImagesContainer(tablePrefix: string): string {
  return `${tablePrefix.toLowerCase()}-kb`;
}
