using Autotier.Application.Ports;
using Autotier.Domain.Classification;
using Autotier.Domain.Mail;
using Autotier.Domain.Playbooks;

namespace Autotier.Application.Playbooks;

/// <summary>
/// Password help through an MFA-verified path only (the TypeScript passwordReset.ts). The
/// self-service reset steps when the user is registered for it (Microsoft verifies them there);
/// otherwise a one-time Temporary Access Pass to a contact email the user registered and verified,
/// for a requester proven to own the address. Never a password; never a pass to an address that is
/// not verified; on-premises lockouts to an engineer.
/// </summary>
internal static class PasswordResetPlaybook
{
    private const int DefaultPassMinutes = 60;

    private const string OnPremisesTold =
        "Your account is managed on your organisation's own servers, so one of our engineers will sort it out there.";

    public static async Task<PlaybookRun> RunAsync(PlaybookContext ctx)
    {
        if (ctx.Directory is not { } directory)
        {
            var fallback = await ctx.BestGuideAsync(Categories.PasswordReset).ConfigureAwait(false);
            if (fallback is null) return ctx.Stop("there is no password guide", "One of our engineers will help you.");
            ctx.Findings.Add("The client has no directory connection, so the account was not checked; sent the self-service reset steps, where Microsoft verifies the user with MFA.");
            return ctx.Guided(fallback);
        }
        try
        {
            var (user, stopped) = await ctx.IdentifyAsync(directory).ConfigureAwait(false);
            if (stopped is not null) return stopped;
            if (OnPremisesRefusal(ctx, user!) is { } refusal) return ctx.Stop(refusal, OnPremisesTold);

            var reg = await directory.RegistrationAsync(user!.Id, ctx.Ct).ConfigureAwait(false);
            var methods = reg.Methods.Count > 0 ? string.Join(", ", reg.Methods) : "methods not listed";
            ctx.Findings.Add(
                $"Self-service reset {(reg.SsprRegistered ? "registered" : "not registered")}{(reg.SsprEnabled ? "" : " (not enabled for the user)")}; "
                + $"MFA {(reg.MfaRegistered ? $"registered ({methods})" : "not registered")}.");
            if (reg.SsprRegistered && reg.SsprEnabled && await ctx.BestGuideAsync(Categories.PasswordReset).ConfigureAwait(false) is { } guide)
                return ctx.Guided(guide);
            if (!reg.MfaRegistered)
                return ctx.Stop(
                    "the user is not registered for MFA or self-service reset, so there is no verified way to confirm who is asking",
                    "Before we can help with your password we need to be sure it's really you, so one of our engineers will get in touch.");
            if (ctx.Request.Client.Directory?.TemporaryAccessPass == false)
                return ctx.Stop(
                    "the user is not registered for self-service reset and the client does not allow Temporary Access Passes",
                    "One of our engineers will help you get back into your account.");
            return await SendPassAsync(ctx, directory, user).ConfigureAwait(false);
        }
        catch (DirectoryException e)
        {
            return ctx.Stop(e.Message, PlaybookContext.GraphTrouble);
        }
    }

    private static string? OnPremisesRefusal(PlaybookContext ctx, DirectoryUser user)
    {
        if (user.OnPremises is not { } onPremises) return null;
        var account = $"{onPremises.Domain ?? "on-premises"}\\{onPremises.SamAccountName ?? user.UserPrincipalName}";
        if (PlaybookRules.MentionsLockout(ctx.Text))
            return $"the account {account} is synchronised from on-premises Active Directory and reported locked out: unlock it there (Entra ID cannot)";
        if (ctx.Request.Client.Directory?.PasswordWriteback != true)
            return $"the account {account} is synchronised from on-premises Active Directory and password writeback is off, so self-service reset cannot change its password";
        return null;
    }

    private static async Task<PlaybookRun> SendPassAsync(PlaybookContext ctx, IDirectory directory, DirectoryUser user)
    {
        var ticket = ctx.Request.Ticket;
        var requester = ticket.Requester.Email.ToLowerInvariant();
        // The address the request came from proves nothing, and a locked-out user may not reach it.
        var to = (await directory.VerifiedEmailsAsync(user.Id, ctx.Ct).ConfigureAwait(false))
            .FirstOrDefault(e => !string.Equals(e.ToLowerInvariant(), requester, StringComparison.Ordinal));
        if (to is null)
            return ctx.Stop(
                "the user is registered for MFA but has no verified contact email to send a Temporary Access Pass to",
                "One of our engineers will call you to confirm who you are and get you back in.");
        var minutes = ctx.Request.Client.Directory?.PassLifetimeMinutes ?? DefaultPassMinutes;
        var masked = PlaybookRules.MaskAddress(to);
        var step = $"{ctx.Request.Step}-pass";
        var action = new PlaybookAction(PlaybookActions.TemporaryAccessPass, user.UserPrincipalName,
            $"one-time pass valid {minutes} minutes, sent to {masked} (a verified authentication email)");
        // Already sent by an earlier try of this step: a new pass would silently void that one.
        if (!await ctx.DoneAsync(step).ConfigureAwait(false))
        {
            // Fix 9: the pass goes to the user's own verified address, but creating one replaces any
            // pass they hold and puts a credential in their inbox that they did not ask for (the
            // opening for a "read me the code" call); only the proven owner of the address may ask.
            if (!ctx.Proven)
                return ctx.NeedProof("a Temporary Access Pass changes the account, and nothing proves the requester owns the address");
            var reason = $"Password help requested in {ticket.TicketId} (\"{ticket.Subject}\"); the sender matches the user, who is registered for MFA but not for self-service reset.";
            await ctx.AuditedAsync(step, action, reason, async () =>
            {
                var pass = await directory.CreateTemporaryAccessPassAsync(user.Id, minutes, usableOnce: true, ctx.Ct).ConfigureAwait(false);
                // Keyed by the pass: if this try dies after creating it, the retry's new pass is mailed too.
                await ctx.Mail.SendAsync(
                    PassMail.Create(to, ticket.Requester.Name ?? user.DisplayName, pass.Pass, pass.LifetimeMinutes, ticket.TicketId),
                    MailKeys.For(ticket.TicketId, $"{step}.{pass.MethodId}"), ctx.Ct).ConfigureAwait(false);
                return true;
            }).ConfigureAwait(false);
        }
        ctx.Findings.Add($"Created a Temporary Access Pass and sent it to {masked}.");
        return ctx.Guided(BuiltInGuides.TemporaryPass(masked, minutes), action);
    }
}
