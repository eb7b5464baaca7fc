/**
 * One action autotier took on a user or a licence: who acted, on whom, what, when and why. Kept
 * apart from the ticket so that it outlives it and can be handed to the client's auditors.
 */
export interface AuditRecord {
  clientId: string;
  ticketId: string;
  /** Unique per ticket: a retried activity rewrites the same record. */
  step: string;
  at: string;
  /** The identity that acted, e.g. `autotier (app 1234…)`, and the person it acted for. */
  actor: string;
  requestedBy: string;
  action: 'temporary_access_pass' | 'licence_assigned' | 'group_member_added';
  /** The user acted on (UPN). */
  target: string;
  /** What exactly: the SKU, the group, where a pass was sent. Never the pass. */
  detail: string;
  /** Why: the request and the policy that allowed it. */
  reason: string;
  outcome: 'done' | 'failed';
}

export interface AuditLog {
  record(entry: AuditRecord): Promise<void>;
  get(clientId: string, ticketId: string, step: string): Promise<AuditRecord | undefined>;
  /** A client's records, oldest first, optionally from a time on. */
  forClient(clientId: string, since?: string): Promise<AuditRecord[]>;
}
