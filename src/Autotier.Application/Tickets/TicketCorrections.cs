using System.Globalization;
using System.Text.Json;
using Autotier.Application.Ports;
using Autotier.Domain.Classification;
using Autotier.Domain.Tickets;
using Microsoft.Extensions.Logging;

namespace Autotier.Application.Tickets;

/// <summary>
/// An engineer's <c>{type:"reclassified", by, category?, priority?, note?}</c>: stored on the ticket
/// (its classification shows the engineer's call and the correction), on the timeline, and in the
/// client's corrections, which <c>autotier classifier train --client</c> learns from and the metrics
/// count as misroutes.
/// </summary>
public sealed partial class TicketCorrections(
    ITicketStore tickets,
    ICorrectionStore corrections,
    TimeProvider time,
    ILogger<TicketCorrections> logger)
{
    public async Task<CorrectionResult> ReclassifyAsync(string ticketId, JsonElement body, CancellationToken cancellationToken)
    {
        if (!TicketIds.IsTicketId(ticketId)) return new CorrectionResult.Invalid("ticketId: must look like T-1042");
        var parsed = ReclassifyRequest.Parse(body);
        if (!parsed.Ok) return new CorrectionResult.Invalid(parsed.Error);
        var request = parsed.Value;
        var now = time.GetUtcNow();

        TicketCorrection? made = null;
        var stored = await tickets.UpdateAsync(ticketId, ticket =>
        {
            made = null;
            if (ticket.Classification is not { } current) return null;
            var last = ticket.Corrections is { Count: > 0 } list ? list[^1] : null;
            // A caller's retry of the same correction changes nothing (the ticket already says it).
            if (last is not null && IsRepeat(last, request, current)) return null;
            made = new TicketCorrection(
                request.By, now, current.Category, current.Priority,
                request.Category ?? current.Category, request.Priority ?? current.Priority, request.Note);
            return ticket with
            {
                Classification = Reclassify.Apply(current, made),
                Corrections = [.. (ticket.Corrections ?? []).TakeLast(Ticket.MaxCorrectionsKept - 1), made],
                CorrectionCount = ticket.CorrectionCount + 1,
                UpdatedAt = now,
            };
        }, cancellationToken);
        if (stored is null) return new CorrectionResult.NotFound($"ticket {ticketId} not found");
        if (stored.Classification is null) return new CorrectionResult.Conflict($"ticket {ticketId} has not been classified yet");
        if (made is null) return new CorrectionResult.Accepted(stored);

        var sequence = stored.CorrectionCount;
        // Both writes below are idempotent on (ticket, sequence); the ticket above is the commit point.
        await tickets.AppendTimelineAsync(
            ticketId,
            new TimelineEntry(
                "reclassified-" + sequence.ToString(CultureInfo.InvariantCulture), now, stored.Stage,
                $"{made.By} {Reclassify.Describe(made)}" + (made.Note is null ? "" : $": {made.Note}")),
            CancellationToken.None);
        await corrections.RecordAsync(
            new CorrectionRecord(
                stored.ClientId, ticketId, sequence, now, made.By, stored.Subject, stored.Body,
                made.FromCategory, made.ToCategory, made.FromPriority, made.ToPriority),
            CancellationToken.None);
        LogReclassified(logger, ticketId, made.FromCategory, made.ToCategory, made.FromPriority, made.ToPriority);
        return new CorrectionResult.Accepted(stored);
    }

    private static bool IsRepeat(TicketCorrection last, ReclassifyRequest request, TicketClassification current) =>
        string.Equals(last.By, request.By, StringComparison.Ordinal)
        && string.Equals(last.Note, request.Note, StringComparison.Ordinal)
        && string.Equals(request.Category ?? current.Category, current.Category, StringComparison.Ordinal)
        && string.Equals(request.Priority ?? current.Priority, current.Priority, StringComparison.Ordinal)
        && string.Equals(last.ToCategory, current.Category, StringComparison.Ordinal)
        && string.Equals(last.ToPriority, current.Priority, StringComparison.Ordinal);

    // No names or text: which ticket and what moved.
    [LoggerMessage(Level = LogLevel.Information, Message = "ticket {TicketId} reclassified: {FromCategory} -> {ToCategory}, {FromPriority} -> {ToPriority}")]
    private static partial void LogReclassified(ILogger logger, string ticketId, string fromCategory, string toCategory, string fromPriority, string toPriority);
}

public abstract record CorrectionResult
{
    private CorrectionResult() { }

    public sealed record Accepted(Ticket Ticket) : CorrectionResult;

    public sealed record Invalid(string Error) : CorrectionResult;

    public sealed record NotFound(string Error) : CorrectionResult;

    public sealed record Conflict(string Error) : CorrectionResult;
}
