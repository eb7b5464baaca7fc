using System.Globalization;
using System.Text.Json;
using Autotier.Application.Ops;
using Autotier.Domain.Tickets;
using DurableTask.Core.History;
using Microsoft.DurableTask.Client;

namespace Autotier.Adapters.Durable;

/// <summary>
/// The ticket workflows' Durable instances for the ops page, over the invocation's Durable client:
/// one instance query for a list (never one call per ticket), and a ticket's status with its history.
/// </summary>
public sealed class DurableWorkflowMonitor(DurableTaskClient client) : IWorkflowMonitor
{
    private const string Prefix = "ticket-";

    /// <summary>Instances a list reads at most (the list shows at most 500 rows).</summary>
    private const int MaxInstances = 2000;

    /// <summary>Point reads at once for <see cref="GetManyAsync"/>.</summary>
    private const int ReadsAtOnce = 16;

    public async Task<IReadOnlyList<WorkflowSummary>> ListAsync(IReadOnlyCollection<string> statuses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var query = new OrchestrationQuery
        {
            Statuses = statuses.Count == 0 ? null : [.. statuses.Select(Enum.Parse<OrchestrationRuntimeStatus>)],
            InstanceIdPrefix = Prefix,
            FetchInputsAndOutputs = false,
            PageSize = 500,
        };
        var found = new List<WorkflowSummary>();
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
        {
            var ticketId = instance.InstanceId[Prefix.Length..];
            if (!TicketIds.IsTicketId(ticketId)) continue;
            found.Add(Summary(ticketId, instance));
            if (found.Count >= MaxInstances) break;
        }
        return found;
    }

    public async Task<IReadOnlyList<WorkflowSummary>> GetManyAsync(IReadOnlyCollection<string> ticketIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticketIds);
        var found = new List<WorkflowSummary>();
        foreach (var batch in ticketIds.Chunk(ReadsAtOnce))
        {
            var read = await Task.WhenAll(batch.Select(id => client.GetInstanceAsync(TicketIds.OrchestrationInstanceId(id), getInputsAndOutputs: false, cancellationToken)));
            found.AddRange(batch.Zip(read).Where(p => p.Second is not null).Select(p => Summary(p.First, p.Second!)));
        }
        return found;
    }

    public async Task<WorkflowDetails?> DetailsAsync(string ticketId, CancellationToken cancellationToken)
    {
        var instanceId = TicketIds.OrchestrationInstanceId(ticketId);
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
        if (instance is null) return null;
        IReadOnlyList<WorkflowHistoryEvent>? history;
        try
        {
            history = HistoryOf(await client.GetOrchestrationHistoryAsync(instanceId, cancellationToken));
        }
        catch (NotSupportedException)
        {
            // A client that cannot read histories: the page says so rather than failing.
            history = null;
        }
        var output = instance.FailureDetails is { } failure ? $"{failure.ErrorType}: {failure.ErrorMessage}" : instance.SerializedOutput;
        return new WorkflowDetails(Summary(ticketId, instance), output, history);
    }

    /// <summary>
    /// The history as the TS page listed it: a completed activity under its name (the name comes
    /// from its scheduling), timers with when they fire, events by name; payloads left out.
    /// </summary>
    public static IReadOnlyList<WorkflowHistoryEvent> HistoryOf(IEnumerable<HistoryEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var scheduled = new Dictionary<int, string>();
        var list = new List<WorkflowHistoryEvent>();
        foreach (var e in events)
        {
            if (e is OrchestratorStartedEvent or OrchestratorCompletedEvent) continue;
            var at = new DateTimeOffset(DateTime.SpecifyKind(e.Timestamp, DateTimeKind.Utc));
            var type = e.EventType.ToString();
            switch (e)
            {
                case ExecutionStartedEvent started:
                    list.Add(new(type, at, started.Name, null));
                    break;
                case TaskScheduledEvent task:
                    scheduled[task.EventId] = task.Name ?? "";
                    list.Add(new(type, at, task.Name, null));
                    break;
                case TaskCompletedEvent done:
                    list.Add(new(type, at, scheduled.GetValueOrDefault(done.TaskScheduledId), null));
                    break;
                case TaskFailedEvent failed:
                    list.Add(new(type, at, scheduled.GetValueOrDefault(failed.TaskScheduledId), failed.FailureDetails?.ErrorMessage ?? failed.Reason));
                    break;
                case TimerCreatedEvent timer:
                    list.Add(new(type, at, "timer", Iso(timer.FireAt)));
                    break;
                case TimerFiredEvent fired:
                    list.Add(new(type, at, "timer", Iso(fired.FireAt)));
                    break;
                case EventRaisedEvent raised:
                    list.Add(new(type, at, raised.Name, null));
                    break;
                case EventSentEvent sent:
                    list.Add(new(type, at, sent.Name, null));
                    break;
                case ExecutionCompletedEvent completed:
                    list.Add(new(type, at, null, completed.OrchestrationStatus.ToString()));
                    break;
                case ExecutionTerminatedEvent:
                    list.Add(new(type, at, null, "terminated"));
                    break;
                case SubOrchestrationInstanceCreatedEvent sub:
                    list.Add(new(type, at, sub.Name, null));
                    break;
                default:
                    list.Add(new(type, at, null, null));
                    break;
            }
        }
        return list;
    }

    private static WorkflowSummary Summary(string ticketId, OrchestrationMetadata instance)
    {
        string? phase = null, nextIs = null;
        DateTimeOffset? next = null;
        if (instance.SerializedCustomStatus is { Length: > 0 } raw)
        {
            try
            {
                using var doc = JsonDocument.Parse(raw);
                var root = doc.RootElement;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    phase = Text(root, "phase");
                    nextIs = Text(root, "nextDeadlineIs");
                    if (Text(root, "nextDeadline") is { } at && DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var due)) next = due;
                }
            }
            catch (JsonException)
            {
                // A custom status that is not the workflow's: shown without its fields.
            }
        }
        return new WorkflowSummary(ticketId, instance.RuntimeStatus.ToString(), phase, next, nextIs, instance.CreatedAt, instance.LastUpdatedAt);
    }

    private static string? Text(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string Iso(DateTime at) => DateTime.SpecifyKind(at, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
