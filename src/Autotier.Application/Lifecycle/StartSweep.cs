using Autotier.Application.Ports;
using Autotier.Application.Tickets;
using Microsoft.Extensions.Logging;

namespace Autotier.Application.Lifecycle;

/// <summary>
/// Every few minutes: a ticket that was stored but whose workflow never started (storage failed
/// between the two, and the start queue too, or the host stopped there) gets its workflow. Intake
/// answers such a request with the ticket id rather than an error (issue #33 fix 4, "accepted
/// means processed"), so this sweep is what keeps that promise. Starting is idempotent per ticket;
/// the workflow acknowledges the ticket itself when intake could not.
/// </summary>
public sealed partial class StartSweep(ITicketStore tickets, TimeProvider time, ILogger<StartSweep> logger)
{
    /// <summary>A start younger than this may still be on its way (the start queue retries): left alone.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(2);

    /// <summary>How far back the sweep looks: older tickets were seen by earlier sweeps (and housekeeping alerts on the rest).</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(1);

    /// <summary>Most tickets one sweep looks at; more wait for the next.</summary>
    public const int Max = 200;

    public async Task<int> RunAsync(ITicketWorkflow workflow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        var now = time.GetUtcNow();
        var started = 0;
        foreach (var ticket in await tickets.NotYetMovedAsync(now - Window, now - Grace, Max, cancellationToken))
        {
            if (await workflow.GetStatusAsync(ticket.TicketId, cancellationToken) is not null) continue;
            if (!await workflow.EnsureStartedAsync(new TicketWorkflowInput(ticket.TicketId, ticket.ClientId, null, TicketIntake.WorkflowVersion), cancellationToken)) continue;
            LogStarted(logger, ticket.TicketId);
            started++;
        }
        return started;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "ticket {TicketId}: its workflow had not started; the start sweep started it")]
    private static partial void LogStarted(ILogger logger, string ticketId);
}
