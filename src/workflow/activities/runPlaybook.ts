import type { Guide } from '../../domain/guides';
import * as messages from '../../domain/messages';
import type { SlaView } from '../../domain/sla';
import { stageAfter } from '../../domain/stage';
import type { Ticket } from '../../domain/ticket';
import { playbookFor } from '../../playbooks';
import { type Directory, DirectoryError } from '../../ports/directory';
import type { ActivityKit, TicketStepInput } from './kit';

export type PlaybookResult =
  { ran: false; reason: string; told?: string } | { ran: true; articleId: string; title: string };

/** ACS takes 10 MB a message; pictures beyond this stay out and the steps still read on their own. */
const MAX_IMAGE_BYTES = 6 * 1024 * 1024;

/**
 * Runs the category's playbook (checks and actions through the client's directory, or the
 * client's guide) and sends the requester its guide with "Did this resolve your issue?" links.
 */
export const runPlaybook = (kit: ActivityKit) => {
  const runLoaded = runPlaybookOn(kit);
  return async (input: PlaybookInput): Promise<PlaybookResult> =>
    runLoaded(await kit.load(input.ticketId), input);
};

type PlaybookInput = TicketStepInput & { attempt: number; sla: SlaView };

/** `runPlaybook` of a ticket already loaded (as `triage` has it, classified). */
export const runPlaybookOn = (kit: ActivityKit) => {
  const { deps, send, event, outcome, confirmLinks } = kit;
  return async (ticket: Ticket, input: PlaybookInput): Promise<PlaybookResult> => {
    const step = `playbook-${input.attempt}`;
    let guide = ticket.guide;
    if (!guide) {
      const result = await runCategoryPlaybook(kit, ticket, step, input.at);
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
        await imagesFor(kit, guide),
      ),
    );
    // Once the guide is out, what records it does not depend on each other: written at once.
    await Promise.all([
      deps.tickets.update(
        ticket.ticketId,
        () => ({ stage: stageAfter(ticket.stage, 'guide_sent'), attempted: guide.title, sla: input.sla }),
        new Date(input.at),
        {
          step,
          at: input.at,
          stage: stageAfter(ticket.stage, 'guide_sent'),
          note: `Sent "${guide.title}" and asked whether it resolved the issue`,
        },
      ),
      deps.psa.setStatus(ticket.ticketId, 'waiting_on_requester', step),
      deps.outcomes.record(
        event(
          ticket,
          step,
          input.at,
          { kind: 'playbook', result: 'guide_sent', articleId: guide.articleId },
          input.sla,
        ),
        // The guide answers the request: it is the first response, not the acknowledgement.
        event(ticket, `responded-${step}`, input.at, { kind: 'responded', by: 'automation', via: 'guide' }),
      ),
    ]);
    return { ran: true, articleId: guide.articleId, title: guide.title };
  };
};

/** Runs the category's playbook; pins its guide on the ticket, or records why it stopped. */
async function runCategoryPlaybook(
  { deps, client, note }: ActivityKit,
  ticket: Ticket,
  step: string,
  at: string,
): Promise<{ guide: Guide } | { stopped: string; told?: string }> {
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
}

/** The guide's pictures, inline; a missing picture is left out rather than failing the mail. */
async function imagesFor({ deps }: ActivityKit, guide: Guide): Promise<messages.InlineImage[]> {
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
}
