using Autotier.Application.Ports;
using Autotier.Domain.Mail;
using Autotier.Domain.Tickets;
using Microsoft.Extensions.Logging;

namespace Autotier.Application.Tickets;

/// <summary>
/// Sends the acknowledgement of a new ticket while its requester waits on the API call, instead of
/// when the workflow's first activity runs: on Azure that runs only once the Durable queues are
/// polled (their back-off reaches 30 s on an idle app). When the mail service is slow or refuses, the
/// caller gets null and the workflow's acknowledge activity sends the mail under the same
/// idempotency key, so a send left under way here is not repeated. After three misses in a row
/// nothing is tried for a minute, so a throttled mail service does not slow every intake.
/// One instance per process (registered as a singleton), shared by every intake.
/// <para>
/// Two clocks: <paramref name="time"/> is the app's (the acknowledgement's time, virtual in the
/// local host's virtual clock mode); <paramref name="waits"/> times the wait and the pause, which
/// protect the mail service in real time whatever the app's clock says.
/// </para>
/// </summary>
public sealed partial class AcknowledgeAtOnce(IEmailSender mail, TimeProvider time, ILogger<AcknowledgeAtOnce> logger, TimeProvider waits)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    public const int FailuresBeforePause = 3;
    public static readonly TimeSpan Pause = TimeSpan.FromMinutes(1);

    private readonly Lock gate = new();
    private int failures;
    private DateTimeOffset pausedUntil = DateTimeOffset.MinValue;

    /// <summary>When the mail went out, or null when the workflow must send it.</summary>
    /// <param name="emergencyPhone">The MSP's emergency number (the client profile's), for a security ticket's advice.</param>
    public async Task<DateTimeOffset?> SendAsync(Ticket ticket, string? emergencyPhone, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (waits.GetUtcNow() < pausedUntil) return null;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await mail.SendAsync(Messages.AcknowledgementFor(ticket, emergencyPhone), MailKeys.For(ticket.TicketId, "ack"), timeout.Token)
                .WaitAsync(Timeout, waits, cancellationToken);
            lock (gate) failures = 0;
            return time.GetUtcNow();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            lock (gate)
            {
                if (++failures >= FailuresBeforePause)
                {
                    pausedUntil = waits.GetUtcNow() + Pause;
                    failures = 0;
                }
            }
            // Not the error's text: a mail service's may name the recipient.
            LogLeftToWorkflow(logger, ticket.TicketId, e is TimeoutException or OperationCanceledException ? "no answer in time" : "the mail service refused it");
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "acknowledgement of {TicketId} left to its workflow: {Why}")]
    private static partial void LogLeftToWorkflow(ILogger logger, string ticketId, string why);
}
