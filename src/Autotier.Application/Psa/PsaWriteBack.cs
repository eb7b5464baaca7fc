using Autotier.Application.Ports;
using Autotier.Domain.Alerts;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Psa;
using Autotier.Domain.Tickets;
using Microsoft.Extensions.Logging;

namespace Autotier.Application.Psa;

/// <summary>
/// Writes what autotier does back to the ticket's PSA ticket (TypeScript psaWriteBack.ts): the
/// escalation package as an internal note and the move to the tier's board, queue or team, notes,
/// status changes.
/// <para>
/// Tickets that came by mail, the portal or the API get a PSA ticket of their own first, once: the
/// PSA id is kept on the ticket (an ETag-guarded write: if two attempts raced, the first stays) and
/// linked as its external id, and a retry that finds none on the ticket looks in the PSA for the
/// reference tag in the summary before it opens another. Every write-back opens it if that has not
/// happened yet (the PSA was down at intake).
/// </para>
/// <para>
/// At least once, without duplicates: each note ends with a marker naming the ticket and the step,
/// and a retried call that finds its marker on the PSA ticket does not post again. Board, queue and
/// status changes set absolute values. Throttling and server errors are retried by the adapter and
/// then thrown, so the activity retries; refused credentials cannot heal by retrying: tier 2 is
/// alerted, the timeline says so, and the step goes on without the write-back.
/// </para>
/// </summary>
public sealed partial class PsaWriteBack(
    PsaConnection psa, ITicketStore tickets, ITicketLinks links, INotifier notifier, TimeProvider time, ILogger<PsaWriteBack> logger) : IPsa
{
    private static readonly TimeSpan DefaultDue = TimeSpan.FromDays(1);

    private string Vendor => psa.Vendor;

    private string Label => PsaVendors.Label(psa.Vendor);

    public async Task<PsaTicketHandle?> OpenAsync(string ticketId, CancellationToken cancellationToken)
    {
        var ticket = await tickets.GetAsync(ticketId, cancellationToken);
        if (ticket is null) return null;
        PsaTicketHandle? handle = null;
        await GuardAsync(ticket, "open", "the new ticket", async () => handle = await OpenForAsync(ticket, cancellationToken), cancellationToken);
        return handle;
    }

    public async Task EscalateAsync(EscalationPackage package, string stepKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(package);
        var ticket = await tickets.GetAsync(package.TicketId, cancellationToken);
        if (ticket is null) return;
        await GuardAsync(ticket, stepKey, "the escalation", async () =>
        {
            if (await PsaIdAsync(ticket, cancellationToken) is not { } psaId) return;
            await NoteOnceAsync(psaId, ticket.TicketId, stepKey, PsaRoundTrip.EscalationNote(package), cancellationToken);
            await psa.Api.UpdateAsync(psaId, psa.Mapping.Status(PsaStatus.InProgress), psa.Mapping.Tier(package.Tier), cancellationToken);
        }, cancellationToken);
    }

    public async Task AddNoteAsync(string ticketId, string note, string stepKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(note);
        var ticket = await tickets.GetAsync(ticketId, cancellationToken);
        if (ticket is null) return;
        await GuardAsync(ticket, stepKey, "a note", async () =>
        {
            if (await PsaIdAsync(ticket, cancellationToken) is { } psaId)
                await NoteOnceAsync(psaId, ticket.TicketId, stepKey, note, cancellationToken);
        }, cancellationToken);
    }

    public async Task SetStatusAsync(string ticketId, PsaStatus status, string stepKey, CancellationToken cancellationToken)
    {
        if (psa.Mapping.Status(status) is not { } mapped) return;
        var ticket = await tickets.GetAsync(ticketId, cancellationToken);
        if (ticket is null) return;
        await GuardAsync(ticket, stepKey, "a status change", async () =>
        {
            if (await PsaIdAsync(ticket, cancellationToken) is { } psaId)
                await psa.Api.UpdateAsync(psaId, mapped, null, cancellationToken);
        }, cancellationToken);
    }

    public async Task HandUpAsync(string ticketId, int tier, string note, string stepKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(note);
        var ticket = await tickets.GetAsync(ticketId, cancellationToken);
        if (ticket is null) return;
        await GuardAsync(ticket, stepKey, "the hand-up", async () =>
        {
            if (await PsaIdAsync(ticket, cancellationToken) is not { } psaId) return;
            await NoteOnceAsync(psaId, ticket.TicketId, stepKey, note, cancellationToken);
            if (psa.Mapping.Tier(tier) is { } queue) await psa.Api.UpdateAsync(psaId, null, queue, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>The PSA ticket id of a ticket in this PSA: the one it came from, or the one autotier opened for it there.</summary>
    public static string? PsaIdOf(string vendor, Ticket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var prefix = vendor + ":";
        if (VendorOf(ticket.Channel) == vendor && ticket.ExternalId is { } external && external.StartsWith(prefix, StringComparison.Ordinal))
            return external[prefix.Length..];
        return ticket.PsaTicket is { } opened && opened.Vendor == vendor ? opened.Id : null;
    }

    public static string? VendorOf(Channel channel) => channel switch
    {
        Channel.ConnectWise => PsaVendors.ConnectWise,
        Channel.Autotask => PsaVendors.Autotask,
        Channel.HaloPsa => PsaVendors.HaloPsa,
        _ => null,
    };

    private async Task<string?> PsaIdAsync(Ticket ticket, CancellationToken cancellationToken) =>
        PsaIdOf(Vendor, ticket) ?? (await OpenForAsync(ticket, cancellationToken))?.Id;

    /// <summary>The ticket's PSA ticket: the one it came from, the one opened before, or a new one.</summary>
    private async Task<PsaTicketHandle?> OpenForAsync(Ticket ticket, CancellationToken cancellationToken)
    {
        if (PsaIdOf(Vendor, ticket) is { } known)
            return new PsaTicketHandle(known, ticket.PsaTicket?.Number ?? ticket.ExternalNumber ?? known);
        // A client whose company is not mapped has no PSA ticket: its steps are only on its own records.
        if (PsaRoundTrip.CompanyForClient(Vendor, psa.Mapping, ticket.ClientId) is not { } companyId) return null;
        var reference = PsaRoundTrip.Reference(ticket.TicketId);
        var found = await psa.Api.FindByReferenceAsync(reference, companyId, cancellationToken);
        var created = found is null;
        found ??= await psa.Api.CreateTicketAsync(new PsaNewTicket(
            reference,
            PsaRoundTrip.Summary(Vendor, ticket.Subject, ticket.TicketId),
            PsaRoundTrip.Description(ticket.Body, ticket.Requester.Name, ticket.Requester.Email, Wire(ticket.Channel), ticket.TicketId),
            companyId,
            ticket.Requester.Name,
            ticket.Requester.Email,
            psa.Mapping.Tier(1),
            psa.Mapping.Status(PsaStatus.New),
            ticket.Sla?.ResolutionDue ?? ticket.CreatedAt + DefaultDue), cancellationToken);
        var opened = found;
        var updated = await tickets.UpdateAsync(ticket.TicketId, t => t.PsaTicket is null ? t with { PsaTicket = new PsaTicketRef(Vendor, opened.Id, opened.Number) } : null, cancellationToken);
        var kept = updated?.PsaTicket is { } stored && stored.Vendor == Vendor ? new PsaTicketHandle(stored.Id, stored.Number) : opened;
        // The PSA's own events on it find this ticket, and its "new ticket" event makes no second one.
        await links.LinkAsync(ticket.ClientId, PsaVendors.ExternalId(Vendor, kept.Id), ticket.TicketId, cancellationToken);
        if (created)
            await tickets.AppendTimelineAsync(ticket.TicketId, new TimelineEntry("psa-opened", time.GetUtcNow(), null, $"Opened {Label} ticket {kept.Number} for this ticket"), cancellationToken);
        return kept;
    }

    private async Task NoteOnceAsync(string psaId, string ticketId, string step, string text, CancellationToken cancellationToken)
    {
        var marker = PsaRoundTrip.NoteMarker(ticketId, step);
        var existing = await psa.Api.NoteTextsAsync(psaId, cancellationToken);
        if (existing.Any(t => t.Contains(marker, StringComparison.Ordinal))) return;
        await psa.Api.AddNoteAsync(psaId, PsaRoundTrip.MarkedNote(text, ticketId, step), cancellationToken);
    }

    private async Task GuardAsync(Ticket ticket, string step, string what, Func<Task> write, CancellationToken cancellationToken)
    {
        try
        {
            await write();
        }
        catch (PsaApiException e) when (e.IsAuthFailure)
        {
            LogRefused(logger, Vendor, e.Status, ticket.TicketId, step);
            var now = time.GetUtcNow();
            var message = $"{Label} refused autotier's credentials ({e.Status}) while writing {what} for {ticket.TicketId}: check the AUTOTIER_PSA_* settings. Nothing was written to {Label} for this step.";
            await tickets.AppendTimelineAsync(ticket.TicketId, new TimelineEntry($"psa-refused-{step}", now, null, message), cancellationToken);
            await notifier.NotifyAsync(new AlertFacts($"psa-refused-{step}", ticket.TicketId, ticket.ClientId, 2, AlertKinds.WorkflowProblem, message, now), cancellationToken);
        }
    }

    private static string Wire(Channel channel) => System.Text.Json.JsonSerializer.Serialize(channel).Trim('"');

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Vendor} refused autotier's credentials ({Status}) for {TicketId} step {Step}; tier 2 alerted")]
    private static partial void LogRefused(ILogger logger, string vendor, int status, string ticketId, string step);
}
