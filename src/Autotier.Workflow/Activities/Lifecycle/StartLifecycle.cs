using Autotier.Domain.Classification;
using Autotier.Domain.Clients;
using Autotier.Domain.Lifecycle;

namespace Autotier.Workflow.Activities.Lifecycle;

/// <summary>
/// Reads what the lifecycle runs on: the classification the intake made and the client's hours,
/// SLA tier and lifecycle settings (defaults where the profile says nothing). A ticket with no
/// classification (stored by an older release, or the classifier failed) goes to a person.
/// </summary>
public sealed class StartLifecycle(TicketKit kit, Application.Ports.IAssistant assistant)
{
    public async Task<TicketSetup> RunAsync(SetupInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var ticket = await kit.LoadAsync(input.TicketId, cancellationToken);
        var client = await kit.ClientAsync(ticket.ClientId, cancellationToken);
        var classification = ticket.Classification ?? new TicketClassification(
            Categories.Engineering, "P3", 0, Routes.Escalate, 1, ["autotier could not classify it; a person should read it"]);
        return new TicketSetup(
            ticket.ClientId,
            client.SlaTier,
            client.BusinessHours,
            LifecycleSettings.For(client.Lifecycle),
            (client.P1 ?? new P1Settings()).Sanitised(),
            classification,
            assistant.IsConfigured);
    }
}
