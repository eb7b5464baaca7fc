import { temporaryPassGuide } from '../domain/guides';
import { temporaryAccessPassMail } from '../domain/messages';
import { maskAddress, mentionsLockout, PLAYBOOK_CONTRACTS, type PlaybookOutcome } from '../domain/playbook';
import type { DirectoryUser } from '../ports/directory';
import { bestGuide } from './guides';
import {
  audited,
  escalate,
  identify,
  orEscalate,
  type Playbook,
  type PlaybookContext,
  ticketText,
} from './playbook';

const DEFAULT_PASS_MINUTES = 60;

/**
 * Password help through an MFA-verified path only. The self-service reset link when the user is
 * registered for it (Microsoft verifies them there); otherwise a one-time Temporary Access Pass to
 * a contact email the user registered and verified. Never a password; never a pass to an address
 * that is not verified; on-premises lockouts to an engineer.
 */
export const passwordResetPlaybook: Playbook = {
  contract: PLAYBOOK_CONTRACTS.password_reset,
  async run(ctx) {
    const findings: string[] = [];
    const directory = ctx.directory;
    if (!directory) {
      const guide = bestGuide(ctx, 'password_reset');
      if (!guide) return escalate('there is no password guide', 'One of our engineers will help you.');
      findings.push(
        'The client has no directory connection, so the account was not checked; sent the self-service reset steps, where Microsoft verifies the user with MFA.',
      );
      return { kind: 'guide', guide, findings, actions: [] };
    }
    return orEscalate(findings, async () => {
      const who = await identify(directory, ctx.ticket, findings);
      if ('outcome' in who) return who.outcome;
      const user = who.user;
      const onPremises = onPremisesRefusal(ctx, user);
      if (onPremises) return escalate(onPremises, ON_PREMISES_TOLD, findings);

      const reg = await directory.registration(user.id);
      findings.push(
        `Self-service reset ${reg.ssprRegistered ? 'registered' : 'not registered'}${reg.ssprEnabled ? '' : ' (not enabled for the user)'}; MFA ${reg.mfaRegistered ? `registered (${reg.methods.join(', ') || 'methods not listed'})` : 'not registered'}.`,
      );
      if (reg.ssprRegistered && reg.ssprEnabled) {
        const guide = bestGuide(ctx, 'password_reset');
        if (guide) return { kind: 'guide', guide, findings, actions: [] };
      }
      if (!reg.mfaRegistered)
        return escalate(
          'the user is not registered for MFA or self-service reset, so there is no verified way to confirm who is asking',
          "Before we can help with your password we need to be sure it's really you, so one of our engineers will get in touch.",
          findings,
        );
      if (ctx.client.directory?.temporaryAccessPass === false)
        return escalate(
          'the user is not registered for self-service reset and the client does not allow Temporary Access Passes',
          'One of our engineers will help you get back into your account.',
          findings,
        );
      return sendPass(ctx, user, findings);
    });
  },
};

const ON_PREMISES_TOLD =
  "Your account is managed on your organisation's own servers, so one of our engineers will sort it out there.";

function onPremisesRefusal(ctx: PlaybookContext, user: DirectoryUser): string | undefined {
  if (!user.onPremises) return undefined;
  const account = `${user.onPremises.domain ?? 'on-premises'}\\${user.onPremises.samAccountName ?? user.userPrincipalName}`;
  if (mentionsLockout(ticketText(ctx.ticket)))
    return `the account ${account} is synchronised from on-premises Active Directory and reported locked out: unlock it there (Entra ID cannot)`;
  if (!ctx.client.directory?.passwordWriteback)
    return `the account ${account} is synchronised from on-premises Active Directory and password writeback is off, so self-service reset cannot change its password`;
  return undefined;
}

async function sendPass(
  ctx: PlaybookContext,
  user: DirectoryUser,
  findings: string[],
): Promise<PlaybookOutcome> {
  const directory = ctx.directory!;
  const requester = ctx.ticket.requester.email.toLowerCase();
  // The address the request came from proves nothing, and a locked-out user may not reach it.
  const verified = (await directory.verifiedEmails(user.id)).filter((e) => e.toLowerCase() !== requester);
  const to = verified[0];
  if (!to)
    return escalate(
      'the user is registered for MFA but has no verified contact email to send a Temporary Access Pass to',
      'One of our engineers will call you to confirm who you are and get you back in.',
      findings,
    );
  const minutes = ctx.client.directory?.passLifetimeMinutes ?? DEFAULT_PASS_MINUTES;
  const masked = maskAddress(to);
  const detail = `one-time pass valid ${minutes} minutes, sent to ${masked} (a verified authentication email)`;
  const step = `${ctx.step}-pass`;
  const action = { action: 'temporary_access_pass' as const, target: user.userPrincipalName, detail };
  // Already sent by an earlier try of this activity: a new pass would silently void that one.
  if ((await ctx.audit.get(ctx.client.clientId, ctx.ticket.ticketId, step))?.outcome !== 'done')
    await audited(
      ctx,
      step,
      {
        ...action,
        reason: `Password help requested in ${ctx.ticket.ticketId} ("${ctx.ticket.subject}"); the sender matches the user, who is registered for MFA but not for self-service reset.`,
      },
      async () => {
        const pass = await directory.createTemporaryAccessPass(user.id, {
          lifetimeMinutes: minutes,
          usableOnce: true,
        });
        // Keyed by the pass: if this try dies after creating it, the retry's new pass is mailed too.
        await ctx.sendMail(
          temporaryAccessPassMail({
            to,
            name: ctx.ticket.requester.name ?? user.displayName,
            pass: pass.pass,
            minutes: pass.lifetimeMinutes,
            ticketId: ctx.ticket.ticketId,
          }),
          `${ctx.ticket.ticketId}.${step}.${pass.methodId}`,
        );
      },
    );
  findings.push(`Created a Temporary Access Pass and sent it to ${masked}.`);
  return { kind: 'guide', guide: temporaryPassGuide(masked, minutes), findings, actions: [action] };
}
