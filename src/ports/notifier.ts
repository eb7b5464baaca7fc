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
  /** Alerts that could not be delivered after every try wait in a poison queue. */
  | 'alert_poison'
  /** A P1 ticket: whoever is on call is paged (audience `oncall`). */
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
  /** `oncall`: the on-call engineer, whatever the tier (its own queue and channels). */
  audience?: 'oncall';
}

/** Tells the engineers of a tier, or on call, that something needs them (their queue, chat, or pager). */
export interface Notifier {
  notify(notification: Notification): Promise<void>;
}
