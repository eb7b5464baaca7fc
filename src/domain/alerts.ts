import { z } from 'zod';

import { type MailMessage, toHtml } from './messages';
import { singleLine } from './text';

/**
 * Who an alert is for: the engineers of a tier, or whoever is on call. Each audience has its own
 * queue (`<AUTOTIER_TIER_QUEUE_PREFIX>1..3`, `<prefix>oncall`) and its own channels.
 */
export const AUDIENCES = ['tier1', 'tier2', 'tier3', 'oncall'] as const;
export type Audience = (typeof AUDIENCES)[number];

export const ALERT_CHANNELS = ['webhook', 'email'] as const;
export type AlertChannel = (typeof ALERT_CHANNELS)[number];

/** Where one audience's alerts go; each channel is optional, at least one is given. */
export interface AudienceChannels {
  /** A Teams Workflows "When a Teams webhook request is received" URL. A secret: it carries `sig=`. */
  webhook?: string;
  email?: string;
}

export type AlertRouting = Partial<Record<Audience, AudienceChannels>>;

/** The facts of one alert, as the notifier queued them. */
export interface AlertFacts {
  key: string;
  ticketId: string;
  clientId: string;
  tier: number;
  kind: string;
  message: string;
  at: string;
  audience?: 'oncall';
}

const SETTING = 'AUTOTIER_NOTIFY';
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

// No message here may echo a value: a webhook URL is a secret, and zod's own messages are plain.
const webhookUrl = z.string().refine((value) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  // Plain http only to this machine (a local test receiver); anything else must be https.
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
}, 'must be an https URL');

const audienceChannels = z
  .object({ webhook: webhookUrl.optional(), email: z.email('must be an email address').optional() })
  .strict()
  .refine(
    (c) => c.webhook !== undefined || c.email !== undefined,
    'names no channel (give webhook, email or both)',
  );

const routingSchema = z
  .object(
    Object.fromEntries(AUDIENCES.map((a) => [a, audienceChannels.optional()])) as Record<
      Audience,
      z.ZodOptional<typeof audienceChannels>
    >,
  )
  .strict();

/** A key is named in an error only when it looks like a key, never when it could be a pasted URL. */
const nameOf = (key: string) => (/^[A-Za-z0-9_-]{1,40}$/.test(key) ? `"${key}"` : 'a key');

function describeRoutingIssue(issue: z.ZodError['issues'][number]): string {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map(nameOf).join(', ');
    return path.length === 0
      ? `unknown audience ${keys} (the audiences are ${AUDIENCES.join(', ')})`
      : `${path.join('.')}: unknown channel ${keys} (the channels are ${ALERT_CHANNELS.join(' and ')})`;
  }
  if (issue.code === 'invalid_type')
    return path.length === 0
      ? 'must be a JSON object of audiences ({"tier1": {"webhook": ..., "email": ...}, ...})'
      : `${path.join('.')}: must be ${path.length === 1 ? 'an object {webhook?, email?}' : 'a string'}`;
  return `${path.join('.')}: ${issue.message}`;
}

/**
 * Reads AUTOTIER_NOTIFY. Unset or blank (the Bicep writes '' when no channels were given): no
 * routing, so alerts stay in their queues. A bad value throws an error that names the setting and
 * the field, and never quotes the value.
 */
export function parseAlertRouting(json: string | undefined): AlertRouting | undefined {
  if (json === undefined || json.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    // JSON.parse's own message quotes the text around the error, which may be a signed URL.
    throw new Error(`${SETTING} is not valid JSON`);
  }
  const parsed = routingSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${SETTING}: ${issue ? describeRoutingIssue(issue) : 'is not valid'}`);
  }
  const routing: AlertRouting = {};
  for (const audience of AUDIENCES) {
    const channels = parsed.data[audience];
    if (channels) routing[audience] = channels;
  }
  return routing;
}

/** The audience a notification is for: on-call when it says so, else its tier (clamped to 1..3). */
export function audienceOf(n: { tier: number; audience?: 'oncall' }): Audience {
  if (n.audience === 'oncall') return 'oncall';
  const tier = Math.min(Math.max(Math.trunc(n.tier) || 1, 1), 3);
  return `tier${tier}` as Audience;
}

export function audienceLabel(audience: Audience): string {
  return audience === 'oncall' ? 'on call' : `tier ${audience.slice('tier'.length)}`;
}

const KIND_LABELS: Record<string, string> = {
  escalation: 'Escalated',
  tier_handoff: 'Handed up a tier',
  tier_limit_passed: 'Tier time limit passed',
  sla_warning: 'SLA warning',
  sla_breach: 'SLA breached',
  requester_reply: 'Requester replied',
  reopened: 'Reopened',
  intake_poison: 'Intake deliveries failing',
  alert_poison: 'Alerts not delivered',
  workflow_problem: 'Workflow problem',
  mail_undelivered: 'Mail undelivered',
  p1_page: 'P1 page',
};

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind.replace(/_/g, ' ');
}

/** Alerts about the system itself (`_intake`, `_alerts`) name no ticket to open. */
const isTicket = (ticketId: string) => !ticketId.startsWith('_');

export function ticketUrl(publicBaseUrl: string, ticketId: string): string {
  return `${publicBaseUrl.replace(/\/$/, '')}/api/tickets/${encodeURIComponent(ticketId)}`;
}

// Teams refuses messages over 28 KB; the reason is the only long field.
const MAX_MESSAGE_CHARS = 2000;

/**
 * Text for a card: one line per field, bounded, and a markdown link (`[text](url)`) broken up, so
 * a requester's subject quoted in a reason cannot turn into a link in the engineers' channel.
 */
function cardText(text: string, max = 200): string {
  const cut = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return cut.replace(/\]\(/g, '] (');
}

export interface AlertContext {
  audience: Audience;
  publicBaseUrl: string;
  /** From the ticket, when there is one. */
  priority?: string;
}

function facts(alert: AlertFacts, ctx: AlertContext): { title: string; value: string }[] {
  return [
    { title: 'Ticket', value: alert.ticketId },
    { title: 'Client', value: alert.clientId },
    ...(ctx.priority ? [{ title: 'Priority', value: ctx.priority }] : []),
    { title: 'Kind', value: kindLabel(alert.kind) },
    { title: 'For', value: audienceLabel(ctx.audience) },
    { title: 'At', value: alert.at },
  ].map((f) => ({ title: f.title, value: cardText(singleLine(f.value)) }));
}

function headline(alert: AlertFacts, ctx: AlertContext): string {
  return singleLine(
    `${kindLabel(alert.kind)}${isTicket(alert.ticketId) ? `: ${alert.ticketId}` : ''}${ctx.priority ? ` (${ctx.priority})` : ''}`,
  );
}

const URGENT = new Set(['p1_page', 'sla_breach', 'tier_limit_passed', 'workflow_problem', 'alert_poison']);

/**
 * The message a Teams Workflows webhook ("When a Teams webhook request is received") takes: a
 * `message` activity with one Adaptive Card attachment, `contentUrl` null. Format from Microsoft
 * Learn, "Create and send messages" (learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using)
 * and MicrosoftDocs/msteams-docs `webhooks-and-connectors/how-to/add-incoming-webhook.md` (28 KB
 * limit; Action.OpenUrl supported). Workflows answers 202 Accepted (shoutrrr PR #900, robusta PR
 * #2113, jenkinsci/office-365-connector-plugin issue #356), so any 2xx is success.
 */
export function alertCard(alert: AlertFacts, ctx: AlertContext): Record<string, unknown> {
  const message = singleLine(alert.message) || kindLabel(alert.kind);
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          msteams: { width: 'Full' },
          body: [
            {
              type: 'TextBlock',
              text: cardText(headline(alert, ctx)),
              weight: 'Bolder',
              size: 'Medium',
              wrap: true,
              ...(URGENT.has(alert.kind) ? { color: 'Attention' } : {}),
            },
            { type: 'TextBlock', text: cardText(message, MAX_MESSAGE_CHARS), wrap: true },
            { type: 'FactSet', facts: facts(alert, ctx) },
          ],
          ...(isTicket(alert.ticketId)
            ? {
                actions: [
                  {
                    type: 'Action.OpenUrl',
                    title: `Open ${alert.ticketId}`,
                    url: ticketUrl(ctx.publicBaseUrl, alert.ticketId),
                  },
                ],
              }
            : {}),
        },
      },
    ],
  };
}

/**
 * The same alert as a mail to the audience's address. Its subject carries no `[#T-...]` token, so
 * an engineer's reply to it is never threaded onto the requester's ticket.
 */
export function alertMail(alert: AlertFacts, ctx: AlertContext, to: string): MailMessage {
  const link = isTicket(alert.ticketId) ? ticketUrl(ctx.publicBaseUrl, alert.ticketId) : undefined;
  const paragraphs = [
    singleLine(alert.message) || kindLabel(alert.kind),
    facts(alert, ctx)
      .map((f) => `${f.title}: ${f.value}`)
      .join('\n'),
    ...(link ? [`Open the ticket: ${link}`] : []),
    `autotier sent this to ${audienceLabel(ctx.audience)} (AUTOTIER_NOTIFY).`,
  ];
  return {
    to,
    subject: singleLine(
      `autotier ${audienceLabel(ctx.audience)}: ${headline(alert, ctx)} (${alert.clientId})`,
    ),
    text: paragraphs.join('\n\n'),
    html: toHtml(paragraphs),
  };
}
