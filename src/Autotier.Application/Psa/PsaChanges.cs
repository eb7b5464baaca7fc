using Autotier.Application.Ports;
using Autotier.Domain.Alerts;
using Autotier.Domain.Psa;
using Autotier.Domain.Tickets;
using Microsoft.Extensions.Logging;

namespace Autotier.Application.Psa;

/// <summary>
/// One change a PSA reported for one of its tickets, as a webhook handler reads it from the
/// delivery (ConnectWise callback <c>ID</c>/<c>MemberId</c>, Autotask <c>Id</c>/<c>PersonID</c>,
/// Halo <c>ticket.id</c>/<c>action.who_agentid</c>). It only says which ticket changed: the use case
/// asks the PSA for the ticket's status, notes and time entries, so a payload's fields are never
/// trusted and a repeated delivery reports nothing twice.
/// </summary>
/// <param name="Vendor"><see cref="PsaVendors"/>: connectwise, autotask or halopsa.</param>
/// <param name="PsaTicketId">The PSA's own ticket id (not the number people quote).</param>
/// <param name="ActorId">Who made the change, when the delivery says: autotier's own member, resource or agent (<c>selfIds</c>) is ignored.</param>
/// <param name="EventId">The delivery's id, for the log only (replay protection is the webhook's).</param>
public sealed record PsaChange(string Vendor, string PsaTicketId, string? ActorId = null, string? EventId = null);

/// <summary>What a <see cref="PsaChange"/> did.</summary>
public enum PsaChangeOutcome
{
    /// <summary>Events reached the ticket's workflow (<see cref="PsaChangeResult.Delivered"/> lists their kinds; empty when nothing was new).</summary>
    Delivered,

    /// <summary>No PSA is configured, or the change is from another PSA than the configured one.</summary>
    NotConfigured,

    /// <summary>autotier's own change (its member, resource or agent id).</summary>
    Own,

    /// <summary>The PSA ticket is not one of autotier's tickets (or is gone from the PSA).</summary>
    NotOurs,

    /// <summary>The ticket's workflow has finished: nothing changes a finished ticket.</summary>
    Finished,

    /// <summary>The PSA refused autotier's credentials: tier 2 was alerted (at most hourly); retrying will not help.</summary>
    Refused,
}

public sealed record PsaChangeResult(PsaChangeOutcome Outcome, string? TicketId, IReadOnlyList<string> Delivered, string Summary);

/// <summary>
/// What engineers do in the PSA reaches the ticket's workflow (TypeScript intake/psaChanges.ts):
/// a close or resolution becomes <c>resolved</c> by that engineer (the requester gets the
/// "Resolved" mail; nothing is written back over the engineer's status), a customer-facing note a
/// public update mailed to the requester, an internal note or time entry a plan (internal: never
/// mailed), a "waiting on the requester" status pauses the SLA and any other open status resumes it.
/// <para>
/// autotier's own changes are ignored: deliveries by its <c>selfIds</c>, and notes carrying its
/// <c>[autotier T-… step]</c> marker or written by its ids. Each note and time entry is claimed
/// before it is raised and released if raising fails, so a retried delivery reports it once; status
/// events set state, so a repeat changes nothing. Throttling and server errors of the PSA throw
/// (the caller's queue retries); refused credentials alert tier 2 and end the delivery.
/// </para>
/// </summary>
public sealed partial class PsaChanges(
    ITicketStore tickets,
    ITicketLinks links,
    IPsaSeen seen,
    INotifier notifier,
    TimeProvider time,
    ILogger<PsaChanges> logger,
    PsaConnection? psa = null)
{
    /// <summary>Notes are remembered longer than any ticket's workflow runs (the reopen window included).</summary>
    public static readonly TimeSpan RememberNotes = TimeSpan.FromDays(180);

    /// <param name="workflow">The tickets' workflows, as the caller's trigger has them (a <c>DurableTicketWorkflow</c> over its <c>[DurableClient]</c>).</param>
    public async Task<PsaChangeResult> ApplyAsync(PsaChange change, ITicketWorkflow workflow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(workflow);
        var what = $"{change.Vendor} ticket {change.PsaTicketId}";
        if (psa is null || change.Vendor != psa.Vendor)
            return Done(new(PsaChangeOutcome.NotConfigured, null, [], $"{what}: {change.Vendor} is not the configured PSA"), change);
        if (change.ActorId is { } actor && psa.Mapping.SelfIds.Contains(actor))
            return Done(new(PsaChangeOutcome.Own, null, [], $"{what}: autotier's own change"), change);
        try
        {
            return Done(await DeliverAsync(psa, change, what, workflow, cancellationToken), change);
        }
        catch (PsaApiException e) when (e.IsAuthFailure)
        {
            var now = time.GetUtcNow();
            var label = PsaVendors.Label(psa.Vendor);
            // One alert an hour is enough: every delivery meanwhile fails the same way.
            await notifier.NotifyAsync(new AlertFacts(
                $"psa-refused-{now.UtcDateTime:yyyyMMddHH}", "", "_all", 2, AlertKinds.WorkflowProblem,
                $"{label} refused autotier's credentials ({e.Status}) while reading a change to a {label} ticket: check the AUTOTIER_PSA_* settings. Engineers' changes in {label} do not reach autotier until then.",
                now), cancellationToken);
            return Done(new(PsaChangeOutcome.Refused, null, [], $"{what}: {label} refused autotier's credentials ({e.Status})"), change);
        }
    }

    private async Task<PsaChangeResult> DeliverAsync(PsaConnection connection, PsaChange change, string what, ITicketWorkflow workflow, CancellationToken cancellationToken)
    {
        var ticket = await AutotierTicketAsync(connection, change.PsaTicketId, cancellationToken);
        if (ticket is null) return new(PsaChangeOutcome.NotOurs, null, [], $"{what} is not one of autotier's tickets");
        var state = await connection.Api.TicketStateAsync(change.PsaTicketId, cancellationToken);
        if (state is null) return new(PsaChangeOutcome.NotOurs, ticket.TicketId, [], $"{what} is gone from the PSA");

        var keepUntil = time.GetUtcNow() + RememberNotes;
        var candidates = PsaRoundTrip.Candidates(connection.Vendor, connection.Mapping, change.PsaTicketId, state);
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        var fresh = new List<PsaRoundTrip.Candidate>();
        foreach (var candidate in candidates)
        {
            if (!await seen.ClaimAsync(candidate.Key, keepUntil, cancellationToken)) continue;
            claimed.Add(candidate.Key);
            fresh.Add(candidate);
        }
        var delivered = new List<string>();
        try
        {
            foreach (var e in PsaRoundTrip.Events(connection.Vendor, connection.Mapping, state, fresh, change.ActorId))
            {
                // A ticket already resolved or closed is not resolved again (autotier's own status
                // write, seen back): its notes stay unclaimed for a reopen to report.
                if (e.Event.Kind == Domain.Lifecycle.TicketEvent.Resolved && ticket.Stage is Stage.Resolved or Stage.Closed) continue;
                if (await workflow.RaiseAsync(ticket.TicketId, e.Event.Masked(), cancellationToken) != RaiseResult.Delivered)
                    return new(PsaChangeOutcome.Finished, ticket.TicketId, delivered, $"{what}: {ticket.TicketId}'s workflow has finished; nothing delivered");
                foreach (var key in e.Keys) claimed.Remove(key);
                delivered.Add(e.Event.Kind);
            }
        }
        finally
        {
            // What was claimed but not delivered is let go, so the PSA's retry (or the queue's) reports it.
            foreach (var key in claimed)
            {
                try
                {
                    await seen.ReleaseAsync(key, CancellationToken.None);
                }
#pragma warning disable CA1031 // a release that fails leaves the note unreported, which beats failing the delivery
                catch (Exception)
#pragma warning restore CA1031
                {
                    LogReleaseFailed(logger, ticket.TicketId);
                }
            }
        }
        return new(PsaChangeOutcome.Delivered, ticket.TicketId, delivered,
            $"{what}: {(delivered.Count == 0 ? "nothing new" : string.Join(", ", delivered))} delivered to {ticket.TicketId}");
    }

    /// <summary>
    /// The autotier ticket of a PSA ticket: one that came from it (linked by its external id), or one
    /// autotier opened there (linked, or named by the summary's reference tag and naming this PSA ticket back).
    /// </summary>
    private async Task<Ticket?> AutotierTicketAsync(PsaConnection connection, string psaTicketId, CancellationToken cancellationToken)
    {
        var psaTicket = await connection.Api.GetTicketAsync(psaTicketId, cancellationToken);
        if (psaTicket is null) return null;
        if (PsaRoundTrip.ClientForCompany(connection.Mapping, psaTicket.CompanyKeys) is { } clientId
            && await links.FindAsync(clientId, PsaVendors.ExternalId(connection.Vendor, psaTicketId), cancellationToken) is { } linked
            && await tickets.GetAsync(linked, cancellationToken) is { } found
            && found.ClientId == clientId)
            return found;
        if (PsaRoundTrip.TicketIdInSummary(psaTicket.Summary) is not { } named) return null;
        var ticket = await tickets.GetAsync(named, cancellationToken);
        return ticket is not null && PsaWriteBack.PsaIdOf(connection.Vendor, ticket) == psaTicketId ? ticket : null;
    }

    private PsaChangeResult Done(PsaChangeResult result, PsaChange change)
    {
        LogChange(logger, result.Outcome, change.EventId ?? "-", result.Summary);
        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "PSA change {Outcome} (event {EventId}): {Summary}")]
    private static partial void LogChange(ILogger logger, PsaChangeOutcome outcome, string eventId, string summary);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release a claimed PSA note of {TicketId}; it will not be reported again")]
    private static partial void LogReleaseFailed(ILogger logger, string ticketId);
}
