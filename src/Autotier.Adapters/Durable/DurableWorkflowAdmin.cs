using System.Text.Json;
using Autotier.Application.Ports;
using Autotier.Domain.Lifecycle;
using Microsoft.DurableTask.Client;

namespace Autotier.Adapters.Durable;

/// <summary>The housekeeping's view of the task hub, over the invocation's Durable client.</summary>
public sealed class DurableWorkflowAdmin(DurableTaskClient client) : IWorkflowAdmin
{
    public async Task<IReadOnlyList<InstanceSummary>> UnfinishedAsync(CancellationToken cancellationToken)
    {
        var query = new OrchestrationQuery
        {
            Statuses = [OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running],
            FetchInputsAndOutputs = false,
        };
        var found = new List<InstanceSummary>();
        await foreach (var i in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
            found.Add(new InstanceSummary(i.InstanceId, i.RuntimeStatus.ToString(), i.CreatedAt, i.LastUpdatedAt, NextDeadline(i.SerializedCustomStatus)));
        return found;
    }

    public async Task<int> PurgeFinishedAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var purged = await client.PurgeAllInstancesAsync(
            new PurgeInstancesFilter(DateTimeOffset.UnixEpoch, before, [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Terminated]),
            cancellationToken);
        return purged.PurgedInstanceCount;
    }

    private static DateTimeOffset? NextDeadline(string? status)
    {
        if (string.IsNullOrEmpty(status)) return null;
        try
        {
            using var doc = JsonDocument.Parse(status);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("nextDeadline", out var at)
                && at.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(at.GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var due)
                ? due : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
