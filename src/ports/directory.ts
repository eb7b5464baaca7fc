import type { ClientProfile } from '../domain/client';

/** A user of the client's Microsoft Entra ID tenant, as the playbooks need them. */
export interface DirectoryUser {
  id: string;
  userPrincipalName: string;
  mail?: string;
  displayName?: string;
  accountEnabled: boolean;
  /** Synchronised from on-premises Active Directory: its password and lockout live there. */
  onPremises?: { domain?: string; samAccountName?: string };
  officeLocation?: string;
  usageLocation?: string;
  assignedSkuIds: string[];
}

/** What the user has registered for sign-in: `userRegistrationDetails`. */
export interface SignInRegistration {
  ssprRegistered: boolean;
  ssprEnabled: boolean;
  mfaRegistered: boolean;
  methods: string[];
}

export interface TemporaryAccessPass {
  methodId: string;
  pass: string;
  lifetimeMinutes: number;
  usableOnce: boolean;
}

export interface SubscribedSku {
  skuId: string;
  skuPartNumber: string;
  /** Seats bought and usable (`prepaidUnits.enabled`). */
  enabled: number;
  consumed: number;
}

/**
 * Why a directory call failed, in the words the escalation needs. `throttled` and `unavailable`
 * are Graph's own trouble (worth a later retry by a person); `rejected` means Graph refused this
 * request (permissions, a missing usage location) and needs an engineer to look.
 */
export type DirectoryFailure = 'throttled' | 'unavailable' | 'timeout' | 'rejected';

export class DirectoryError extends Error {
  constructor(
    readonly kind: DirectoryFailure,
    message: string,
    readonly status?: number,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DirectoryError';
  }
}

/** The client's identity directory (Microsoft Graph): only the calls the playbooks make. */
export interface Directory {
  /** The enabled or disabled user whose mail, UPN or proxy address is this; undefined if none or several. */
  findUser(email: string): Promise<DirectoryUser | undefined>;
  registration(userId: string): Promise<SignInRegistration>;
  /** Email addresses registered as the user's authentication methods (verified by the user). */
  verifiedEmails(userId: string): Promise<string[]>;
  /** A new pass; Graph replaces any earlier pass of the user. */
  createTemporaryAccessPass(
    userId: string,
    options: { lifetimeMinutes: number; usableOnce: boolean },
  ): Promise<TemporaryAccessPass>;
  subscribedSkus(): Promise<SubscribedSku[]>;
  assignLicence(userId: string, skuId: string): Promise<void>;
  /** Adds the user to the group; `already` when they were a member. */
  addGroupMember(groupId: string, userId: string): Promise<'added' | 'already'>;
}

/**
 * The directory of a client, from its profile's connection; undefined for a client with no Graph
 * connection. A connection that cannot work throws a `DirectoryError`.
 */
export type DirectoryFor = (client: ClientProfile) => Directory | undefined;
