import type { P1Settings } from './aroundTheClock';
import type { LifecycleSettings } from './lifecycle';
import type { SlaTier } from './sla';

/** What autotier knows about one MSP client: how fast it must answer, when, and how boldly. */
export interface ClientProfile {
  clientId: string;
  name: string;
  slaTier: SlaTier;
  businessHours: { timeZone: string; days: number[]; start: string; end: string };
  /** Minimum classifier confidence for automation. */
  autoThreshold: number;
  vipEmails: string[];
  /** Mail from these domains is this client's (mail intake places new tickets by sender domain). */
  emailDomains?: string[];
  lifecycle?: Partial<LifecycleSettings>;
  /** P1 and security incidents: 24x7 windows and paging (defaults in DEFAULT_P1). */
  p1?: Partial<P1Settings>;
  /**
   * The language requesters write in (replies are read in all five either way). Mails are in
   * English for now: the others wait for someone who writes that language's support register.
   */
  language?: Language;
  /** The client's Microsoft Entra ID tenant, for the playbooks that act (absent: guides only). */
  directory?: DirectoryConnection;
  /**
   * The requester portal: `anonymous` lets people who have not signed in file tickets (where Entra
   * sign-in guards the portal), rate-limited per address and IP.
   */
  portal?: { anonymous?: boolean };
  /** Products automation may grant, and the cost above which a person must approve. */
  access?: { approvalAboveMonthlyCost: number; products: AccessProduct[] };
  systemProfile: {
    devices: string[];
    software: string[];
    vpnProduct?: string;
    /** Printer model by site. */
    printers?: Record<string, string>;
    /** Site by user address (an RMM or HR export); Entra ID's office location is used when absent. */
    userSites?: Record<string, string>;
    recentChanges: string[];
  };
}

/**
 * How autotier reaches the client's tenant through Microsoft Graph. In Azure the function app's
 * managed identity signs in to an app registration in the client's tenant through a federated
 * credential (`workload-identity`, no secret anywhere); `client-secret` reads the app's secret from
 * the named app setting (a Key Vault reference); `managed-identity` is for a tenant that is the
 * app's own; `none` sends no token and exists for local test servers only.
 */
export interface DirectoryConnection {
  tenantId: string;
  /** The app registration (client id) in the client's tenant. */
  appId?: string;
  credential: 'workload-identity' | 'client-secret' | 'managed-identity' | 'none';
  /** The app setting holding the app's secret, for `client-secret`; AUTOTIER_DIRECTORY_CLIENT_SECRET unless set. */
  secretSetting?: string;
  /** Microsoft Graph; a local server in tests. */
  baseUrl?: string;
  /** On-premises accounts may reset through self-service (Entra Connect password writeback is on). */
  passwordWriteback?: boolean;
  /** Temporary Access Pass to a verified contact email; on unless set to false. */
  temporaryAccessPass?: boolean;
  /** Minutes a pass lives; 60 unless set. */
  passLifetimeMinutes?: number;
}

export const LANGUAGES = ['en', 'de', 'es', 'fr', 'nl'] as const;
export type Language = (typeof LANGUAGES)[number];

/** One product automation may grant: a licence (SKU) or a group that carries the access. */
export interface AccessProduct {
  product: string;
  aliases?: string[];
  /** `skuPartNumber` as in subscribedSkus, e.g. VISIOCLIENT. */
  sku?: string;
  /** The Entra ID group whose members get the app. */
  groupId?: string;
  monthlyCost?: number;
  /** On the client's allow list: automation may grant it without asking. */
  selfService: boolean;
}

export const DEMO_CLIENT: ClientProfile = {
  clientId: 'demo',
  name: 'Demo Dental Group',
  slaTier: 'standard',
  businessHours: { timeZone: 'Europe/London', days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' },
  autoThreshold: 0.6,
  vipEmails: ['owner@demo.example'],
  emailDomains: ['demo.example'],
  systemProfile: {
    devices: ['20 Windows 11 laptops', '3 reception PCs'],
    software: ['Microsoft 365 Business Premium', 'Dentrix', 'Adobe Acrobat'],
    vpnProduct: 'FortiClient',
    printers: { 'Main Street': 'HP LaserJet Pro M404', Riverside: 'Brother HL-L2350DW' },
    recentChanges: ['Moved to Microsoft 365 MFA in October'],
  },
};
