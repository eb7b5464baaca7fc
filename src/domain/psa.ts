import { createHash } from 'node:crypto';

import { z } from 'zod';

import type { EscalationPackage } from './escalation';
import { describeIssue, MAX_TICKET_BODY_CHARS, type ParseResult } from './intake';
import { singleLine } from './text';
import type { NewTicket, PlaybookRecord } from './ticket';

export const PSA_VENDORS = ['connectwise', 'autotask', 'halopsa'] as const;
export type PsaVendor = (typeof PSA_VENDORS)[number];

export type PsaStatus = 'new' | 'in_progress' | 'waiting_on_requester' | 'resolved' | 'closed';

/** A PSA ticket as autotier needs it, whichever PSA it came from. */
export interface PsaTicket {
  id: string;
  /** The number people quote (Autotask's T20261122.0001); the id elsewhere. */
  number: string;
  summary: string;
  description: string;
  companyKeys: string[];
  contact: { name?: string; email?: string };
}

/**
 * How one PSA connection maps onto autotier: which PSA companies are which clients, which board or
 * queue each tier works from, which PSA status each autotier status is, and which PSA members are
 * autotier itself (their changes are never taken as new events).
 */
export interface PsaMapping {
  companies: Record<string, string>;
  tiers: Partial<Record<'1' | '2' | '3', string>>;
  statuses: Partial<Record<PsaStatus, string>>;
  selfIds: string[];
}

const id = z.union([z.string().trim().min(1).max(100), z.number().int()]).transform(String);

const mappingSchema = z
  .object({
    companies: z
      .record(z.string(), z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a client id'))
      .default({}),
    tiers: z.object({ 1: id.optional(), 2: id.optional(), 3: id.optional() }).strict().default({}),
    statuses: z
      .object({
        new: id.optional(),
        in_progress: id.optional(),
        waiting_on_requester: id.optional(),
        resolved: id.optional(),
        closed: id.optional(),
      })
      .strict()
      .default({}),
    selfIds: z.array(id).default([]),
  })
  .strict();

export function parsePsaMapping(json: string | undefined): PsaMapping {
  if (!json) return { companies: {}, tiers: {}, statuses: {}, selfIds: [] };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error('AUTOTIER_PSA_MAPPING is not valid JSON');
  }
  const parsed = mappingSchema.safeParse(value);
  if (!parsed.success) throw new Error(`AUTOTIER_PSA_MAPPING: ${describeIssue(parsed.error)}`);
  return parsed.data;
}

/** The client a PSA company belongs to; companies are matched by id, identifier or name. */
export function clientForCompany(mapping: PsaMapping, keys: string[]): string | undefined {
  for (const key of keys) {
    const clientId = mapping.companies[key] ?? mapping.companies[key.toLowerCase()];
    if (clientId) return clientId;
  }
  return undefined;
}

export function toNewTicket(
  vendor: PsaVendor,
  ticket: PsaTicket,
  mapping: PsaMapping,
): ParseResult<NewTicket> {
  const clientId = clientForCompany(mapping, ticket.companyKeys);
  if (!clientId)
    return {
      ok: false,
      error: `${vendor} company ${ticket.companyKeys.join(' / ') || '(none)'} is not mapped to a client`,
    };
  const email = ticket.contact.email?.trim().toLowerCase();
  if (!email || !z.email().safeParse(email).success)
    return { ok: false, error: `${vendor} ticket ${ticket.id} has no contact with an email address` };
  // A PSA ticket cannot be refused (the PSA would disable a failing webhook): unsafe characters in
  // one-line fields are replaced instead.
  const subject = singleLine(ticket.summary).slice(0, 200) || `${vendor} ticket ${ticket.number}`;
  return {
    ok: true,
    value: {
      clientId,
      requester: {
        ...(singleLine(ticket.contact.name ?? '')
          ? { name: singleLine(ticket.contact.name ?? '').slice(0, 200) }
          : {}),
        email,
      },
      subject,
      body: (ticket.description.trim() || subject).slice(0, MAX_TICKET_BODY_CHARS),
      externalId: psaExternalId(vendor, ticket.id),
      externalNumber: ticket.number,
      channel: vendor,
    },
  };
}

/** Tickets from a PSA carry `<vendor>:<PSA ticket id>` as their external id. */
export function psaExternalId(vendor: PsaVendor, id: string): string {
  return `${vendor}:${id}`;
}

/**
 * The PSA ticket id of an autotier ticket in `vendor`: the one it came from, or the one autotier
 * opened for it there.
 */
export function psaTicketIdOf(
  vendor: PsaVendor,
  ticket: { channel: string; externalId?: string; psaTicket?: { vendor: string; id: string } },
): string | undefined {
  const prefix = `${vendor}:`;
  if (ticket.channel === vendor && ticket.externalId?.startsWith(prefix))
    return ticket.externalId.slice(prefix.length);
  return ticket.psaTicket?.vendor === vendor ? ticket.psaTicket.id : undefined;
}

/** One PSA webhook delivery, reduced to what intake needs. */
export interface PsaEvent {
  vendor: PsaVendor;
  eventId: string;
  action: 'created' | 'updated' | 'deleted' | 'other';
  ticketId: string;
  /** Who made the change, to recognise autotier's own updates. */
  actorId?: string;
  /** The ticket as the payload carried it; fields may be missing, then the PSA is asked. */
  partial: Partial<PsaTicket>;
}

const str = z.union([z.string(), z.number()]).transform(String);
const rawHash = (raw: string) => createHash('sha256').update(raw).digest('hex').slice(0, 32);

const connectWisePayload = z.object({
  MessageId: str.optional(),
  Action: z.string(),
  Type: z.string(),
  ID: str,
  MemberId: str.optional(),
  CompanyId: str.optional(),
  Entity: z.unknown().optional(),
  Metadata: z.object({ key_url: z.string() }),
});

/** ConnectWise sends `Entity` as a JSON string, sometimes as an object: read both, trust neither. */
function connectWiseEntity(entity: unknown): Partial<PsaTicket> {
  let e: unknown = entity;
  if (typeof e === 'string') {
    try {
      e = JSON.parse(e);
    } catch {
      return {};
    }
  }
  const t = z
    .object({
      summary: z.string().optional(),
      initialDescription: z.string().optional(),
      company: z.object({ id: str.optional(), identifier: z.string().optional() }).optional(),
      contactName: z.string().optional(),
      contactEmailAddress: z.string().optional(),
    })
    .safeParse(e);
  if (!t.success) return {};
  const keys = [t.data.company?.id, t.data.company?.identifier].filter((k): k is string => !!k);
  return {
    ...(t.data.summary ? { summary: t.data.summary } : {}),
    ...(t.data.initialDescription ? { description: t.data.initialDescription } : {}),
    ...(keys.length ? { companyKeys: keys } : {}),
    ...(t.data.contactEmailAddress
      ? { contact: { name: t.data.contactName, email: t.data.contactEmailAddress } }
      : {}),
  };
}

const autotaskPayload = z.object({
  Action: z.string(),
  /** The webhook's own id: the same on every delivery of that webhook. */
  Guid: z.string().min(1).max(100),
  /** Counts up per webhook: with Guid, names one delivery. */
  SequenceNumber: z.union([z.number().int(), z.string().max(40)]).optional(),
  EventTime: z.string().max(60).optional(),
  EntityType: z.string(),
  Id: str,
  PersonID: str.optional(),
  Fields: z.record(z.string(), z.unknown()).optional(),
});

const haloPayload = z.object({
  id: str.optional(),
  event: z.string().optional(),
  ticket: z.object({
    id: str,
    summary: z.string().optional(),
    details: z.string().optional(),
    client_id: str.optional(),
    client_name: z.string().optional(),
    user_name: z.string().optional(),
    user_email: z.string().optional(),
    emailaddress: z.string().optional(),
    agent_id: str.optional(),
    dateoccurred: z.string().optional(),
  }),
  action: z.object({ id: str.optional(), who_agentid: str.optional(), agent_id: str.optional() }).optional(),
});

function action(word: string): PsaEvent['action'] {
  const w = word.toLowerCase();
  if (w === 'added' || w === 'create' || w === 'created' || w === 'new') return 'created';
  if (w === 'updated' || w === 'update') return 'updated';
  if (w === 'deleted' || w === 'delete') return 'deleted';
  return 'other';
}

/** Halo names events after its notification rules ("New Ticket Logged", "Ticket Updated"). */
function haloAction(event: string | undefined, actionId: string | undefined): PsaEvent['action'] {
  if (event === undefined) return actionId ? 'updated' : 'created';
  if (/\b(new|logged|created?)\b/i.test(event)) return 'created';
  if (/delet/i.test(event)) return 'deleted';
  return 'updated';
}

/** Reads a PSA webhook body into a PsaEvent, or says clearly what is wrong with it. */
export function parsePsaEvent(vendor: PsaVendor, raw: string): ParseResult<PsaEvent> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, error: 'body is not valid JSON' };
  }
  if (vendor === 'connectwise') {
    const p = connectWisePayload.safeParse(json);
    if (!p.success) return { ok: false, error: describeIssue(p.error) };
    if (p.data.Type.toLowerCase() !== 'ticket')
      return { ok: false, error: `Type: only ticket callbacks are handled, not "${p.data.Type}"` };
    return {
      ok: true,
      value: {
        vendor,
        eventId: p.data.MessageId ?? `${p.data.ID}-${p.data.Action}-${rawHash(raw)}`,
        action: action(p.data.Action),
        ticketId: p.data.ID,
        actorId: p.data.MemberId,
        partial: { ...connectWiseEntity(p.data.Entity), id: p.data.ID, number: p.data.ID },
      },
    };
  }
  if (vendor === 'autotask') {
    const p = autotaskPayload.safeParse(json);
    if (!p.success) return { ok: false, error: describeIssue(p.error) };
    if (p.data.EntityType.toLowerCase() !== 'ticket')
      return { ok: false, error: `EntityType: only Ticket webhooks are handled, not "${p.data.EntityType}"` };
    return {
      ok: true,
      value: {
        vendor,
        // Guid names the webhook, not the delivery: with the sequence number it names one.
        eventId:
          p.data.SequenceNumber !== undefined
            ? `${p.data.Guid}:${String(p.data.SequenceNumber)}`
            : `${p.data.Guid}:${p.data.Id}:${p.data.Action}:${p.data.EventTime ?? rawHash(raw)}`,
        action: action(p.data.Action),
        ticketId: p.data.Id,
        actorId: p.data.PersonID,
        partial: { id: p.data.Id },
      },
    };
  }
  const p = haloPayload.safeParse(json);
  if (!p.success) return { ok: false, error: describeIssue(p.error) };
  const t = p.data.ticket;
  const email = t.user_email ?? t.emailaddress;
  return {
    ok: true,
    value: {
      vendor,
      eventId: p.data.id ?? `${t.id}-${p.data.action?.id ?? 'ticket'}-${rawHash(raw)}`,
      action: haloAction(p.data.event, p.data.action?.id),
      ticketId: t.id,
      actorId: p.data.action?.who_agentid ?? p.data.action?.agent_id,
      partial: {
        id: t.id,
        number: t.id,
        ...(t.summary ? { summary: t.summary } : {}),
        ...(t.details ? { description: t.details } : {}),
        ...(t.client_id || t.client_name
          ? { companyKeys: [t.client_id, t.client_name].filter((k): k is string => !!k) }
          : {}),
        ...(email ? { contact: { name: t.user_name, email } } : {}),
      },
    },
  };
}

/** A PSA ticket is complete enough to map when it names a company, a contact address and a summary. */
export function completeTicket(partial: Partial<PsaTicket>): PsaTicket | undefined {
  if (!partial.id || !partial.summary || !partial.companyKeys?.length || !partial.contact?.email)
    return undefined;
  return {
    id: partial.id,
    number: partial.number ?? partial.id,
    summary: partial.summary,
    description: partial.description ?? '',
    companyKeys: partial.companyKeys,
    contact: partial.contact,
  };
}

/** The line every autotier note ends with: how a retried write-back sees it already happened. */
export function noteMarker(ticketId: string, key: string): string {
  return `[autotier ${ticketId} ${key}]`;
}

/** The escalation package as an internal note an engineer reads top to bottom. */
function playbookLines(playbook: PlaybookRecord | undefined): string[] {
  if (!playbook) return [];
  return [
    `Playbook "${playbook.name}"${playbook.stoppedBecause ? ` stopped: ${playbook.stoppedBecause}` : ''}`,
    ...playbook.findings.map((f) => `- checked: ${f}`),
    ...playbook.actions.map((a) => `- did: ${a.action.replace(/_/g, ' ')} for ${a.target}: ${a.detail}`),
  ];
}

export function escalationNote(pkg: EscalationPackage): string {
  const lines = [
    ...(pkg.briefing
      ? [
          `Briefing. ${pkg.briefing.label}`,
          pkg.briefing.summary,
          ...pkg.briefing.steps.map((s, i) => `${i + 1}. ${s}`),
          '---',
        ]
      : []),
    `autotier escalated ${pkg.ticketId} to tier ${pkg.tier}: ${pkg.reason}`,
    `Priority ${pkg.priority} (${pkg.priorityReasons.join('; ')}). Category ${pkg.category}, confidence ${Math.round(pkg.confidence * 100)}%.`,
    `Requester: ${pkg.ticket.requester}. Resolution due: ${pkg.resolutionDue ?? 'n/a'}.`,
    '',
    `Automation tried: ${pkg.automation.attempted ?? 'nothing'}; requester answered: ${pkg.automation.requesterAnswer}.`,
    ...playbookLines(pkg.automation.playbook),
    '',
    'Conversation:',
    ...pkg.conversation.map((c) => `- ${c.at} ${c.from}: ${c.text.replace(/\s+/g, ' ').slice(0, 500)}`),
    '',
    `System profile (${pkg.systemProfile.client}): ${[...pkg.systemProfile.devices, ...pkg.systemProfile.software].join(', ') || 'none on file'}`,
    ...(pkg.systemProfile.recentChanges.length
      ? [`Recent changes: ${pkg.systemProfile.recentChanges.join('; ')}`]
      : []),
    '',
    'Similar past tickets:',
    ...(pkg.similarTickets.length
      ? pkg.similarTickets.map((s) => `- ${s.ticketId} "${s.subject}": ${s.resolution}`)
      : ['- none found']),
    '',
    'Suggested steps:',
    ...pkg.suggestedSteps.map((s, i) => `${i + 1}. ${s}`),
  ];
  return lines.join('\n');
}
