using Autotier.Application.Alerts;
using Autotier.Domain.Alerts;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Autotier.Functions.Alerts;

/// <summary>
/// One queue-triggered function per audience (<c>&lt;AUTOTIER_TIER_QUEUE_PREFIX&gt;1..3</c>,
/// <c>&lt;prefix&gt;oncall</c>), named as the TypeScript app names them. A channel that fails makes
/// the invocation throw, so the queue brings the message back (host.json: five tries, then
/// <c>&lt;queue&gt;-poison</c>).
/// </summary>
public sealed partial class DeliverAlertFunctions(AlertDelivery delivery, ILogger<DeliverAlertFunctions> logger)
{
    private const string Prefix = "%AUTOTIER_TIER_QUEUE_PREFIX%";

    [Function("deliverAlertTier1")]
    public Task Tier1([QueueTrigger(Prefix + "1", Connection = "AzureWebJobsStorage")] AlertFacts alert, CancellationToken cancellationToken) =>
        DeliverAsync(Audience.Tier1, alert, cancellationToken);

    [Function("deliverAlertTier2")]
    public Task Tier2([QueueTrigger(Prefix + "2", Connection = "AzureWebJobsStorage")] AlertFacts alert, CancellationToken cancellationToken) =>
        DeliverAsync(Audience.Tier2, alert, cancellationToken);

    [Function("deliverAlertTier3")]
    public Task Tier3([QueueTrigger(Prefix + "3", Connection = "AzureWebJobsStorage")] AlertFacts alert, CancellationToken cancellationToken) =>
        DeliverAsync(Audience.Tier3, alert, cancellationToken);

    [Function("deliverAlertOncall")]
    public Task OnCall([QueueTrigger(Prefix + "oncall", Connection = "AzureWebJobsStorage")] AlertFacts alert, CancellationToken cancellationToken) =>
        DeliverAsync(Audience.OnCall, alert, cancellationToken);

    [Function("deliverAlertManager")]
    public Task Manager([QueueTrigger(Prefix + "manager", Connection = "AzureWebJobsStorage")] AlertFacts alert, CancellationToken cancellationToken) =>
        DeliverAsync(Audience.Manager, alert, cancellationToken);

    /// <summary>Every minute, each audience's digest whose window has passed goes out, even when no alert follows it.</summary>
    [Function("flushAlertDigests")]
    public async Task FlushDigests([TimerTrigger("0 * * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        foreach (var audience in Audiences.All)
        {
            try
            {
                await delivery.FlushAsync(audience, cancellationToken);
            }
            catch (AlertDeliveryException e)
            {
                // Left sealed in its row: the next minute tries again. The others still go.
                LogFlushFailed(logger, audience, e.Message);
            }
        }
    }

    private async Task DeliverAsync(Audience audience, AlertFacts? alert, CancellationToken cancellationToken)
    {
        if (alert is not { Key.Length: > 0, TicketId.Length: > 0 })
        {
            // Only autotier writes these queues: a message that is not an alert cannot become one by retrying.
            LogNotAnAlert(logger, audience);
            return;
        }
        await delivery.DeliverAsync(audience, alert, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "deliverAlert ({Audience}): a message that is not an alert was dropped")]
    private static partial void LogNotAnAlert(ILogger logger, Audience audience);

    [LoggerMessage(Level = LogLevel.Error, Message = "alert digest for {Audience} failed, tried again next minute: {Error}")]
    private static partial void LogFlushFailed(ILogger logger, Audience audience, string error);
}
