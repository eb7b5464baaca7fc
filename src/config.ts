import { type AlertRouting, parseAlertRouting } from './domain/alerts';
import { PSA_VENDORS, type PsaVendor } from './domain/psa';

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
    doc: '`outbox` keeps mail in a table (local runs); `acs` sends through Azure Communication Services; `graph` sends from AUTOTIER_SUPPORT_MAILBOX through Microsoft Graph sendMail.',
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
  AUTOTIER_HISTORY_RETENTION_DAYS: {
    default: '30',
    doc: 'Days the Durable history of a finished ticket workflow is kept before it is purged (tickets, timelines and outcomes stay).',
  },
  AUTOTIER_RAW_RETENTION_DAYS: {
    default: '30',
    doc: 'Days raw copies (raw mail in Blob, review entries, claim-checked deliveries) are kept for audit and re-processing before they are deleted.',
  },
  AUTOTIER_TIER_QUEUE_PREFIX: {
    default: 'autotier-tier',
    doc: 'Tier notifications go to queues <prefix>1, <prefix>2, <prefix>3; on-call pages to <prefix>oncall.',
  },
  AUTOTIER_NOTIFY: {
    default: undefined,
    doc: 'JSON {"tier1": {"webhook", "email"}, "tier2": ..., "tier3": ..., "oncall": ...}: where each audience\'s alerts are delivered (a Teams Workflows webhook, a mail address; each optional). Unset: alerts stay in their queues. A Key Vault reference in Azure (webhook URLs carry a signature).',
  },
  AZURE_CLIENT_ID: {
    default: undefined,
    doc: 'Client id of the user-assigned managed identity the app uses for ACS (and other Azure APIs).',
  },
  APPLICATIONINSIGHTS_CONNECTION_STRING: {
    default: undefined,
    doc: 'Application Insights (set by the Bicep): outcome events go there as custom events `autotier.outcome` and the `autotier.outcomes` metric, signed in with the managed identity. Unset locally: no telemetry.',
  },
  AUTOTIER_CLIENT_PROFILE: {
    default: undefined,
    doc: 'JSON {clientId, name, slaTier, businessHours} from the deployment; written to the Clients table on start.',
  },
  AUTOTIER_PSA_TYPE: {
    default: 'none',
    doc: '`connectwise`, `autotask`, `halopsa` or `none`: the PSA tickets come from and write-backs go to.',
  },
  AUTOTIER_PSA_BASE_URL: {
    default: undefined,
    doc: 'PSA API root: ConnectWise `https://<site>/v4_6_release/apis/3.0`, Autotask `https://webservicesN.autotask.net/atservicesrest/v1.0`, Halo `https://<tenant>.halopsa.com`.',
  },
  AUTOTIER_PSA_COMPANY_ID: { default: undefined, doc: 'ConnectWise: the company id you sign in with.' },
  AUTOTIER_PSA_CLIENT_ID: {
    default: undefined,
    doc: 'ConnectWise: the integration clientId. Autotask: the API integration code. Halo: the API application client id.',
  },
  AUTOTIER_PSA_USERNAME: {
    default: undefined,
    doc: 'ConnectWise: the API member public key. Autotask: the API user name.',
  },
  AUTOTIER_PSA_SECRET: {
    default: undefined,
    doc: 'ConnectWise: the private key. Autotask: the API user secret. Halo: the client secret. A Key Vault reference in Azure.',
  },
  AUTOTIER_PSA_WEBHOOK_SECRETS: {
    default: undefined,
    doc: 'Autotask: the webhook SecretKey(s). Halo: the Basic `user:password` pair(s). Comma-separated, two during a rotation. A Key Vault reference in Azure.',
  },
  AUTOTIER_PSA_MAPPING: {
    default: undefined,
    doc: 'JSON `{companies: {<PSA company id or identifier>: <client id>}, tiers: {"1": <board/queue/team>, ...}, statuses: {in_progress, waiting_on_requester, resolved, closed}, selfIds: [<autotier API member/resource ids>]}`.',
  },
  AUTOTIER_SUPPORT_MAILBOX: { default: undefined, doc: 'The shared support mailbox tickets arrive at.' },
  AUTOTIER_WEBHOOK_SECRETS: {
    default: undefined,
    doc: 'Secrets of the generic webhook, comma-separated, newest first (two during a rotation). A Key Vault reference in Azure.',
  },
  AUTOTIER_MAIL_INTAKE_SECRETS: {
    default: undefined,
    doc: 'Basic `user:password` pair(s) for POST /api/mail/inbound (raw MIME, SendGrid Inbound Parse). Comma-separated. A Key Vault reference in Azure.',
  },
  AUTOTIER_GRAPH_BASE_URL: { default: 'https://graph.microsoft.com/v1.0', doc: 'Microsoft Graph API root.' },
  AUTOTIER_GRAPH_AUTH: {
    default: 'managed-identity',
    doc: '`managed-identity`, `client-secret` (an app registration in the client tenant) or `none` (a local Graph emulator only).',
  },
  AUTOTIER_GRAPH_TENANT_ID: { default: undefined, doc: 'Client tenant id (Graph auth client-secret).' },
  AUTOTIER_GRAPH_CLIENT_ID: {
    default: undefined,
    doc: 'App registration client id (Graph auth client-secret).',
  },
  AUTOTIER_GRAPH_CLIENT_SECRET: {
    default: undefined,
    doc: 'App registration secret (Graph auth client-secret). A Key Vault reference in Azure.',
  },
  AUTOTIER_DIRECTORY_CLIENT_SECRET: {
    default: undefined,
    doc: "Secret of the app registration in the client's tenant, for a directory connection with credential client-secret (workload-identity needs none). A Key Vault reference in Azure.",
  },
  AUTOTIER_GRAPH_CLIENT_STATE: {
    default: undefined,
    doc: 'Secret Graph echoes in every change notification (comma-separated during a rotation; the first is used for new subscriptions). Setting it and AUTOTIER_SUPPORT_MAILBOX turns Graph mail intake on.',
  },
  AUTOTIER_INTAKE_QUEUE: {
    default: 'autotier-intake',
    doc: 'Queue that accepted webhook deliveries wait on until they become tickets.',
  },
  AUTOTIER_EASY_AUTH: {
    default: '0',
    doc: "`1` where App Service authentication (Entra sign-in, unauthenticated requests allowed) fronts the app: the requester portal then needs the signed-in user (`x-ms-client-principal`) and trusts its email, unless the client's profile allows anonymous filing (`portal: {anonymous: true}`).",
  },
  AUTOTIER_OPENAI_ENDPOINT: {
    default: undefined,
    doc: "The MSP's Azure OpenAI resource, e.g. https://<name>.openai.azure.com. With AUTOTIER_OPENAI_DEPLOYMENT it turns the optional assistant on (second opinions, escalation briefings, replies, KB drafts); unset, autotier uses its own classifier and rules only.",
  },
  AUTOTIER_OPENAI_DEPLOYMENT: {
    default: undefined,
    doc: 'The chat model deployment on that resource (a chat model such as gpt-4o-mini, answering JSON objects).',
  },
  AUTOTIER_OPENAI_API_VERSION: { default: '2024-10-21', doc: 'Azure OpenAI data-plane API version.' },
  AUTOTIER_OPENAI_API_KEY: {
    default: undefined,
    doc: "Local runs only: the resource's key. In Azure leave it unset: the app signs in with its managed identity (role Cognitive Services OpenAI User).",
  },
  AUTOTIER_OPENAI_DAILY_TOKENS: {
    default: '200000',
    doc: 'Tokens each client may use per UTC day (prompt and answer); past it autotier falls back to its own rules until the next day.',
  },
  AUTOTIER_OPENAI_TIMEOUT_MS: {
    default: '5000',
    doc: 'How long one request to the model may take before autotier goes on without it.',
  },
  AUTOTIER_DEV_ENDPOINTS: {
    default: 'false',
    doc: '`true` enables GET /api/dev/outbox (set by the local runtime, never in Azure).',
  },
} as const;

export type SettingName = keyof typeof SETTINGS;

/**
 * Settings the platform sets, never the Bicep (so they are not in SETTINGS, whose every entry the
 * Bicep must set), read here like the app's own.
 */
export const PLATFORM_SETTINGS = {
  WEBSITE_AUTH_ENABLED: {
    doc: '`true` (App Service sets it) when App Service authentication is on: the ops pages then take the Entra sign-in instead of the master key.',
  },
} as const;

/**
 * Settings whose names are known only at run time, so no list can hold them: a storage
 * connection's identity-based parts (`<connection>__tableServiceUri`, `__credential`, `__clientId`:
 * the Functions convention, for any connection a trigger names) and the app setting a client's
 * profile names for its directory secret (`directory.secretSetting`). The adapters that resolve
 * them (tables/storageClients, graph/directoryConnection) take these, by default from here: nothing
 * but this file reads process.env (and the local runtime's and the CLI's start-up, which set it).
 */
export type NamedSettings = Readonly<Record<string, string | undefined>>;

export const namedSettings = (env: NodeJS.ProcessEnv = process.env): NamedSettings => env;

export interface AppConfig {
  taskHub: string;
  tablePrefix: string;
  mailMode: 'outbox' | 'acs' | 'graph';
  acsEndpoint?: string;
  mailFrom: string;
  publicBaseUrl: string;
  devEndpoints: boolean;
  linkSigningKey?: string;
  tierQueuePrefix: string;
  /** AUTOTIER_NOTIFY: where each audience's alerts go; undefined when unset. */
  notify?: AlertRouting;
  historyRetentionDays: number;
  rawRetentionDays: number;
  clientProfile?: string;
  webhookSecrets: string[];
  intakeQueue: string;
  psaType: 'none' | PsaVendor;
  psaWebhookSecrets: string[];
  mailIntakeSecrets: string[];
  supportMailbox?: string;
  graphBaseUrl: string;
  graphAuth: 'managed-identity' | 'client-secret' | 'none';
  graphClientStates: string[];
  /** AUTOTIER_EASY_AUTH=1: the platform's sign-in fronts the app and its principal header is trusted. */
  easyAuth: boolean;
  /** WEBSITE_AUTH_ENABLED=true (set by the platform): App Service authentication is on. */
  appServiceAuth: boolean;
  /** AZURE_CLIENT_ID: the user-assigned managed identity, when the app has one. */
  managedIdentityClientId?: string;
  /** APPLICATIONINSIGHTS_CONNECTION_STRING: outcome telemetry goes there too when set. */
  appInsightsConnectionString?: string;
  /** The PSA connection's settings, checked when the PSA adapter is built (AUTOTIER_PSA_TYPE set). */
  psa: {
    baseUrl?: string;
    companyId?: string;
    clientId?: string;
    username?: string;
    secret?: string;
    /** AUTOTIER_PSA_MAPPING as set: parsed with the PSA connection. */
    mapping?: string;
  };
  /** The app registration for Graph auth client-secret. */
  graphApp: { tenantId?: string; clientId?: string; clientSecret?: string };
  /** The optional assistant on Azure OpenAI; undefined unless endpoint and deployment are set. */
  openai?: OpenAiConfig;
}

export interface OpenAiConfig {
  endpoint: string;
  deployment: string;
  apiVersion: string;
  apiKey?: string;
  dailyTokens: number;
  timeoutMs: number;
}

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function positiveNumber(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number`);
  return n;
}

/**
 * A Key Vault reference the platform could not resolve (no access, a missing secret, a typo)
 * reaches the app as its literal text. Such a value must stop the app, by name, rather than be
 * used as a password or a signing key.
 */
export function unresolvedKeyVaultReferences(env: NodeJS.ProcessEnv = process.env): string[] {
  return Object.entries(env)
    .filter(([, value]) => typeof value === 'string' && /^\s*@Microsoft\.KeyVault\(/i.test(value))
    .map(([name]) => name)
    .sort();
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const unresolved = unresolvedKeyVaultReferences(env);
  if (unresolved.length > 0)
    throw new Error(
      `${unresolved.join(', ')} ${unresolved.length === 1 ? 'is a Key Vault reference' : 'are Key Vault references'} that did not resolve: give the app's identity "Key Vault Secrets User" on the vault, check the secret exists, and restart the app`,
    );
  const get = (name: SettingName): string | undefined => env[name] ?? SETTINGS[name].default;
  const mailMode = get('AUTOTIER_MAIL_MODE');
  if (mailMode !== 'outbox' && mailMode !== 'acs' && mailMode !== 'graph')
    throw new Error('AUTOTIER_MAIL_MODE must be outbox, acs or graph');
  const psaType = get('AUTOTIER_PSA_TYPE') ?? 'none';
  if (psaType !== 'none' && !PSA_VENDORS.includes(psaType as PsaVendor))
    throw new Error('AUTOTIER_PSA_TYPE must be connectwise, autotask, halopsa or none');
  const graphAuth = get('AUTOTIER_GRAPH_AUTH') ?? 'managed-identity';
  if (graphAuth !== 'managed-identity' && graphAuth !== 'client-secret' && graphAuth !== 'none')
    throw new Error('AUTOTIER_GRAPH_AUTH must be managed-identity, client-secret or none');
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
    notify: parseAlertRouting(get('AUTOTIER_NOTIFY')),
    historyRetentionDays: positiveNumber(
      'AUTOTIER_HISTORY_RETENTION_DAYS',
      get('AUTOTIER_HISTORY_RETENTION_DAYS'),
    ),
    rawRetentionDays: positiveNumber('AUTOTIER_RAW_RETENTION_DAYS', get('AUTOTIER_RAW_RETENTION_DAYS')),
    clientProfile: get('AUTOTIER_CLIENT_PROFILE'),
    webhookSecrets: list(get('AUTOTIER_WEBHOOK_SECRETS')),
    intakeQueue: get('AUTOTIER_INTAKE_QUEUE') ?? 'autotier-intake',
    psaType: psaType as AppConfig['psaType'],
    psaWebhookSecrets: list(get('AUTOTIER_PSA_WEBHOOK_SECRETS')),
    mailIntakeSecrets: list(get('AUTOTIER_MAIL_INTAKE_SECRETS')),
    supportMailbox: get('AUTOTIER_SUPPORT_MAILBOX'),
    graphBaseUrl: (get('AUTOTIER_GRAPH_BASE_URL') ?? '').replace(/\/$/, ''),
    graphAuth,
    graphClientStates: list(get('AUTOTIER_GRAPH_CLIENT_STATE')),
    easyAuth: get('AUTOTIER_EASY_AUTH') === '1',
    appServiceAuth: (env.WEBSITE_AUTH_ENABLED ?? '').toLowerCase() === 'true',
    managedIdentityClientId: get('AZURE_CLIENT_ID'),
    appInsightsConnectionString: get('APPLICATIONINSIGHTS_CONNECTION_STRING'),
    psa: {
      baseUrl: get('AUTOTIER_PSA_BASE_URL'),
      companyId: get('AUTOTIER_PSA_COMPANY_ID'),
      clientId: get('AUTOTIER_PSA_CLIENT_ID'),
      username: get('AUTOTIER_PSA_USERNAME'),
      secret: get('AUTOTIER_PSA_SECRET'),
      mapping: get('AUTOTIER_PSA_MAPPING'),
    },
    graphApp: {
      tenantId: get('AUTOTIER_GRAPH_TENANT_ID'),
      clientId: get('AUTOTIER_GRAPH_CLIENT_ID'),
      clientSecret: get('AUTOTIER_GRAPH_CLIENT_SECRET'),
    },
    ...openAiConfig(get),
  };
}

function openAiConfig(get: (name: SettingName) => string | undefined): { openai?: OpenAiConfig } {
  const endpoint = get('AUTOTIER_OPENAI_ENDPOINT')?.trim();
  const deployment = get('AUTOTIER_OPENAI_DEPLOYMENT')?.trim();
  if (!endpoint || !deployment) return {};
  if (!/^https?:\/\/[^\s/]+/.test(endpoint))
    throw new Error(
      'AUTOTIER_OPENAI_ENDPOINT must be the resource URL, e.g. https://<name>.openai.azure.com',
    );
  return {
    openai: {
      endpoint: endpoint.replace(/\/$/, ''),
      deployment,
      apiVersion: get('AUTOTIER_OPENAI_API_VERSION') ?? '2024-10-21',
      ...(get('AUTOTIER_OPENAI_API_KEY') ? { apiKey: get('AUTOTIER_OPENAI_API_KEY') } : {}),
      dailyTokens: positiveNumber('AUTOTIER_OPENAI_DAILY_TOKENS', get('AUTOTIER_OPENAI_DAILY_TOKENS')),
      timeoutMs: positiveNumber('AUTOTIER_OPENAI_TIMEOUT_MS', get('AUTOTIER_OPENAI_TIMEOUT_MS')),
    },
  };
}
