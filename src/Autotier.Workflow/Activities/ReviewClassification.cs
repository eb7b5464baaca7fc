using Autotier.Application.Ports;
using Autotier.Domain.Assistant;
using Autotier.Domain.Tickets;

namespace Autotier.Workflow.Activities;

public sealed record ReviewInput(string TicketId, DateTimeOffset At);

/// <param name="Changed">The second opinion moved the ticket (only ever towards more caution).</param>
/// <param name="Route">The ticket's route afterwards.</param>
public sealed record ReviewResult(bool Changed, string? Route);

/// <summary>
/// The assistant's second opinion on a ticket the classifier was unsure of (route clarify), when
/// the optional Azure OpenAI assistant is configured. Intake classifies in the request and cannot
/// wait seconds for a language model, so the opinion comes here, in the workflow, and may only make
/// the ticket more cautious (<see cref="SecondOpinion.Apply"/>). Runs at least once: a second run
/// finds the ticket already reviewed (no longer wanted) and changes nothing; the assistant counts
/// one use per (ticket, step).
/// </summary>
public sealed class ReviewClassification(ITicketStore tickets, IClientStore clients, IAssistant assistant)
{
    /// <summary>The clients' default threshold, for a ticket whose client profile has gone.</summary>
    private const double DefaultThreshold = 0.6;

    public async Task<ReviewResult> RunAsync(ReviewInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var ticket = await tickets.GetAsync(input.TicketId, cancellationToken)
            ?? throw new InvalidOperationException($"ticket {input.TicketId} is not stored");
        if (ticket.Classification is not { } own || SecondOpinion.Wanted(own, null, null) is null)
            return new ReviewResult(false, ticket.Classification?.Route);

        var threshold = (await clients.GetAsync(ticket.ClientId, cancellationToken))?.AutoThreshold ?? DefaultThreshold;
        var people = People.Of(ticket);
        var reviewed = await assistant.SecondOpinionAsync(
            new AssistantRequest<TriageInput>(ticket.ClientId, $"{ticket.TicketId}|second-opinion", new TriageInput(ticket.Subject, ticket.Body), people),
            new SecondOpinionContext(own, threshold),
            cancellationToken);
        if (reviewed.Route == own.Route && reviewed.Category == own.Category && reviewed.Priority == own.Priority)
            return new ReviewResult(false, own.Route);

        // Applied only to the classification the opinion was asked about: an engineer's correction
        // made meanwhile wins.
        await tickets.UpdateAsync(
            ticket.TicketId,
            t => ReferenceEquals(t.Classification, null) || t.Classification.DecidedBy != own.DecidedBy || t.Classification.Route != own.Route
                ? null
                : t with { Classification = reviewed, UpdatedAt = input.At },
            cancellationToken);
        await tickets.AppendTimelineAsync(
            ticket.TicketId,
            new TimelineEntry("second-opinion", input.At, ticket.Stage, $"Second opinion: {own.Route} -> {reviewed.Route} ({reviewed.Category})"),
            cancellationToken);
        return new ReviewResult(true, reviewed.Route);
    }
}
