using Autotier.Application.Ports;
using Autotier.Domain.Metrics;
using Autotier.Domain.Resolutions;
using Autotier.Domain.Tickets;

namespace Autotier.Workflow.Activities.Lifecycle;

/// <summary>
/// How a ticket ended: who resolved it (the requester's yes, an engineer, silence), on the ticket,
/// its timeline and the resolution log (what the knowledge base and similar-ticket search learn from).
/// An engineer's note is internal: stored, never mailed.
/// </summary>
public sealed class RecordOutcome(TicketKit kit, IResolutionLog resolutions)
{
    public async Task RunAsync(OutcomeInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (by, stage) = input.Outcome switch
        {
            Outcomes.ResolvedConfirmed => (ResolvedBy.Requester, Stage.Resolved),
            Outcomes.ResolvedByEngineer => (ResolvedBy.Engineer, Stage.Resolved),
            Outcomes.ResolvedUnconfirmed => (ResolvedBy.Silence, Stage.Closed),
            _ => throw new ArgumentOutOfRangeException(nameof(input), input.Outcome, "not an outcome that ends a ticket"),
        };
        var ticket = await kit.UpdateAsync(input.TicketId, input.At, stage, t => TicketKit.Stale(t, input.Cycle) ? t : t with
        {
            Resolution = new Resolution(by, input.At, input.Note, input.Engineer),
            Sla = input.Sla ?? t.Sla,
            RespondedAt = by == ResolvedBy.Engineer ? t.RespondedAt ?? input.At : t.RespondedAt,
        }, cancellationToken, input.Cycle);
        await kit.NoteAsync(input.TicketId, input.Step, input.At, stage, input.Summary, cancellationToken);
        if (input.Outcome == Outcomes.ResolvedConfirmed && !TicketKit.Stale(ticket, input.Cycle)) await kit.CountGuideAsync(ticket, true, input.Step, cancellationToken);
        if (!TicketKit.Stale(ticket, input.Cycle))
        {
            var resolved = TicketKit.Event(ticket, input.Step, input.At, OutcomeKinds.Resolved, input.Sla) with
            {
                By = by switch { ResolvedBy.Requester => "requester", ResolvedBy.Engineer => "engineer", _ => "silence" },
                Cycle = input.Cycle,
            };
            string? answer = input.Outcome switch { Outcomes.ResolvedConfirmed => "yes", Outcomes.ResolvedUnconfirmed => "silence", _ => null };
            await kit.RecordAsync(cancellationToken,
            [
                .. answer is null ? Array.Empty<OutcomeEvent>() : [TicketKit.Event(ticket, $"answer-{input.Step}", input.At, OutcomeKinds.Answered) with { Answer = answer }],
                resolved,
            ]);
        }
        await resolutions.RecordAsync(new ResolutionRecord(
            ticket.TicketId, ticket.ClientId, ticket.Classification?.Category ?? "engineering", input.Outcome,
            ticket.Subject, input.Note ?? input.Summary, input.At, ticket.Guide?.ArticleId), cancellationToken);
        // An engineer who resolved it in the PSA already wrote it there: their status stands.
        if (!input.InPsa && !TicketKit.Stale(ticket, input.Cycle))
        {
            await kit.Psa.AddNoteAsync(ticket.TicketId, $"Resolved ({input.Outcome.Replace('_', ' ')}): {input.Note ?? input.Summary}", input.Step, cancellationToken);
            await kit.Psa.SetStatusAsync(ticket.TicketId, stage == Stage.Closed ? Domain.Psa.PsaStatus.Closed : Domain.Psa.PsaStatus.Resolved, $"{input.Step}-status", cancellationToken);
        }
    }
}
