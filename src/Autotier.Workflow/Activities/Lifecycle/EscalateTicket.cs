using Autotier.Application.Ports;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Resolutions;
using Autotier.Domain.Tickets;

namespace Autotier.Workflow.Activities.Lifecycle;

/// <summary>
/// Hands the ticket to a person with the full package (bounded, so it always fits its storage),
/// and tells the tier, or for a P1 or security incident whoever is on call; then the package goes
/// to the PSA as an internal note with the move to the tier's board (after the alert, so a PSA
/// that is down never holds the engineers' alert up; a retry finds the note by its marker).
/// </summary>
public sealed class EscalateTicket(TicketKit kit, IClientStore clients, INotifier notifier, IResolutionLog resolutions)
{
    public async Task RunAsync(EscalateInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var ticket = await kit.LoadAsync(input.TicketId, cancellationToken);
        var clientName = (await clients.GetAsync(ticket.ClientId, cancellationToken))?.Name ?? ticket.ClientId;
        var package = EscalationPackage.Build(ticket, clientName, input.Tier, input.Reason, input.Answer, input.Sla, input.At);
        await kit.UpdateAsync(ticket.TicketId, input.At, Stage.Escalated, t => TicketKit.Stale(t, input.Cycle) ? t : t with
        {
            Escalation = package,
            Tier = input.Tier,
            Sla = input.Sla,
        }, cancellationToken, input.Cycle);
        await kit.NoteAsync(ticket.TicketId, input.Step, input.At, Stage.Escalated, $"Escalated to tier {input.Tier}: {package.Reason}", cancellationToken);
        // The guide did not fix it (a no, or silence where the category escalates): it counts against the article.
        if (input.Answer is RequesterAnswers.No or RequesterAnswers.Silence) await kit.CountGuideAsync(ticket, false, input.Step, cancellationToken);
        if (!input.Quiet)
            await notifier.NotifyAsync(await kit.AlertAsync(
                ticket with { Sla = input.Sla }, input.Step, "escalation", input.Tier,
                $"{package.Priority} {package.Category}: {package.Reason}", input.At, input.OnCall ? "oncall" : null, cancellationToken), cancellationToken);
        await resolutions.RecordAsync(new ResolutionRecord(
            ticket.TicketId, ticket.ClientId, package.Category, Outcomes.Escalated, ticket.Subject, package.Reason, input.At), cancellationToken);
        await kit.Psa.EscalateAsync(package, input.Step, cancellationToken);
    }
}
