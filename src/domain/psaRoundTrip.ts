import type { TicketEvent } from './lifecycle';
import { type PsaMapping, type PsaVendor } from './psa';
import { singleLine } from './text';

/**
 * The PSA as the system of record both ways: what autotier opens there for tickets that came by
 * mail, the portal or the API, and what engineers do there that reaches the ticket's workflow.
 * Pure: the adapters fetch, this decides.
 */

export const PSA_LABEL: Record<PsaVendor, string> = {
  connectwise: 'ConnectWise',
  autotask: 'Autotask',
  halopsa: 'HaloPSA',
};

/** The tag autotier puts in the summary of every PSA ticket it opens: how a retry finds it again. */
export function psaReference(ticketId: string): string {
  return `(autotier ${ticketId})`;
}

/** The autotier ticket a PSA summary names with its reference tag, if any. */
export function ticketIdInSummary(summary: string): string | undefined {
  return /\(autotier (T-\d{1,12})\)/.exec(summary)?.[1];
}

/** Summary limits: ConnectWise 100 characters, Autotask 255, Halo more; the tag always fits whole. */
const SUMMARY_MAX: Record<PsaVendor, number> = { connectwise: 100, autotask: 255, halopsa: 250 };

export function psaSummary(vendor: PsaVendor, subject: string, ticketId: string): string {
  const tag = ` ${psaReference(ticketId)}`;
  const room = SUMMARY_MAX[vendor] - tag.length;
  const text = singleLine(subject);
  return `${text.length > room ? `${text.slice(0, room - 1)}…` : text}${tag}`;
}

/** What autotier asks the PSA to open: the client's company, the requester's contact, tier 1. */
export interface PsaNewTicket {
  reference: string;
  summary: string;
  description: string;
  companyId: string;
  contact: { name?: string; email: string };
  /** Board (ConnectWise), queue (Autotask) or team (Halo) of tier 1, when mapped. */
  queue?: string;
  /** The PSA status for a new ticket, when mapped. */
  status?: string;
  /** When the resolution is due (Autotask needs a due date). */
  dueAt: string;
}

/**
 * The PSA company of a client: the mapping's `companies` read backwards. An id is preferred
 * (Autotask and Halo need one; ConnectWise also takes its company identifier).
 */
export function companyForClient(
  vendor: PsaVendor,
  mapping: PsaMapping,
  clientId: string,
): string | undefined {
  const keys = Object.entries(mapping.companies)
    .filter(([, client]) => client === clientId)
    .map(([key]) => key);
  return keys.find((k) => /^\d+$/.test(k)) ?? (vendor === 'connectwise' ? keys[0] : undefined);
}

/** A note or time entry on a PSA ticket, as the round trip needs it. */
export interface PsaActivity {
  id: string;
  kind: 'note' | 'time';
  text: string;
  /** Shown to the requester in the PSA (a discussion or resolution note, not hidden from the user). */
  public: boolean;
  /** Written by a PSA member, resource or agent (not by the contact, not by the system). */
  byEngineer: boolean;
  authorId?: string;
  authorName?: string;
}

/** A PSA ticket's state as the round trip reads it after an event. */
export interface PsaTicketState {
  status?: string;
  /** ConnectWise's `closedFlag`. */
  closed?: boolean;
  /** Autotask's resolution field. */
  resolution?: string;
  activity: PsaActivity[];
}

/** Default "complete"/"closed" status ids when the mapping names none: Autotask 5, Halo 9. */
const DEFAULT_DONE: Partial<Record<PsaVendor, string>> = { autotask: '5', halopsa: '9' };

export type PsaStatusMeaning = 'resolved' | 'waiting' | 'open';

export function psaStatusMeaning(
  vendor: PsaVendor,
  mapping: PsaMapping,
  state: Pick<PsaTicketState, 'status' | 'closed'>,
): PsaStatusMeaning {
  const { resolved, closed, waiting_on_requester: waiting } = mapping.statuses;
  const done = resolved || closed ? [resolved, closed] : [DEFAULT_DONE[vendor]];
  if (state.closed || (state.status !== undefined && done.includes(state.status))) return 'resolved';
  if (state.status !== undefined && state.status === waiting) return 'waiting';
  return 'open';
}

/**
 * An event for a workflow, with the keys of the notes and time entries it reports: claimed before
 * it is raised, so each is reported once. Status events carry none (they set state, so a repeat
 * changes nothing).
 */
export interface PsaWorkflowEvent {
  keys: string[];
  event: TicketEvent;
}

const MARKER = /\[autotier T-\d{1,12} /;

/**
 * The notes and time entries an engineer wrote (not autotier: its marker, its member ids; not the
 * contact or the system), each with the key that reports it once.
 */
export function psaActivityCandidates(
  vendor: PsaVendor,
  mapping: PsaMapping,
  psaTicketId: string,
  state: PsaTicketState,
): (PsaActivity & { key: string })[] {
  return state.activity
    .filter((a) => a.byEngineer && a.text.trim())
    .filter((a) => !a.authorId || !mapping.selfIds.includes(a.authorId))
    .filter((a) => !MARKER.test(a.text))
    .map((a) => ({ ...a, key: `psa.${vendor}.${psaTicketId}.${a.kind}.${a.id}` }));
}

/**
 * What an engineer did in the PSA, as workflow events: a close or resolution -> `resolved` (the
 * engineer's internal notes as its note, their customer-facing ones as its public note); a
 * customer-facing note -> a public `update` to the requester; an internal note or time entry ->
 * a `plan` (it stops the tier timer); a "waiting on customer" status pauses the SLA, any other
 * open status resumes it. autotier's own notes (its marker, its member ids) and notes by the
 * contact or the system are left out, and so is any activity `seen` already reported.
 */
export function psaWorkflowEvents(input: {
  vendor: PsaVendor;
  mapping: PsaMapping;
  psaTicketId: string;
  state: PsaTicketState;
  /** Who the event names as the actor, when no note says. */
  actor?: string;
  seen: (key: string) => boolean;
}): PsaWorkflowEvent[] {
  const { vendor, mapping, psaTicketId, state } = input;
  const label = PSA_LABEL[vendor];
  const fresh = psaActivityCandidates(vendor, mapping, psaTicketId, state).filter((a) => !input.seen(a.key));
  const by = (a?: PsaActivity) =>
    (a?.authorName ?? a?.authorId ?? input.actor)?.slice(0, 200) || `an engineer in ${label}`;
  const meaning = psaStatusMeaning(vendor, mapping, state);
  if (meaning === 'resolved') {
    const internal = fresh.filter((a) => !a.public).map((a) => a.text.trim());
    const publicText = fresh.filter((a) => a.public).map((a) => a.text.trim());
    const last = fresh.at(-1);
    const note =
      [...internal, ...(state.resolution?.trim() ? [state.resolution.trim()] : [])].join('\n\n') ||
      publicText.join('\n\n') ||
      `Closed in ${label}`;
    // Notes written with the close are the resolution's: its note and public note carry them.
    return [
      {
        keys: fresh.map((a) => a.key),
        event: {
          kind: 'resolved',
          by: by(last),
          note: note.slice(0, 4000),
          ...(publicText.length ? { publicNote: publicText.join('\n\n').slice(0, 4000) } : {}),
          source: 'psa',
        },
      },
    ];
  }
  const events: PsaWorkflowEvent[] = fresh.map((a) => ({
    keys: [a.key],
    event: a.public
      ? { kind: 'update', by: by(a), text: a.text.trim().slice(0, 4000) }
      : {
          kind: 'plan',
          by: by(a),
          note: `${a.kind === 'time' ? 'Time entry' : 'Internal note'} in ${label}: ${a.text.trim()}`.slice(
            0,
            4000,
          ),
          source: 'psa',
        },
  }));
  events.push({ keys: [], event: { kind: 'waiting', waiting: meaning === 'waiting', by: by() } });
  return events;
}
