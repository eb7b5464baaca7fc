using Autotier.Application.Ports;
using Autotier.Domain.Alerts;
using Autotier.Domain.Tickets;
using Microsoft.Extensions.Logging;

namespace Autotier.Application.Mail;

/// <summary>The sent-mail ledger as delivery reports need it: which mail an ACS operation sent, and what became of it.</summary>
public interface IDeliveryLedger
{
    /// <summary>The idempotency key (<c>&lt;ticketId&gt;.&lt;step&gt;</c>) of the mail an operation sent, or null.</summary>
    Task<string?> KeyOfAsync(string operationId, CancellationToken cancellationToken);

    Task RecordDeliveryAsync(string key, string status, string detail, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>One ACS EmailDeliveryReportReceived event's data.</summary>
public sealed record DeliveryReport(string MessageId, string Status, string Recipient, string? Detail);

/// <summary>
/// ACS reports each mail's fate through Event Grid (the TypeScript acsDeliveryReport.ts). The
/// status is recorded on the ledger; a mail to a requester that bounced, was quarantined or
/// suppressed means they never heard from us: the ticket's timeline says so and its tier is told to
/// reach them another way, once per mail.
/// </summary>
public sealed partial class DeliveryReports(IDeliveryLedger? ledger, ITicketStore tickets, INotifier notifier, TimeProvider time, ILogger<DeliveryReports> logger)
{
    /// <summary>Statuses that mean the mail reached the mailbox (Expanded: sent on to a distribution list).</summary>
    private static readonly HashSet<string> Delivered = new(StringComparer.Ordinal) { "Delivered", "Expanded" };

    public async Task<string> RecordAsync(DeliveryReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var key = ledger is null ? null : await ledger.KeyOfAsync(report.MessageId, cancellationToken);
        if (key is null)
        {
            LogUnknown(logger);
            return "unknown";
        }
        var detail = report.Detail ?? "";
        await ledger!.RecordDeliveryAsync(key, report.Status, detail, time.GetUtcNow(), cancellationToken);
        if (Delivered.Contains(report.Status)) return "delivered";
        var dot = key.IndexOf('.', StringComparison.Ordinal);
        var ticketId = dot < 0 ? key : key[..dot];
        var step = dot < 0 ? "" : key[(dot + 1)..];
        var ticket = TicketIds.IsTicketId(ticketId) ? await tickets.GetAsync(ticketId, cancellationToken) : null;
        if (ticket is null) return "undelivered";
        var at = time.GetUtcNow();
        var note = $"The mail \"{step}\" to the requester was not delivered ({report.Status}{(detail.Length > 0 ? ": " + detail : "")}); reach them another way";
        await tickets.AppendTimelineAsync(ticket.TicketId, new TimelineEntry($"undelivered-{step}", at, null, note), cancellationToken);
        await notifier.NotifyAsync(new AlertFacts($"undelivered-{step}", ticket.TicketId, ticket.ClientId, ticket.Tier ?? 1, "mail_undelivered", $"{ticket.TicketId}: {note}", at)
        {
            Requester = ticket.Requester.Email,
        }, cancellationToken);
        LogUndelivered(logger, ticket.TicketId, report.Status);
        return "undelivered";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "delivery report for an operation this app did not send; ignored")]
    private static partial void LogUnknown(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ticket {TicketId}: a mail to the requester was not delivered ({Status})")]
    private static partial void LogUndelivered(ILogger logger, string ticketId, string status);
}
