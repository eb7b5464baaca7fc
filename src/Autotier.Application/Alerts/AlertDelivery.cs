using System.Text.Json.Nodes;
using Autotier.Application.Ports;
using Autotier.Domain.Alerts;
using Autotier.Domain.Mail;
using Autotier.Domain.Tickets;
using Microsoft.Extensions.Logging;

namespace Autotier.Application.Alerts;

/// <summary>What alert delivery needs besides its ports.</summary>
/// <param name="Routing">AUTOTIER_NOTIFY; null when unset.</param>
/// <param name="PublicBaseUrl">Where the ops pages are (AUTOTIER_PUBLIC_BASE_URL).</param>
public sealed record AlertDeliveryOptions(AlertRouting? Routing, string PublicBaseUrl, DigestPolicy Digest);

/// <summary>
/// Delivers alerts from an audience's queue to that audience's channels: a Teams Workflows webhook
/// (an Adaptive Card) and a mail. Each channel goes once (the delivery log keeps what went); a
/// channel that fails is recorded and makes the delivery throw, so the queue brings the message back
/// (host.json: five tries, then <c>&lt;queue&gt;-poison</c>) and only that channel is tried again.
/// An alert whose ticket has since been resolved or closed is dropped, and bursts are gathered into
/// one digest per audience per window (<see cref="AlertDigest"/>). Delivery runs off the ticket
/// workflow's path: a failing channel never holds a ticket up.
/// </summary>
public sealed partial class AlertDelivery(
    AlertDeliveryOptions options,
    IAlertDeliveryLog log,
    IAlertDigestStore digests,
    IChatWebhook webhook,
    IEmailSender mail,
    ITicketStore tickets,
    TimeProvider time,
    ILogger<AlertDelivery> logger)
{
    /// <summary>The partition digests are recorded under: no ticket's id starts with an underscore.</summary>
    public const string DigestTicketId = "_digest";

    /// <summary>Delivers one alert from the audience's queue.</summary>
    public async Task<AlertOutcome> DeliverAsync(Audience audience, AlertFacts alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var channels = options.Routing?.For(audience);
        var outcome = await log.OutcomeOfAsync(alert.TicketId, alert.Key, cancellationToken);
        if (outcome is null)
        {
            outcome = await DecideAsync(audience, alert, channels, cancellationToken);
            await log.RecordOutcomeAsync(alert, audience, outcome.Value, time.GetUtcNow(), cancellationToken);
        }
        if (outcome == AlertOutcome.Alone && channels is not null)
        {
            await SendAsync(audience, channels, alert.TicketId, alert.Key, alert.Kind,
                () => AlertMessages.Card(alert, audience, options.PublicBaseUrl),
                to => AlertMessages.Mail(alert, audience, options.PublicBaseUrl, to),
                cancellationToken);
        }
        if (channels is not null) await FlushQuietlyAsync(audience, cancellationToken);
        return outcome.Value;
    }

    /// <summary>
    /// Sends the audience's digest once its window has passed (or one sealed earlier whose channels
    /// failed). The timer calls it; so does each delivery. Returns whether a digest went out.
    /// </summary>
    public async Task<bool> FlushAsync(Audience audience, CancellationToken cancellationToken)
    {
        var channels = options.Routing?.For(audience);
        if (channels is null) return false;
        var now = time.GetUtcNow();
        var due = await digests.UpdateAsync(audience, s => AlertDigest.Flush(s, audience, now, options.Digest), cancellationToken);
        if (due is null) return false;
        // Checked at sending, not at gathering: a ticket resolved while its alert waited is left out.
        var live = new List<AlertFacts>();
        foreach (var alert in due.Alerts)
        {
            if (await IsFinishedAsync(alert, cancellationToken))
                await log.RecordOutcomeAsync(alert, audience, AlertOutcome.Dropped, now, cancellationToken);
            else live.Add(alert);
        }
        var batch = due with { Alerts = live };
        if (batch.Count > 0)
        {
            await SendAsync(audience, channels, DigestTicketId, due.Id, "digest",
                () => AlertMessages.DigestCard(batch, audience, options.PublicBaseUrl),
                to => AlertMessages.DigestMail(batch, audience, options.PublicBaseUrl, to),
                cancellationToken);
        }
        await digests.UpdateAsync(audience, s => (AlertDigest.Delivered(s, due.Id), 0), cancellationToken);
        var dropped = due.Count - batch.Count;
        LogDigest(logger, audience, batch.Count, dropped);
        return batch.Count > 0;
    }

    private async Task<AlertOutcome> DecideAsync(Audience audience, AlertFacts alert, AudienceChannels? channels, CancellationToken cancellationToken)
    {
        if (await IsFinishedAsync(alert, cancellationToken)) return AlertOutcome.Dropped;
        if (channels is null) return AlertOutcome.NoChannel;
        var now = time.GetUtcNow();
        var admission = await digests.UpdateAsync(audience, s => AlertDigest.Admit(s, alert, now, options.Digest), cancellationToken);
        return admission == AlertAdmission.Alone ? AlertOutcome.Alone : AlertOutcome.Gathered;
    }

    private async Task<bool> IsFinishedAsync(AlertFacts alert, CancellationToken cancellationToken)
    {
        if (!alert.IsAboutTicket) return false;
        var ticket = await tickets.GetAsync(alert.TicketId, cancellationToken);
        return ticket is { Stage: Stage.Resolved or Stage.Closed };
    }

    /// <summary>A digest that cannot go out now is left sealed for the timer: this alert is not failed for it.</summary>
    private async Task FlushQuietlyAsync(Audience audience, CancellationToken cancellationToken)
    {
        try
        {
            await FlushAsync(audience, cancellationToken);
        }
        catch (AlertDeliveryException e)
        {
            LogDigestDeferred(logger, audience, e.Message);
        }
    }

    private async Task SendAsync(
        Audience audience, AudienceChannels channels, string ticketId, string key, string kind,
        Func<JsonObject> card, Func<string, MailMessage> mailTo, CancellationToken cancellationToken)
    {
        var sends = new List<(AlertChannel Channel, Func<Task> Send)>();
        if (channels.Webhook is { } url) sends.Add((AlertChannel.Webhook, () => webhook.PostAsync(url, card(), cancellationToken)));
        if (channels.Email is { } address)
            sends.Add((AlertChannel.Email, () => mail.SendAsync(mailTo(address), MailKey(ticketId, key), cancellationToken)));
        var failed = new List<(AlertChannel Channel, int Failures)>();
        foreach (var (channel, send) in sends)
        {
            if (await log.DeliveredAsync(ticketId, key, channel, cancellationToken)) continue;
            try
            {
                await send();
            }
            // Whatever a channel throws (a webhook's status, a mail service's refusal, storage behind the
            // outbox) is that channel's failure: the others still go, and the queue retries this one.
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var error = SafeError(e.Message);
                var failures = await log.RecordFailedAsync(new AlertDeliveryFailure(ticketId, key, channel, audience, kind, error, time.GetUtcNow()), cancellationToken);
                failed.Add((channel, failures));
                // A logged error reaches Application Insights, where an alert rule can page on it.
                LogChannelFailed(logger, channel, ticketId, key, audience, failures, error);
                continue;
            }
            await log.RecordDeliveredAsync(ticketId, key, channel, audience, time.GetUtcNow(), cancellationToken);
        }
        if (failed.Count > 0)
            throw new AlertDeliveryException($"alert {key} on {ticketId}: {string.Join(" and ", failed.Select(f => $"{f.Channel.ToString().ToLowerInvariant()} failed on try {f.Failures}"))}; the queue tries again");
    }

    /// <summary>Outgoing mail keys are table row keys in the outbox: no <c>/ \ # ?</c> or control characters.</summary>
    internal static string MailKey(string ticketId, string key)
    {
        var raw = $"alert.{ticketId}.{key}.email";
        var chars = raw.Select(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c) ? '_' : c).ToArray();
        return new string(chars, 0, Math.Min(chars.Length, 500));
    }

    /// <summary>One line, bounded, and no URL: an HTTP client's message may carry the address it called.</summary>
    private static string SafeError(string message)
    {
        var line = Domain.Text.TextRules.SingleLine(UrlInText().Replace(message, "<url>"));
        return line.Length > 300 ? line[..300] : line;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\b[a-z][a-z0-9+.-]*://\S+", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex UrlInText();

    [LoggerMessage(EventId = 7101, Level = LogLevel.Error, Message = "autotier.alertDeliveryFailed: the {Channel} channel failed for {TicketId} {Key} ({Audience}, try {Attempt}): {Error}")]
    private static partial void LogChannelFailed(ILogger logger, AlertChannel channel, string ticketId, string key, Audience audience, int attempt, string error);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Information, Message = "alert digest for {Audience}: {Sent} alerts sent, {Dropped} dropped (their tickets were finished)")]
    private static partial void LogDigest(ILogger logger, Audience audience, int sent, int dropped);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Warning, Message = "alert digest for {Audience} not sent yet, the timer tries again: {Error}")]
    private static partial void LogDigestDeferred(ILogger logger, Audience audience, string error);
}

/// <summary>A channel failed; the queue brings the alert back and only that channel is tried again.</summary>
public sealed class AlertDeliveryException : Exception
{
    public AlertDeliveryException() { }

    public AlertDeliveryException(string message) : base(message) { }

    public AlertDeliveryException(string message, Exception innerException) : base(message, innerException) { }
}
