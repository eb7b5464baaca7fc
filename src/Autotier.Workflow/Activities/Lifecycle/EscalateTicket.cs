using Autotier.Application.Ports;
using Autotier.Domain.Assistant;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Metrics;
using Autotier.Domain.Resolutions;
using Autotier.Domain.Tickets;

namespace Autotier.Workflow.Activities.Lifecycle;

/// <summary>
/// Hands the ticket to a person with the full package (bounded, so it always fits its storage): the
/// client's solved tickets most like it and, when the assistant is configured, its briefing; and
/// tells the tier, or for a P1 or security incident whoever is on call; then the package goes to
/// the PSA as an internal note with the move to the tier's board (after the alert, so a PSA that is
/// down never holds the engineers' alert up; a retry finds the note by its marker).
/// </summary>
public sealed class EscalateTicket(TicketKit kit, IClientStore clients, INotifier notifier, IResolutionLog resolutions, IAssistant assistant)
{
    /// <summary>Similar tickets come from the client's latest solved ones: one bounded read per escalation (TypeScript SIMILAR_POOL).</summary>
    public const int SimilarPool = 500;

    /// <summary>Messages of the conversation the briefing reads: the first and the latest (TypeScript BRIEFING_MESSAGES).</summary>
    public const int BriefingMessages = 8;

    public async Task RunAsync(EscalateInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var ticket = await kit.LoadAsync(input.TicketId, cancellationToken);
        var client = await clients.GetAsync(ticket.ClientId, cancellationToken);
        var package = EscalationPackage.Build(ticket, client?.Name ?? ticket.ClientId, input.Tier, input.Reason, input.Answer, input.Sla, input.At)
            .WithSystemProfile(client?.SystemProfile)
            .WithSimilar(await SimilarAsync(ticket, cancellationToken));
        var (briefing, withheld) = await BriefingAsync(ticket, input, package.Reason, cancellationToken);
        package = package with { Briefing = briefing, BriefingWithheld = withheld };
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
        await kit.RecordAsync(cancellationToken,
        [
            .. input.Answer is RequesterAnswers.None or RequesterAnswers.Yes ? Array.Empty<OutcomeEvent>()
                : [TicketKit.Event(ticket, $"answer-{input.Step}", input.At, OutcomeKinds.Answered) with { Answer = input.Answer }],
            TicketKit.Event(ticket, input.Step, input.At, OutcomeKinds.Escalated, input.Sla) with { Tier = input.Tier, Reason = package.Reason, Cycle = input.Cycle },
        ]);
        await resolutions.RecordAsync(new ResolutionRecord(
            ticket.TicketId, ticket.ClientId, package.Category, Outcomes.Escalated, ticket.Subject, package.Reason, input.At), cancellationToken);
        await kit.Psa.EscalateAsync(package, input.Step, cancellationToken);
    }

    private async Task<IReadOnlyList<SimilarTicket>> SimilarAsync(Domain.Tickets.Ticket ticket, CancellationToken cancellationToken)
    {
        var solved = (await resolutions.RecentSolvedAsync(ticket.ClientId, SimilarPool, cancellationToken))
            .Where(r => r.TicketId != ticket.TicketId)
            .ToList();
        return SimilarTickets.Find($"{ticket.Subject} {ticket.Body}", ticket.Classification?.Category, solved, EscalationPackage.MaxSimilar);
    }

    /// <summary>
    /// The assistant's briefing for the engineer. A retried step (same orchestration time) keeps the
    /// briefing it already stored rather than pay for the model again; the assistant itself records
    /// each use once per key.
    /// </summary>
    private async Task<(Briefing? Briefing, string? Withheld)> BriefingAsync(Domain.Tickets.Ticket ticket, EscalateInput input, string reason, CancellationToken cancellationToken)
    {
        if (!assistant.IsConfigured) return (null, null);
        if (ticket.Escalation is { } before && before.CreatedAt == input.At && (before.Briefing is not null || before.BriefingWithheld is not null))
            return (before.Briefing, before.BriefingWithheld);
        var conversation = ticket.Conversation ?? [];
        var lines = conversation.Count > BriefingMessages - 1
            ? [conversation[0], .. conversation.TakeLast(BriefingMessages - 2)]
            : conversation;
        var outcome = await assistant.BriefingAsync(
            new AssistantRequest<BriefingInput>(
                ticket.ClientId,
                $"{ticket.TicketId}.{input.Step}",
                new BriefingInput(ticket.Subject, ticket.Body, reason, ticket.Attempted, input.Answer, [.. lines.Select(m => new ConversationLine(m.From, m.Text))]),
                People.Of(ticket)),
            cancellationToken);
        return (outcome.Briefing, outcome.Withheld);
    }
}
