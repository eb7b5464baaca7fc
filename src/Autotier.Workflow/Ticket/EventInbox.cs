using Autotier.Domain.Lifecycle;
using Microsoft.DurableTask;

namespace Autotier.Workflow.Ticket;

/// <summary>What woke the workflow: an event from outside, or the named deadline that came due.</summary>
public sealed record Wake(TicketEvent? Event, string? Deadline);

/// <summary>
/// Waits for the next ticket event or the earliest of some named deadlines, without ever losing an
/// event. The SDK hands a raised event to the newest waiter of its name, and a waiter cancelled
/// after losing a race to a timer still sits in that stack and swallows the next event (its
/// result is dropped). So the inbox keeps ONE event wait alive across races and never cancels it;
/// only the timers are cancelled. One timer is made per wait, for the earliest deadline (the SDK
/// splits timers longer than its maximum interval itself).
/// </summary>
public sealed class EventInbox(TaskOrchestrationContext context)
{
    private Task<TicketEvent>? pending;

    public async Task<Wake> NextAsync(IReadOnlyDictionary<string, DateTimeOffset?> deadlines)
    {
        ArgumentNullException.ThrowIfNull(deadlines);
        pending ??= context.WaitForExternalEvent<TicketEvent>(TicketEvents.Name);
        if (pending.IsCompleted) return TakeEvent();
        var now = new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero);
        var next = deadlines.Where(d => d.Value is not null).OrderBy(d => d.Value).Select(d => (Name: d.Key, At: d.Value!.Value)).FirstOrDefault();
        if (next.Name is null)
        {
            await pending;
            return TakeEvent();
        }
        if (next.At <= now) return new Wake(null, next.Name);
        using var cancel = new CancellationTokenSource();
        var timer = context.CreateTimer(next.At.UtcDateTime, cancel.Token);
        var winner = await Task.WhenAny(pending, timer);
        if (winner == pending)
        {
            // Cancel(), never CancelAsync(): the latter continues off the orchestration's scheduler.
            cancel.Cancel();
            return TakeEvent();
        }
        return new Wake(null, next.Name);
    }

    private Wake TakeEvent()
    {
        var completed = pending!;
        pending = null;
        return new Wake(completed.Result, null);
    }
}
