using System.Globalization;
using DurableTask.Core;
using DurableTask.Core.History;
using DurableTask.Core.Query;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Newtonsoft.Json.Linq;
using CoreStatus = DurableTask.Core.OrchestrationStatus;
using CoreQuery = DurableTask.Core.Query.OrchestrationQuery;
using PurgeResult = Microsoft.DurableTask.Client.PurgeResult;

namespace Autotier.LocalHost.Durable;

/// <summary>
/// The <see cref="DurableTaskClient"/> that <c>[DurableClient]</c> parameters get in the local host,
/// over the orchestration service's own client interfaces. Written here because the SDK's shim
/// client package (Microsoft.DurableTask.Client.OrchestrationServiceClientShim) is not on the feed;
/// it behaves as the Functions extension's client does on the Azure Storage provider. Inputs and
/// events are serialized with the app's data converter (not the framework's Newtonsoft default), as
/// in the worker.
/// </summary>
public sealed class LocalDurableTaskClient(string name, IOrchestrationServiceClient service, DataConverter dataConverter) : DurableTaskClient(name)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    public DataConverter DataConverter => dataConverter;

    public override async Task<string> ScheduleNewOrchestrationInstanceAsync(
        TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        cancellation.ThrowIfCancellationRequested();
        var instance = new OrchestrationInstance
        {
            InstanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N"),
            ExecutionId = Guid.NewGuid().ToString("N"),
        };
        var started = new ExecutionStartedEvent(-1, dataConverter.Serialize(input))
        {
            Name = orchestratorName.Name,
            Version = options?.Version?.ToString() ?? string.Empty,
            OrchestrationInstance = instance,
            ScheduledStartTime = options?.StartAt?.UtcDateTime,
            Tags = options?.Tags?.ToDictionary(t => t.Key, t => t.Value) ?? [],
        };
        // As the Functions extension does by default: a new start of an instance that is still
        // pending or running is refused; a finished one may be started again.
        await service.CreateTaskOrchestrationAsync(
            new TaskMessage { OrchestrationInstance = instance, Event = started },
            [CoreStatus.Pending, CoreStatus.Running, CoreStatus.Suspended]);
        return instance.InstanceId;
    }

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        return SendAsync(instanceId, new EventRaisedEvent(-1, dataConverter.Serialize(eventPayload)) { Name = eventName }, cancellation);
    }

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        SendAsync(instanceId, new ExecutionSuspendedEvent(-1, reason), cancellation);

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        SendAsync(instanceId, new ExecutionResumedEvent(-1, reason), cancellation);

    public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        cancellation.ThrowIfCancellationRequested();
        return service.ForceTerminateTaskOrchestrationAsync(instanceId, dataConverter.Serialize(options?.Output));
    }

    public override async Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        cancellation.ThrowIfCancellationRequested();
        var states = await service.GetOrchestrationStateAsync(instanceId, allExecutions: false);
        return states is { Count: > 0 } && states[0] is { } state ? ToMetadata(state, getInputsAndOutputs) : null;
    }

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(Microsoft.DurableTask.Client.OrchestrationQuery? filter = null)
    {
        var queries = service as IOrchestrationServiceQueryClient
            ?? throw new NotSupportedException($"{service.GetType().Name} cannot be queried");
        return Pageable.Create(async (continuation, pageSize, cancellation) =>
        {
            var query = new CoreQuery
            {
                RuntimeStatus = filter?.Statuses?.Select(ToCore).ToList(),
                CreatedTimeFrom = filter?.CreatedFrom?.UtcDateTime,
                CreatedTimeTo = filter?.CreatedTo?.UtcDateTime,
                PageSize = pageSize ?? filter?.PageSize ?? Microsoft.DurableTask.Client.OrchestrationQuery.DefaultPageSize,
                ContinuationToken = continuation ?? filter?.ContinuationToken,
                InstanceIdPrefix = filter?.InstanceIdPrefix,
                FetchInputsAndOutputs = filter?.FetchInputsAndOutputs ?? false,
            };
            var result = await queries.GetOrchestrationWithQueryAsync(query, cancellation);
            return new Page<OrchestrationMetadata>(
                [.. result.OrchestrationState.Select(s => ToMetadata(s, query.FetchInputsAndOutputs))], result.ContinuationToken);
        });
    }

    public override async Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        while (true)
        {
            var metadata = await GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation);
            if (metadata is not null && metadata.RuntimeStatus != OrchestrationRuntimeStatus.Pending) return metadata;
            await Task.Delay(PollInterval, cancellation);
        }
    }

    public override async Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        while (true)
        {
            var metadata = await GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation);
            if (metadata is { IsCompleted: true }) return metadata;
            await Task.Delay(PollInterval, cancellation);
        }
    }

    public override async Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        var metadata = await GetInstancesAsync(instanceId, false, cancellation);
        if (metadata is null) return new PurgeResult(0);
        if (!metadata.IsCompleted)
            throw new InvalidOperationException($"only finished orchestrations can be purged; {instanceId} is {metadata.RuntimeStatus}");
        var result = await PurgeClient.PurgeInstanceStateAsync(instanceId);
        return new PurgeResult(result.DeletedInstanceCount);
    }

    public override async Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        cancellation.ThrowIfCancellationRequested();
        var coreFilter = new DurableTask.Core.PurgeInstanceFilter(
            filter.CreatedFrom?.UtcDateTime ?? DateTime.MinValue,
            filter.CreatedTo?.UtcDateTime,
            filter.Statuses?.Select(ToCore));
        var result = await PurgeClient.PurgeInstanceStateAsync(coreFilter);
        return new PurgeResult(result.DeletedInstanceCount);
    }

    /// <summary>
    /// The instance's history, as the ops page shows it. The Azure Storage provider returns it as
    /// JSON without type names, so each event is read back by its <c>EventType</c>.
    /// </summary>
    public override async Task<IList<HistoryEvent>> GetOrchestrationHistoryAsync(string instanceId, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        var states = await service.GetOrchestrationStateAsync(instanceId, allExecutions: false);
        if (states is not { Count: > 0 } || states[0] is not { } state)
            throw new ArgumentException($"no orchestration {instanceId}", nameof(instanceId));
        var json = await service.GetOrchestrationHistoryAsync(instanceId, state.OrchestrationInstance.ExecutionId);
        return HistoryJson.Parse(json);
    }

    public override ValueTask DisposeAsync() => default;

    private IOrchestrationServicePurgeClient PurgeClient => service as IOrchestrationServicePurgeClient
        ?? throw new NotSupportedException($"{service.GetType().Name} cannot purge");

    private async Task SendAsync(string instanceId, HistoryEvent historyEvent, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        await service.SendTaskOrchestrationMessageAsync(new TaskMessage
        {
            OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId },
            Event = historyEvent,
        });
    }

    private OrchestrationMetadata ToMetadata(OrchestrationState state, bool withData) => new(state.Name, state.OrchestrationInstance.InstanceId)
    {
        DataConverter = dataConverter,
        RuntimeStatus = (OrchestrationRuntimeStatus)state.OrchestrationStatus,
        CreatedAt = new DateTimeOffset(DateTime.SpecifyKind(state.CreatedTime, DateTimeKind.Utc)),
        LastUpdatedAt = new DateTimeOffset(DateTime.SpecifyKind(state.LastUpdatedTime, DateTimeKind.Utc)),
        SerializedInput = withData ? state.Input : null,
        SerializedOutput = withData ? state.Output : null,
        SerializedCustomStatus = state.Status,
        FailureDetails = ToFailure(state.FailureDetails),
        Tags = state.Tags is null ? new Dictionary<string, string>() : new Dictionary<string, string>(state.Tags),
    };

    private static TaskFailureDetails? ToFailure(FailureDetails? details) => details is null
        ? null
        : new TaskFailureDetails(details.ErrorType, details.ErrorMessage, details.StackTrace, ToFailure(details.InnerFailure), null);

    private static CoreStatus ToCore(OrchestrationRuntimeStatus status) => (CoreStatus)(int)status;
}

/// <summary>
/// Orchestration histories as JSON: the Azure Storage provider returns them without type names,
/// so each event is read back by its <c>EventType</c>. The replay fixtures are stored the same way.
/// </summary>
public static class HistoryJson
{
    public static IList<HistoryEvent> Parse(string json) =>
        [.. JArray.Parse(json).Select(e => (HistoryEvent)e.ToObject(HistoryEventType(e))!)];

    private static Type HistoryEventType(JToken e) => (EventType)e.Value<int>("EventType") switch
    {
        EventType.ExecutionStarted => typeof(ExecutionStartedEvent),
        EventType.ExecutionCompleted => typeof(ExecutionCompletedEvent),
        EventType.ExecutionFailed => typeof(ExecutionCompletedEvent),
        EventType.ExecutionTerminated => typeof(ExecutionTerminatedEvent),
        EventType.ExecutionSuspended => typeof(ExecutionSuspendedEvent),
        EventType.ExecutionResumed => typeof(ExecutionResumedEvent),
        EventType.ExecutionRewound => typeof(ExecutionRewoundEvent),
        EventType.TaskScheduled => typeof(TaskScheduledEvent),
        EventType.TaskCompleted => typeof(TaskCompletedEvent),
        EventType.TaskFailed => typeof(TaskFailedEvent),
        EventType.SubOrchestrationInstanceCreated => typeof(SubOrchestrationInstanceCreatedEvent),
        EventType.SubOrchestrationInstanceCompleted => typeof(SubOrchestrationInstanceCompletedEvent),
        EventType.SubOrchestrationInstanceFailed => typeof(SubOrchestrationInstanceFailedEvent),
        EventType.TimerCreated => typeof(TimerCreatedEvent),
        EventType.TimerFired => typeof(TimerFiredEvent),
        EventType.OrchestratorStarted => typeof(OrchestratorStartedEvent),
        EventType.OrchestratorCompleted => typeof(OrchestratorCompletedEvent),
        EventType.EventSent => typeof(EventSentEvent),
        EventType.EventRaised => typeof(EventRaisedEvent),
        EventType.ContinueAsNew => typeof(ContinueAsNewEvent),
        EventType.GenericEvent => typeof(GenericEvent),
        EventType.HistoryState => typeof(HistoryStateEvent),
        var other => throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"unknown history event type {other}")),
    };
}
