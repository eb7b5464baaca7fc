import { type P1Settings, p1SettingsFor } from '../../domain/aroundTheClock';
import {
  adjustForSlaTier,
  type CategoryModel,
  type Classification,
  classifyTicket,
} from '../../domain/classification';
import type { ClientProfile } from '../../domain/client';
import { RATING_LINK_LIFETIME_MS, ratingSigningKey, signConfirmToken } from '../../domain/confirmLink';
import { buildEscalationPackage, type RequesterAnswer, type SimilarTicket } from '../../domain/escalation';
import { type Guide, guideFor } from '../../domain/guides';
import { lifecycleFor, type LifecycleSettings, type ReplyMeaning } from '../../domain/lifecycle';
import * as messages from '../../domain/messages';
import type { OutcomeEvent, OutcomeFact } from '../../domain/metrics';
import { similarTickets } from '../../domain/similar';
import type { SlaTier, SlaView } from '../../domain/sla';
import type { Resolution, Stage, Ticket } from '../../domain/ticket';
import { playbookFor } from '../../playbooks';
import type { AuditLog } from '../../ports/auditLog';
import type { ClientStore } from '../../ports/clientStore';
import { type Directory, DirectoryError, type DirectoryFor } from '../../ports/directory';
import type { EmailSender } from '../../ports/emailSender';
import type { KbImages, KnowledgeBase } from '../../ports/knowledgeBase';
import type { Notification, Notifier } from '../../ports/notifier';
import type { OutcomeLog } from '../../ports/outcomeLog';
import type { PsaConnector } from '../../ports/psaConnector';
import type { Outcome, ResolutionLog } from '../../ports/resolutionLog';
import { TicketNotFoundError, type TicketStore } from '../../ports/ticketStore';

export interface TicketStepInput {
  ticketId: string;
  /** Orchestration time of the step, so timelines follow the orchestration's clock. */
  at: string;
}

export interface TicketContext {
  clientId: string;
  slaTier: SlaTier;
  businessHours: ClientProfile['businessHours'];
  lifecycle: LifecycleSettings;
  p1: P1Settings;
  autoThreshold: number;
}

export interface TicketActivityDeps {
  tickets: TicketStore;
  mail: EmailSender;
  clients: ClientStore;
  notifier: Notifier;
  psa: PsaConnector;
  resolutions: ResolutionLog;
  /** Outcome events for the metrics: every step that matters, once per (ticket, step). */
  outcomes: OutcomeLog;
  linkSigningKey: string;
  publicBaseUrl: string;
  classifier?: CategoryModel;
  kb?: KnowledgeBase;
  kbImages?: KbImages;
  /** Every action on a user or licence is written here. */
  audit: AuditLog;
  /** Each client's directory (Microsoft Graph); absent or undefined: guides only. */
  directoryFor?: DirectoryFor;
  /** Who acts, as the audit log names it. */
  actor?: string;
}

export type PlaybookResult =
  { ran: false; reason: string; told?: string } | { ran: true; articleId: string; title: string };

export type UpdateKind =
  | 'reminder'
  | 'clarify'
  | 'resolved'
  | 'resolvedByEngineer'
  | 'escalated'
  | 'handedUp'
  | 'plan'
  | 'closedUnconfirmed'
  | 'reopened';

/** Steps of `updateTicket` that are outcomes the metrics count. */
export type UpdateOutcome = 'plan' | 'handed_up' | 'sla_warning' | 'sla_breach' | 'reopened' | 'closed';

/** What the requester's answer was, as a resolution outcome tells it. */
const ANSWERED: Partial<Record<Outcome, 'yes' | 'silence'>> = {
  resolved_confirmed: 'yes',
  resolved_unconfirmed: 'silence',
};

/** Who a resolution outcome says resolved the ticket. */
const RESOLVED_BY: Partial<Record<Outcome, Resolution['by']>> = {
  resolved_confirmed: 'requester',
  resolved_by_engineer: 'engineer',
  resolved_unconfirmed: 'silence',
};

const CONFIRM_LINK_LIFETIME_MS = 14 * 24 * 60 * 60 * 1000;
const SIMILAR_LIMIT = 3;
/** Similar tickets come from the client's latest solved tickets: one bounded read per escalation. */
const SIMILAR_POOL = 500;
/** ACS takes 10 MB a message; pictures beyond this stay out and the steps still read on their own. */
const MAX_IMAGE_BYTES = 6 * 1024 * 1024;

/** A client with no profile yet still gets sane defaults rather than a failed ticket. */
function fallbackClient(clientId: string): ClientProfile {
  return {
    clientId,
    name: clientId,
    slaTier: 'standard',
    businessHours: { timeZone: 'UTC', days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' },
    autoThreshold: 0.6,
    vipEmails: [],
    systemProfile: { devices: [], software: [], recentChanges: [] },
  };
}

/**
 * The ticket activities. Each runs at least once, so each is idempotent: mails carry a key per
 * (ticket, step), timeline and conversation entries are unique per step, updates set absolute
 * values, and notifications and PSA write-backs are keyed.
 */
export function createTicketActivities(deps: TicketActivityDeps) {
  const load = async (ticketId: string) => {
    const ticket = await deps.tickets.get(ticketId);
    if (!ticket) throw new TicketNotFoundError(ticketId);
    return ticket;
  };
  const client = async (clientId: string) => (await deps.clients.get(clientId)) ?? fallbackClient(clientId);
  const send = (ticket: Ticket, step: string, message: messages.MailMessage) =>
    deps.mail.send({ ...message, idempotencyKey: `${ticket.ticketId}.${step}` });
  const note = (ticket: Ticket, step: string, at: string, stage: Stage | undefined, text: string) =>
    deps.tickets.appendTimeline(ticket, { step, at, stage, note: text });
  const confirmLinks = (ticket: Ticket, nonce: string, at: string): messages.ConfirmLinks => {
    const token = signConfirmToken(
      { ticketId: ticket.ticketId, nonce, expiresAt: Date.parse(at) + CONFIRM_LINK_LIFETIME_MS },
      deps.linkSigningKey,
    );
    const base = `${deps.publicBaseUrl}/api/tickets/${ticket.ticketId}/confirm?token=${encodeURIComponent(token)}`;
    return { yes: `${base}&answer=yes`, no: `${base}&answer=no` };
  };
  /** The closing mail's one-click ratings: signed with the rating key, one nonce per mail. */
  const ratingLinks = (ticket: Ticket, step: string, at: string): messages.RatingLinks => {
    const token = signConfirmToken(
      {
        ticketId: ticket.ticketId,
        nonce: `${ticket.ticketId}.rate.${step}`,
        expiresAt: Date.parse(at) + RATING_LINK_LIFETIME_MS,
      },
      ratingSigningKey(deps.linkSigningKey),
    );
    const link = (score: number) =>
      `${deps.publicBaseUrl}/api/tickets/${ticket.ticketId}/rate?score=${score}&token=${encodeURIComponent(token)}`;
    return [link(1), link(2), link(3), link(4), link(5)];
  };
  /** An outcome event for the metrics, keyed by (ticket, step) like every other side effect. */
  const event = (
    ticket: Ticket,
    step: string,
    at: string,
    fact: OutcomeFact,
    sla?: SlaView,
  ): OutcomeEvent => ({
    clientId: ticket.clientId,
    ticketId: ticket.ticketId,
    receivedAt: ticket.createdAt,
    step,
    at,
    ...(sla ? { responseDue: sla.responseDue } : {}),
    ...fact,
  });
  const outcome = (ticket: Ticket, step: string, at: string, fact: OutcomeFact, sla?: SlaView) =>
    deps.outcomes.record(event(ticket, step, at, fact, sla));
  /** The guide's pictures, inline; a missing picture is left out rather than failing the mail. */
  const imagesFor = async (guide: Guide): Promise<messages.InlineImage[]> => {
    const out: messages.InlineImage[] = [];
    let bytes = 0;
    for (const [i, name] of (guide.images ?? []).entries()) {
      const image = await deps.kbImages?.read(name);
      if (!image || bytes + image.content.length > MAX_IMAGE_BYTES) continue;
      bytes += image.content.length;
      out.push({
        contentId: `step-picture-${i + 1}`,
        name: name.split('/').pop() ?? name,
        contentType: image.contentType,
        contentBase64: image.content.toString('base64'),
      });
    }
    return out;
  };
  /** Runs the category's playbook; pins its guide on the ticket, or records why it stopped. */
  const runCategoryPlaybook = async (
    ticket: Ticket,
    step: string,
    at: string,
  ): Promise<{ guide: Guide } | { stopped: string; told?: string }> => {
    const playbook = playbookFor(ticket.category ?? 'engineering');
    if (!playbook) return { stopped: 'no documented playbook for this request' };
    const profile = await client(ticket.clientId);
    let directory: Directory | undefined;
    try {
      directory = deps.directoryFor?.(profile);
    } catch (err) {
      // A connection that cannot work is a setup problem for a person, not a reason to retry.
      if (err instanceof DirectoryError) return { stopped: err.message };
      throw err;
    }
    const outcome = await playbook.run({
      ticket,
      client: profile,
      step,
      at,
      articles: deps.kb ? await deps.kb.forClient(ticket.clientId) : [],
      directory,
      audit: deps.audit,
      // Entra ID's own audit log names the app registration, so this record does too.
      actor: `${deps.actor ?? 'autotier'}${profile.directory?.appId ? ` (app ${profile.directory.appId})` : ''}`,
      sendMail: async (message, key) => {
        await deps.mail.send({ ...message, idempotencyKey: key });
      },
    });
    const record = {
      name: playbook.contract.name,
      findings: outcome.findings,
      actions: outcome.actions,
      ...(outcome.kind === 'escalate' ? { stoppedBecause: outcome.reason } : {}),
    };
    if (outcome.kind === 'escalate') {
      await deps.tickets.update(
        ticket.ticketId,
        () => ({ playbook: record, attempted: `${playbook.contract.name} (stopped)` }),
        new Date(at),
      );
      await note(
        ticket,
        `${step}-stopped`,
        at,
        undefined,
        `Playbook "${playbook.contract.name}" stopped: ${outcome.reason}`,
      );
      return { stopped: outcome.reason, told: outcome.told };
    }
    // Pin the guide before mailing it, so a retried activity sends and records the same one.
    await deps.tickets.update(
      ticket.ticketId,
      () => ({ guide: outcome.guide, attempted: outcome.guide.title, playbook: record }),
      new Date(at),
    );
    return { guide: outcome.guide };
  };
  const countOutcome = async (ticket: Ticket, fixed: boolean, key: string) => {
    if (deps.kb && ticket.guide)
      await deps.kb.recordOutcome(ticket.clientId, ticket.guide.articleId, fixed, key);
  };
  const similarTo = async (ticket: Ticket): Promise<SimilarTicket[]> => {
    const solved = (await deps.resolutions.recentSolved(ticket.clientId, SIMILAR_POOL)).filter(
      (r) => r.ticketId !== ticket.ticketId,
    );
    return similarTickets(`${ticket.subject} ${ticket.body}`, ticket.category, solved, SIMILAR_LIMIT);
  };

  return {
    /** The first response. Returns what the orchestration needs to know about the client. */
    async acknowledge(input: TicketStepInput): Promise<{ sent: boolean; context: TicketContext }> {
      const ticket = await load(input.ticketId);
      const profile = await client(ticket.clientId);
      const result = await send(ticket, 'ack', messages.acknowledgementMail(ticket));
      await note(
        ticket,
        'acknowledged',
        input.at,
        'received',
        `Acknowledged to the requester with reference ${ticket.ticketId}`,
      );
      await deps.outcomes.record(
        event(ticket, 'received', ticket.createdAt, { kind: 'received', channel: ticket.channel }),
        event(ticket, 'acknowledged', input.at, { kind: 'acknowledged' }),
      );
      return {
        sent: !result.duplicate,
        context: {
          clientId: profile.clientId,
          slaTier: profile.slaTier,
          businessHours: profile.businessHours,
          lifecycle: lifecycleFor(profile.lifecycle),
          p1: p1SettingsFor(profile.p1),
          autoThreshold: profile.autoThreshold,
        },
      };
    },

    async classify(
      input: TicketStepInput & { autoThreshold?: number; sla?: SlaView },
    ): Promise<Classification> {
      const ticket = await load(input.ticketId);
      const profile = await client(ticket.clientId);
      const result = adjustForSlaTier(
        classifyTicket(
          ticket.subject,
          ticket.body,
          input.autoThreshold ?? profile.autoThreshold,
          deps.classifier,
        ),
        profile.slaTier,
      );
      if (
        profile.vipEmails.includes(ticket.requester.email) &&
        (result.priority === 'P3' || result.priority === 'P4')
      ) {
        result.priority = 'P2';
        result.reasons.push('VIP requester');
      }
      await deps.tickets.update(
        ticket.ticketId,
        () => ({
          stage: 'classified',
          category: result.category,
          priority: result.priority,
          confidence: result.confidence,
          route: result.route,
          tier: result.tier,
          reasons: result.reasons,
          ...(input.sla ? { sla: input.sla } : {}),
        }),
        new Date(input.at),
      );
      await note(
        ticket,
        'classified',
        input.at,
        'classified',
        `Classified as ${result.category} (${result.priority}, confidence ${result.confidence.toFixed(2)}), route ${result.route}`,
      );
      await outcome(ticket, 'classified', input.at, {
        kind: 'classified',
        category: result.category,
        priority: result.priority,
        tier: result.tier,
        route: result.route,
      });
      return result;
    },

    /**
     * Runs the category's playbook (checks and actions through the client's directory, or the
     * client's guide) and sends the requester its guide with "Did this resolve your issue?" links.
     */
    async runPlaybook(input: TicketStepInput & { attempt: number; sla: SlaView }): Promise<PlaybookResult> {
      const ticket = await load(input.ticketId);
      const step = `playbook-${input.attempt}`;
      let guide = ticket.guide;
      if (!guide) {
        const result = await runCategoryPlaybook(ticket, step, input.at);
        if ('stopped' in result) {
          await outcome(
            ticket,
            step,
            input.at,
            { kind: 'playbook', result: 'stopped', reason: result.stopped },
            input.sla,
          );
          return { ran: false, reason: result.stopped, told: result.told };
        }
        guide = result.guide;
      }
      await send(
        ticket,
        step,
        messages.guideMail(
          ticket,
          guide,
          confirmLinks(ticket, `${ticket.ticketId}.${step}`, input.at),
          await imagesFor(guide),
        ),
      );
      await deps.tickets.update(
        ticket.ticketId,
        () => ({ stage: 'awaiting_confirmation', attempted: guide.title, sla: input.sla }),
        new Date(input.at),
      );
      await deps.psa.setStatus(ticket.ticketId, 'waiting_on_requester', step);
      await note(
        ticket,
        step,
        input.at,
        'awaiting_confirmation',
        `Sent "${guide.title}" and asked whether it resolved the issue`,
      );
      await deps.outcomes.record(
        event(
          ticket,
          step,
          input.at,
          { kind: 'playbook', result: 'guide_sent', articleId: guide.articleId },
          input.sla,
        ),
        // The guide answers the request: it is the first response, not the acknowledgement.
        event(ticket, `responded-${step}`, input.at, { kind: 'responded', by: 'automation', via: 'guide' }),
      );
      return { ran: true, articleId: guide.articleId, title: guide.title };
    },

    async sendUpdate(
      input: TicketStepInput & {
        kind: UpdateKind;
        step: string;
        /** Requester-facing text only: a guide's title, a public note, why automation handed over. */
        text?: string;
        expectBy?: string;
        stage?: Stage;
      },
    ): Promise<void> {
      const ticket = await load(input.ticketId);
      const profile = await client(ticket.clientId);
      let message: messages.MailMessage;
      switch (input.kind) {
        case 'reminder': {
          const guide = ticket.guide ?? guideFor(ticket.category ?? 'engineering', profile);
          if (!guide) return;
          message = messages.reminderMail(
            ticket,
            guide,
            confirmLinks(ticket, `${ticket.ticketId}.${input.step}`, input.at),
          );
          break;
        }
        case 'clarify': {
          const guide = ticket.guide ?? guideFor(ticket.category ?? 'engineering', profile);
          message =
            input.stage === 'awaiting_confirmation' && guide
              ? messages.clarifyMail(
                  ticket,
                  guide,
                  confirmLinks(ticket, `${ticket.ticketId}.${input.step}`, input.at),
                )
              : messages.clarifyAfterCloseMail(ticket);
          break;
        }
        case 'resolved':
          message = messages.resolvedMail(
            ticket,
            input.text ?? ticket.attempted ?? 'the steps we sent',
            ratingLinks(ticket, input.step, input.at),
          );
          break;
        case 'resolvedByEngineer':
          message = messages.resolvedByEngineerMail(
            ticket,
            input.text,
            ratingLinks(ticket, input.step, input.at),
          );
          break;
        case 'escalated':
          message = messages.escalatedMail(
            ticket,
            input.expectBy,
            profile.businessHours.timeZone,
            input.text,
          );
          break;
        case 'handedUp':
          message = messages.handedUpMail(ticket);
          break;
        case 'plan':
          message = messages.planMail(ticket, input.text);
          break;
        case 'closedUnconfirmed':
          message = messages.closedUnconfirmedMail(ticket, ratingLinks(ticket, input.step, input.at));
          break;
        case 'reopened':
          message = messages.reopenedMail(ticket);
          break;
      }
      await send(ticket, input.step, message);
      await note(
        ticket,
        `mail-${input.step}`,
        input.at,
        undefined,
        `Told the requester: ${message.subject.replace(/^\[#[^\]]+\]\s*/, '')}`,
      );
      // A person's public reply or their fix answers the request; "an engineer is on it" does not.
      if (input.kind === 'resolvedByEngineer' || (input.kind === 'plan' && input.text))
        await outcome(ticket, `responded-${input.step}`, input.at, {
          kind: 'responded',
          by: 'person',
          via: input.kind === 'plan' ? 'plan' : 'resolution',
        });
    },

    async escalate(
      input: TicketStepInput & {
        step: string;
        tier: number;
        reason: string;
        answer: RequesterAnswer;
        sla: SlaView;
      },
    ): Promise<void> {
      const ticket = await load(input.ticketId);
      if (input.answer === 'no' || input.answer === 'silence') await countOutcome(ticket, false, input.step);
      const pkg = buildEscalationPackage({
        ticket,
        timeline: await deps.tickets.timeline(ticket),
        conversation: [
          { at: ticket.createdAt, from: ticket.requester.email, text: ticket.body },
          ...(await deps.tickets.conversation(ticket)),
        ],
        client: await client(ticket.clientId),
        similar: await similarTo(ticket),
        tier: input.tier,
        reason: input.reason,
        attempted: ticket.attempted ?? null,
        answer: input.answer,
        resolutionDue: input.sla.resolutionDue,
        at: input.at,
      });
      await deps.tickets.update(
        ticket.ticketId,
        () => ({ stage: 'escalated', tier: input.tier, escalation: pkg, sla: input.sla }),
        new Date(input.at),
      );
      await deps.psa.escalate(pkg, input.step);
      await deps.resolutions.record({
        ticketId: ticket.ticketId,
        clientId: ticket.clientId,
        category: ticket.category ?? 'engineering',
        outcome: 'escalated',
        subject: ticket.subject,
        summary: input.reason,
        at: input.at,
      });
      await deps.notifier.notify({
        key: input.step,
        ticketId: ticket.ticketId,
        clientId: ticket.clientId,
        tier: input.tier,
        kind: 'escalation',
        message: `${ticket.priority ?? 'P3'} ${ticket.category ?? 'engineering'}: ${ticket.subject} (${input.reason})`,
        at: input.at,
      });
      await note(
        ticket,
        input.step,
        input.at,
        'escalated',
        `Escalated to tier ${input.tier}: ${input.reason}`,
      );
      await deps.outcomes.record(
        ...(input.answer !== 'none' && input.answer !== 'yes'
          ? [event(ticket, `answer-${input.step}`, input.at, { kind: 'answered', answer: input.answer })]
          : []),
        event(
          ticket,
          input.step,
          input.at,
          { kind: 'escalated', tier: input.tier, reason: input.reason, cycle: ticket.reopens ?? 0 },
          input.sla,
        ),
      );
    },

    async updateTicket(
      input: TicketStepInput & {
        step: string;
        note: string;
        stage?: Stage;
        tier?: number;
        sla?: SlaView;
        reopens?: number;
        /** Also written to the PSA as an internal note. */
        psaNote?: string;
        /** The outcome this step is, for the metrics. */
        outcome?: UpdateOutcome;
      },
    ): Promise<void> {
      const ticket = await load(input.ticketId);
      await deps.tickets.update(
        ticket.ticketId,
        () => ({
          ...(input.stage ? { stage: input.stage } : {}),
          ...(input.tier ? { tier: input.tier } : {}),
          ...(input.sla ? { sla: input.sla } : {}),
          ...(input.reopens !== undefined ? { reopens: input.reopens } : {}),
        }),
        new Date(input.at),
      );
      if (input.psaNote) await deps.psa.addNote(ticket.ticketId, input.psaNote, input.step);
      // A reopened ticket's fix did not hold: it is never offered as "how it was solved".
      if (input.reopens) await deps.resolutions.markReopened(ticket.ticketId, ticket.clientId, input.at);
      await note(ticket, input.step, input.at, input.stage, input.note);
      if (input.outcome) {
        const tier = input.tier ?? ticket.tier ?? 1;
        const facts: Record<UpdateOutcome, OutcomeFact> = {
          plan: { kind: 'plan', tier },
          handed_up: { kind: 'handed_up', tier },
          sla_warning: { kind: 'sla_warning' },
          sla_breach: { kind: 'sla_breach' },
          reopened: { kind: 'reopened', reopens: input.reopens ?? (ticket.reopens ?? 0) + 1 },
          closed: { kind: 'closed' },
        };
        await outcome(ticket, input.step, input.at, facts[input.outcome], input.sla);
      }
    },

    async notifyTier(
      input: TicketStepInput & Omit<Notification, 'ticketId' | 'clientId' | 'at'>,
    ): Promise<void> {
      const ticket = await load(input.ticketId);
      await deps.notifier.notify({
        key: input.key,
        ticketId: ticket.ticketId,
        clientId: ticket.clientId,
        tier: input.tier,
        kind: input.kind,
        message: input.message,
        at: input.at,
        ...(input.audience ? { audience: input.audience } : {}),
      });
      await note(
        ticket,
        `notify-${input.key}`,
        input.at,
        undefined,
        `Alerted tier ${input.tier}: ${input.message}`,
      );
    },

    async recordOutcome(
      input: TicketStepInput & {
        step: string;
        outcome: Outcome;
        summary: string;
        /** The engineer's internal note: on the ticket, the timeline and the PSA, never mailed. */
        note?: string;
        articleId?: string;
        sla: SlaView;
      },
    ): Promise<void> {
      const ticket = await load(input.ticketId);
      // Only the requester's own yes credits the guide (and counts as deflection).
      if (input.outcome === 'resolved_confirmed') await countOutcome(ticket, true, input.step);
      const stage: Stage = input.outcome === 'resolved_unconfirmed' ? 'closed' : 'resolved';
      const by = RESOLVED_BY[input.outcome];
      const resolution: Resolution | undefined = by
        ? { by, at: input.at, ...(input.note ? { note: input.note } : {}) }
        : undefined;
      const summary = input.note ? `${input.summary} ${input.note}` : input.summary;
      await deps.tickets.update(
        ticket.ticketId,
        () => ({ stage, sla: input.sla, ...(resolution ? { resolution } : {}) }),
        new Date(input.at),
      );
      await deps.resolutions.record({
        ticketId: ticket.ticketId,
        clientId: ticket.clientId,
        category: ticket.category ?? 'engineering',
        outcome: input.outcome,
        subject: ticket.subject,
        summary,
        articleId: input.articleId,
        at: input.at,
      });
      await deps.psa.addNote(
        ticket.ticketId,
        `Resolved (${input.outcome.replace(/_/g, ' ')}): ${summary}`,
        input.step,
      );
      await deps.psa.setStatus(
        ticket.ticketId,
        stage === 'closed' ? 'closed' : 'resolved',
        `${input.step}-status`,
      );
      await note(
        ticket,
        input.step,
        input.at,
        stage,
        `Resolution: ${input.outcome.replace(/_/g, ' ')}. ${summary}`,
      );
      const answered = ANSWERED[input.outcome];
      await deps.outcomes.record(
        ...(answered
          ? [event(ticket, `answer-${input.step}`, input.at, { kind: 'answered', answer: answered })]
          : []),
        ...(by
          ? [
              event(
                ticket,
                input.step,
                input.at,
                { kind: 'resolved', by, cycle: ticket.reopens ?? 0 },
                input.sla,
              ),
            ]
          : []),
      );
    },

    async recordReply(
      input: TicketStepInput & {
        step: string;
        from: string;
        text: string;
        meaning: ReplyMeaning;
        tier: number;
        notify: boolean;
      },
    ): Promise<void> {
      const ticket = await load(input.ticketId);
      await deps.tickets.appendConversation(ticket, input.step, {
        at: input.at,
        from: input.from,
        text: input.text.slice(0, 4000),
      });
      await deps.psa.addNote(ticket.ticketId, `Requester replied: ${input.text.slice(0, 4000)}`, input.step);
      if (input.notify) {
        await deps.notifier.notify({
          key: input.step,
          ticketId: ticket.ticketId,
          clientId: ticket.clientId,
          tier: input.tier,
          kind: 'requester_reply',
          message: `The requester replied on ${ticket.ticketId}`,
          at: input.at,
        });
      }
      await note(
        ticket,
        input.step,
        input.at,
        undefined,
        `The requester replied (read as: ${input.meaning})`,
      );
    },
  };
}

export type TicketActivities = ReturnType<typeof createTicketActivities>;
