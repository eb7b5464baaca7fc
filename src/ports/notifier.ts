export type NotificationKind =
  | 'escalation'
  | 'tier_handoff'
  | 'tier_limit_passed'
  | 'sla_warning'
  | 'sla_breach'
  | 'requester_reply'
  | 'reopened'
  | 'intake_poison'
  | 'workflow_problem'
  | 'mail_undelivered'
  | 'p1_page';

export interface Notification {
  /** Unique per ticket and occasion: the same key never notifies twice. */
  key: string;
  ticketId: string;
  clientId: string;
  tier: number;
  kind: NotificationKind;
  message: string;
  at: string;
  /** The on-call, for P1 pages; otherwise the tier's engineers. */
  audience?: 'oncall';
}

/** Tells the engineers of a tier that something needs them (their queue, chat, or pager). */
export interface Notifier {
  notify(notification: Notification): Promise<void>;
}
