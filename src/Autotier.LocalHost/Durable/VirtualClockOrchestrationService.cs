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

    /// <summary>
    /// Moves the clock forward, once the work in hand is done, stopping at each held timer on the way: the clock is set to that
    /// timer's time, the timers due then are delivered, and the orchestrations they wake are let run
    /// until nothing is in hand, before the next step. So a reminder that sets its next timer when it
    /// fires fires again within the same advance, each time at its own time (as the real clock would
    /// have it), not once at the end.
    /// </summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        if (by < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(by), "time only moves forward");
        var target = clock.GetUtcNow() + by;
        // Work in hand when the advance is asked for (an activity running, its result not yet
        // taken) happens first, as it would while that time passed on a real clock: otherwise a
        // timer it leads to would be set from the advanced clock and miss this advance (seen in CI:
        // a reopen window set after an 8-day advance never ended).
        await SettleAsync();
        while (true)
        {
            List<TaskMessage> due;
            lock (gate)
            {
                var next = held.Where(m => FireAt(m) <= target.UtcDateTime).OrderBy(FireAt).FirstOrDefault();
                if (next is null) break;
                var step = FireAt(next);
                due = [.. held.Where(m => FireAt(m) <= step)];
                held.RemoveAll(due.Contains);
                if (step > clock.GetUtcNow().UtcDateTime) clock.SetUtcNow(new DateTimeOffset(step, TimeSpan.Zero));
            }
            await ReleaseAsync(due);
            await SettleAsync();
        }
        if (target > clock.GetUtcNow()) clock.SetUtcNow(target);
    }

    /// <summary>
    /// Raises an event (or starts an instance) through <paramref name="raise"/> and waits, as an advance does, until the work
    /// it starts is done: tests move on only once the orchestration has acted on the event.
    /// </summary>
    public async Task RaiseAndSettleAsync(string instanceId, Func<Task> raise)
    {
        ArgumentNullException.ThrowIfNull(raise);
        lock (gate)
        {
            Produced(instanceId);
            expectedEvents[instanceId] = expectedEvents.GetValueOrDefault(instanceId) + 1;
        }
        await raise();
        await SettleAsync();
    }

    /// <summary>Waits until the work in hand is done (after a start, say), as an advance does.</summary>
    public Task SettledAsync() => SettleAsync();

    private readonly Dictionary<string, int> expectedEvents = [];

    private readonly Dictionary<string, IReadOnlyList<HistoryEvent>> histories = [];

    /// <summary>
    /// The history of an instance as its latest episode committed it (the in-memory service the
    /// tests run on keeps no history to query): what the replay fixtures are recorded from.
    /// </summary>
    public IReadOnlyList<HistoryEvent>? HistoryOf(string instanceId)
    {
        lock (gate) return histories.GetValueOrDefault(instanceId);
    }

    /// <summary>The longest an advance waits for the work of one step.</summary>
    public TimeSpan SettleLimit { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Sends due timers; one that cannot be sent goes back to wait, so no timer is lost.</summary>
    private async Task ReleaseAsync(List<TaskMessage> due)
    {
        lock (gate)
        {
            foreach (var timer in due) Produced(timer.OrchestrationInstance.InstanceId);
        }
        for (var i = 0; i < due.Count; i++)
        {
            try
            {
                await innerClient.SendTaskOrchestrationMessageAsync(Released(due[i]));
            }
            catch
            {
                lock (gate)
                {
                    foreach (var timer in due.Skip(i))
                    {
                        Consumed(timer.OrchestrationInstance.InstanceId, 1);
                        held.Add(timer);
                    }
                }
                throw;
            }
        }
    }

    /// <summary>
    /// Waits (in real time, at most <see cref="SettleLimit"/>) until the work the released timers
    /// started is done: every message this decorator saw produced for an orchestration (a timer
    /// released, an activity scheduled, an activity's result) has been taken, and no work item is in
    /// hand. Counted, not guessed from a quiet spell, so a loaded machine cannot make an advance move
    /// on before a woken orchestration has set its next timer.
    /// </summary>
    private async Task SettleAsync()
    {
        var deadline = DateTime.UtcNow + SettleLimit;
        var settledChecks = 0;
        while (DateTime.UtcNow < deadline && settledChecks < 2)
        {
            await Task.Delay(10);
            bool settled;
            lock (gate) settled = inHand == 0 && pending.Values.All(n => n <= 0);
            settledChecks = settled ? settledChecks + 1 : 0;
        }
    }

    // Under `gate`: work items taken and not yet finished, and per orchestration the messages
    // produced for it that no work item has taken yet.
    private int inHand;
    private readonly Dictionary<string, int> pending = [];
    private readonly Dictionary<TaskOrchestrationWorkItem, int> takenWith = [];

    private void Produced(string instanceId, int count = 1) =>
        pending[instanceId] = pending.GetValueOrDefault(instanceId) + count;

    private void Consumed(string instanceId, int count) =>
        pending[instanceId] = pending.GetValueOrDefault(instanceId) - count;

    /// <summary>The messages of a work item that this decorator counted when they were produced.</summary>
    private static int Counted(TaskOrchestrationWorkItem item) =>
        item.NewMessages.Count(m => m.Event is TaskCompletedEvent or TaskFailedEvent or TimerFiredEvent);

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
        var later = new List<TaskMessage>();
        if (timerMessages is { Count: > 0 })
        {
            var now = clock.GetUtcNow().UtcDateTime;
            foreach (var timer in timerMessages)
            {
                if (FireAt(timer) <= now) dueNow.Add(Released(timer));
                else later.Add(timer);
            }
        }
        // The history is committed with the timers it created; only their delivery waits. They are
        // held only once the commit succeeded, so a failed commit leaves no phantom timer behind.
        await inner.CompleteTaskOrchestrationWorkItemAsync(
            workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, dueNow, continuedAsNewMessage, orchestrationState);
        var instanceId = workItem.InstanceId;
        lock (gate)
        {
            histories[instanceId] = [.. newOrchestrationRuntimeState.Events];
            // Events this orchestration sent to others (an incident's lead to its tickets) are work
            // owed to those instances: counted, so an advance waits for them too.
            foreach (var sent in orchestratorMessages ?? [])
            {
                if (sent.Event is not EventRaisedEvent) continue;
                var target = sent.OrchestrationInstance.InstanceId;
                Produced(target);
                expectedEvents[target] = expectedEvents.GetValueOrDefault(target) + 1;
            }
            if (orchestrationState?.OrchestrationStatus is OrchestrationStatus.Completed or OrchestrationStatus.Failed or OrchestrationStatus.Terminated)
            {
                // Finished: its timers can never matter, and nothing more is owed to it.
                held.RemoveAll(t => t.OrchestrationInstance.InstanceId == instanceId);
                pending.Remove(instanceId);
                return;
            }
            held.AddRange(later);
            Produced(instanceId, (outboundMessages?.Count ?? 0) + dueNow.Count);
        }
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

    public async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        var item = await inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);
        if (item is not null)
        {
            lock (gate)
            {
                inHand++;
                var counted = Counted(item);
                // Raised events and starts count only as many as RaiseAndSettleAsync announced for this
                // instance: those made any other way (the local host's HTTP routes) were never counted as produced.
                var raised = item.NewMessages.Count(m => m.Event is EventRaisedEvent or ExecutionStartedEvent);
                var announced = Math.Min(raised, expectedEvents.GetValueOrDefault(item.InstanceId));
                if (announced > 0) expectedEvents[item.InstanceId] -= announced;
                counted += announced;
                takenWith[item] = counted;
                Consumed(item.InstanceId, counted);
            }
        }
        return item!;
    }

    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);

    public async Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
    {
        await inner.AbandonTaskOrchestrationWorkItemAsync(workItem);
        // Its messages come back to be taken again.
        lock (gate)
        {
            if (takenWith.Remove(workItem, out var counted)) Produced(workItem.InstanceId, counted);
        }
    }

    public async Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
    {
        try
        {
            await inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);
        }
        finally
        {
            lock (gate)
            {
                inHand--;
                takenWith.Remove(workItem);
            }
        }
    }

    public async Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        var item = await inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);
        if (item is not null)
        {
            lock (gate)
            {
                inHand++;
                Consumed(item.TaskMessage.OrchestrationInstance.InstanceId, 1);
            }
        }
        return item!;
    }

    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => inner.RenewTaskActivityWorkItemLockAsync(workItem);

    public async Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage)
    {
        try
        {
            await inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);
        }
        finally
        {
            // Its result (or, if completing failed, the activity itself) is owed to the orchestration.
            lock (gate)
            {
                inHand--;
                Produced(workItem.TaskMessage.OrchestrationInstance.InstanceId);
            }
        }
    }

    public async Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem)
    {
        try
        {
            await inner.AbandonTaskActivityWorkItemAsync(workItem);
        }
        finally
        {
            // It comes back to be taken again.
            lock (gate)
            {
                inHand--;
                Produced(workItem.TaskMessage.OrchestrationInstance.InstanceId);
            }
        }
    }
}
