using System.Text.Json;
using Autotier.Application.Ports;
using Autotier.Domain.Tickets;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Autotier.Adapters.Durable;

/// <summary>
/// The ticket workflow port over a Durable client. The client comes from the invocation's
/// <c>[DurableClient]</c> binding (the isolated worker offers it no other way), so the trigger builds
/// one of these per call.
/// </summary>
public sealed class DurableTicketWorkflow(DurableTaskClient client, string orchestratorName) : ITicketWorkflow, ITicketWorkflowControl
{
    public async Task<bool> EnsureStartedAsync(TicketWorkflowInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var instanceId = TicketIds.OrchestrationInstanceId(input.TicketId);
        if (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is not null) return false;
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                orchestratorName, input,
                // The workflow version is stamped on the instance too, so the Durable history and
                // monitoring show which steps an instance runs (its input carries the same number).
                new StartOrchestrationOptions(instanceId) { Version = new TaskVersion(input.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)) },
                cancellationToken);
            return true;
        }
        catch (InvalidOperationException)
        {
            // Another delivery of the same ticket started it between our look and our start.
            if (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is not null) return false;
            throw;
        }
    }

    public async Task<WorkflowStatus?> GetStatusAsync(string ticketId, CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(TicketIds.OrchestrationInstanceId(ticketId), getInputsAndOutputs: true, cancellationToken);
        if (instance is null) return null;
        JsonElement? custom = instance.SerializedCustomStatus is { Length: > 0 } raw ? JsonElement.Parse(raw) : null;
        return new WorkflowStatus(instance.RuntimeStatus.ToString(), custom);
    }

    public async Task<RaiseResult> RaiseAsync(string ticketId, Domain.Lifecycle.TicketEvent ticketEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticketEvent);
        var instanceId = TicketIds.OrchestrationInstanceId(ticketId);
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken);
        if (instance is null || instance.IsCompleted) return RaiseResult.Finished;
        // Every event is masked on its way in: the Durable history never holds a typed password.
        await client.RaiseEventAsync(instanceId, EventName, ticketEvent.Masked(), cancellationToken);
        return RaiseResult.Delivered;
    }

    public async Task<WorkflowControlResult> RetryFailedAsync(string ticketId, int version, CancellationToken cancellationToken)
    {
        var instanceId = TicketIds.OrchestrationInstanceId(ticketId);
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
        if (instance is null) return new WorkflowControlResult(false, null);
        var status = instance.RuntimeStatus.ToString();
        if (instance.RuntimeStatus != OrchestrationRuntimeStatus.Failed) return new WorkflowControlResult(false, status);
        var input = instance.ReadInputAs<TicketWorkflowInput>()
            ?? throw new InvalidOperationException($"{instanceId} has no input to start again from");
        // Not DurableTaskClient.RestartAsync: it restarts with the old input as it was, version and
        // all; a new start of a failed instance id is what both the Functions extension and the local
        // host allow (a failed instance may be started again; a pending or running one may not).
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                orchestratorName, input with { Version = version },
                new StartOrchestrationOptions(instanceId) { Version = new TaskVersion(version.ToString(System.Globalization.CultureInfo.InvariantCulture)) },
                cancellationToken);
        }
        catch (InvalidOperationException)
        {
            // A second click raced the first: the instance runs again, which is what was asked.
            var now = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken);
            if (now is null || now.RuntimeStatus == OrchestrationRuntimeStatus.Failed) throw;
        }
        return new WorkflowControlResult(true, status);
    }

    public async Task<WorkflowControlResult> StopAsync(string ticketId, string reason, CancellationToken cancellationToken)
    {
        var instanceId = TicketIds.OrchestrationInstanceId(ticketId);
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken);
        if (instance is null) return new WorkflowControlResult(false, null);
        var status = instance.RuntimeStatus.ToString();
        if (instance.RuntimeStatus == OrchestrationRuntimeStatus.Failed) return new WorkflowControlResult(true, status);
        if (instance.IsCompleted) return new WorkflowControlResult(false, status);
        await client.TerminateInstanceAsync(instanceId, new TerminateInstanceOptions { Output = reason }, cancellationToken);
        return new WorkflowControlResult(true, status);
    }

    /// <summary>The ticket workflow's one external event name (Autotier.Workflow's TicketEvents.Name).</summary>
    public const string EventName = "ticketEvent";
}
