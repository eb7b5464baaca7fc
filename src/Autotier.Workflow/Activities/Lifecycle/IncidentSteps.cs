using Autotier.Application.Lifecycle;
using Autotier.Domain.Lifecycle;

namespace Autotier.Workflow.Activities.Lifecycle;

public sealed record IncidentInput(string TicketId, DateTimeOffset At);

/// <param name="Close">The lead was resolved: the incident closes, and no new ticket joins it.</param>
public sealed record IncidentMembersInput(string ClientId, string IncidentId, bool Close);

/// <summary>Links an outage or security ticket to its client's incident, or opens one (null: not that kind of ticket).</summary>
public sealed class LinkIncident(IncidentLinking linking)
{
    public Task<IncidentLink?> RunAsync(IncidentInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return linking.LinkAsync(input.TicketId, input.At, cancellationToken);
    }
}

/// <summary>The incident's tickets, for the lead to pass its engineer's plan and resolution to.</summary>
public sealed class IncidentMembers(IncidentLinking linking)
{
    public Task<IReadOnlyList<string>> RunAsync(IncidentMembersInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return linking.MembersAsync(input.ClientId, input.IncidentId, input.Close, cancellationToken);
    }
}
