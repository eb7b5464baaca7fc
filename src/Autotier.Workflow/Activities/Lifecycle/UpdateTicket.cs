using Autotier.Application.Ports;
using Autotier.Domain.Metrics;
using Autotier.Domain.Resolutions;
using Autotier.Domain.Tickets;

namespace Autotier.Workflow.Activities.Lifecycle;

/// <summary>A step on the ticket: absolute values, a timeline note, and (for a reopen) the resolution log told the fix did not hold.</summary>
public sealed class UpdateTicket(TicketKit kit, IResolutionLog resolutions)
{
    public async Task RunAsync(TicketUpdate input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var reopened = input.Outcome == StepOutcomes.Reopened;
        // A reopen is judged by the cycle it starts (its Reopens), not the one before: judged by the
        // old cycle, every reopen after the first looked stale and kept the old count and resolution.
        var cycle = reopened ? input.Reopens : input.Cycle;
        var ticket = await kit.UpdateAsync(input.TicketId, input.At, input.Stage, t => TicketKit.Stale(t, cycle) ? t : t with
        {
            Tier = input.Tier ?? t.Tier,
            Sla = input.Sla ?? t.Sla,
            Reopens = input.Reopens ?? t.Reopens,
            Owner = input.Owner ?? t.Owner,
            RespondedAt = input.Responded ? t.RespondedAt ?? input.At : t.RespondedAt,
            // A reopened ticket was not resolved after all: it no longer says who resolved it.
            Resolution = reopened ? null : t.Resolution,
        }, cancellationToken, cycle, reopening: reopened);
        await kit.NoteAsync(input.TicketId, input.Step, input.At, input.Stage, input.Note, cancellationToken);
        if (OutcomeOf(input, ticket) is { } outcome) await kit.RecordAsync(cancellationToken, outcome);
        if (input.PsaNote is { } psaNote) await kit.Psa.AddNoteAsync(input.TicketId, psaNote, input.Step, cancellationToken);
        // No plan in time: the next tier's board has it in the PSA too.
        if (input.Outcome == StepOutcomes.HandedUp && input.Tier is { } tier && !TicketKit.Stale(ticket, input.Cycle))
            await kit.Psa.HandUpAsync(input.TicketId, tier, input.Note, input.Step, cancellationToken);
        if (reopened)
        {
            // (The outcome event above says it for the metrics; this says it for similar-ticket search.)
            // A reopened ticket's fix did not hold: it is never offered as "how it was solved".
            await resolutions.RecordAsync(new ResolutionRecord(
                ticket.TicketId, ticket.ClientId, ticket.Classification?.Category ?? "engineering", Outcomes.Reopened,
                ticket.Subject, input.Note, input.At, ticket.Guide?.ArticleId, Reopened: true), cancellationToken);
        }
    }

    /// <summary>The step's outcome event for the metrics, when the step is one they count.</summary>
    private static OutcomeEvent? OutcomeOf(TicketUpdate input, Domain.Tickets.Ticket ticket)
    {
        var e = TicketKit.Event(ticket, input.Step, input.At, "", input.Sla);
        return input.Outcome switch
        {
            StepOutcomes.Plan => e with { Kind = OutcomeKinds.Plan, Tier = input.Tier ?? ticket.Tier },
            StepOutcomes.HandedUp => e with { Kind = OutcomeKinds.HandedUp, Tier = input.Tier ?? ticket.Tier },
            StepOutcomes.SlaWarning => e with { Kind = OutcomeKinds.SlaWarning },
            StepOutcomes.SlaBreach => e with { Kind = OutcomeKinds.SlaBreach },
            StepOutcomes.Reopened => e with { Kind = OutcomeKinds.Reopened, Reopens = input.Reopens ?? ticket.Reopens },
            StepOutcomes.Closed => e with { Kind = OutcomeKinds.Closed },
            _ => null,
        };
    }
}
