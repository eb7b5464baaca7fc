using DurableTask.Core;
using DurableTask.Core.History;
using Microsoft.Extensions.Time.Testing;

namespace Autotier.LocalHost.Durable;

/// <summary>
/// Durable timers on a virtual clock. Every orchestration service (the Azure Storage provider, the
/// SDK's in-memory one) delays a <see cref="TimerFiredEvent"/> by its <c>FireAt</c> minus the real
/// time, so a 10-day timer would take 10 days. This decorator holds each timer message the
/// orchestrations schedule, and releases those that are due whenever the clock is advanced (and at
/// once when it is scheduled already due). Nothing else is changed: history, activities, events and
/// queues run on the real service.
/// <para>
/// A released timer is sent with <c>FireAt</c> set to the real now (so the service delivers it at
/// once); the orchestration's <c>CurrentUtcDateTime</c> is the virtual now, stamped by
/// <see cref="VirtualTime.StampNow"/>. Held timers live in this process: a restarted local host in
/// virtual clock mode does not fire timers scheduled before the restart (the real clock mode has no
/// such limit).
/// </para>
/// </summary>
public sealed class VirtualClockOrchestrationService(IOrchestrationService inner, IOrchestrationServiceClient innerClient, FakeTimeProvider clock)
    : IOrchestrationService
{
    private readonly Lock gate = new();
    private readonly List<TaskMessage> held = [];

    public FakeTimeProvider Clock => clock;

    /// <summary>How many timers wait for the clock to reach them.</summary>
    public int HeldTimers
    {
        get
        {
            lock (gate) return held.Count;
        }
    }

    /// <summary>Moves the clock forward and delivers every timer that is now due, earliest first.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        if (by < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(by), "time only moves forward");
        clock.Advance(by);
        List<TaskMessage> due;
        lock (gate)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            due = [.. held.Where(m => FireAt(m) <= now).OrderBy(FireAt)];
            held.RemoveAll(due.Contains);
        }
        foreach (var message in due) await innerClient.SendTaskOrchestrationMessageAsync(Released(message));
    }

    public async Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState)
    {
        var dueNow = new List<TaskMessage>();
        if (timerMessages is { Count: > 0 })
        {
            lock (gate)
            {
                var now = clock.GetUtcNow().UtcDateTime;
                foreach (var timer in timerMessages)
                {
                    if (FireAt(timer) <= now) dueNow.Add(Released(timer));
                    else held.Add(timer);
                }
            }
        }
        // The history is committed with the timers it created; only their delivery waits.
        await inner.CompleteTaskOrchestrationWorkItemAsync(
            workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, dueNow, continuedAsNewMessage, orchestrationState);
    }

    private static DateTime FireAt(TaskMessage message) => ((TimerFiredEvent)message.Event).FireAt;

    private static TaskMessage Released(TaskMessage timer)
    {
        var original = (TimerFiredEvent)timer.Event;
        return new TaskMessage
        {
            OrchestrationInstance = timer.OrchestrationInstance,
            SequenceNumber = timer.SequenceNumber,
            Event = new TimerFiredEvent(-1, DateTime.UtcNow) { TimerId = original.TimerId },
        };
    }

    // Everything else is the real service's.
    public int TaskOrchestrationDispatcherCount => inner.TaskOrchestrationDispatcherCount;

    public int MaxConcurrentTaskOrchestrationWorkItems => inner.MaxConcurrentTaskOrchestrationWorkItems;

    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => inner.EventBehaviourForContinueAsNew;

    public int TaskActivityDispatcherCount => inner.TaskActivityDispatcherCount;

    public int MaxConcurrentTaskActivityWorkItems => inner.MaxConcurrentTaskActivityWorkItems;

    public Task StartAsync() => inner.StartAsync();

    public Task StopAsync() => inner.StopAsync();

    public Task StopAsync(bool isForced) => inner.StopAsync(isForced);

    public Task CreateAsync() => inner.CreateAsync();

    public Task CreateAsync(bool recreateInstanceStore) => inner.CreateAsync(recreateInstanceStore);

    public Task CreateIfNotExistsAsync() => inner.CreateIfNotExistsAsync();

    public Task DeleteAsync() => inner.DeleteAsync();

    public Task DeleteAsync(bool deleteInstanceStore) => inner.DeleteAsync(deleteInstanceStore);

    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) =>
        inner.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);

    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => inner.GetDelayInSecondsAfterOnProcessException(exception);

    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => inner.GetDelayInSecondsAfterOnFetchException(exception);

    public Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);

    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);

    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.AbandonTaskOrchestrationWorkItemAsync(workItem);

    public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);

    public Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);

    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => inner.RenewTaskActivityWorkItemLockAsync(workItem);

    public Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage) =>
        inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);

    public Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem) => inner.AbandonTaskActivityWorkItemAsync(workItem);
}
