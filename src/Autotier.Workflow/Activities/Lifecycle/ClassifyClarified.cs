using Autotier.Application.Ports;
using Autotier.Domain.Classification;

namespace Autotier.Workflow.Activities.Lifecycle;

/// <summary>
/// An uncertain ticket's answer to its one clarifying question: the ticket is classified again with
/// the answer added, so a clear answer can still go to automation and anything else to a person.
/// </summary>
public sealed class ClassifyClarified(TicketKit kit, IClientStore clients, ITicketClassifier classifier)
{
    public async Task<TicketClassification> RunAsync(ClarifiedInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var ticket = await kit.LoadAsync(input.TicketId, cancellationToken);
        // An engineer's call wins over a second look by the classifier.
        if (ticket.Classification is { DecidedBy: DecidedBy.Engineer } decided) return decided;
        var client = await clients.GetAsync(ticket.ClientId, cancellationToken) ?? new Domain.Clients.ClientProfile(ticket.ClientId, ticket.ClientId);
        var again = await classifier.ClassifyAsync(ticket.Subject, ticket.Body + "\n\n" + input.Reply, client, ticket.Requester.Email, cancellationToken);
        // One question only: a second "not sure" goes to a person rather than asking again.
        if (again.Route == Routes.Clarify) again = again with { Route = Routes.Escalate, Reasons = [.. again.Reasons, "still unclear after one clarifying question"] };
        await kit.UpdateAsync(ticket.TicketId, input.At, null, t => t with { Classification = again }, cancellationToken);
        await kit.NoteAsync(ticket.TicketId, input.Step, input.At, null, $"Classified again with the requester's answer: {again.Category}, {again.Route}", cancellationToken);
        return again;
    }
}
