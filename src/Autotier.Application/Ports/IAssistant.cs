using Autotier.Domain.Assistant;
using Autotier.Domain.Classification;

namespace Autotier.Application.Ports;

/// <summary>
/// The optional language-model assistant (README "Optional Azure OpenAI assistant"). Every method
/// applies the domain's guards before it answers, so a caller cannot use a raw model answer by
/// mistake, and none throws for the model's sake: no answer (not configured, over the client's
/// budget, breaker open, timeout, HTTP error, an answer that fails validation) means autotier goes
/// on with its own classifier and rules. Only the caller's own cancellation ends a call with
/// <see cref="OperationCanceledException"/>. Call it from activities, never from an orchestrator.
/// </summary>
public interface IAssistant
{
    /// <summary>False for <see cref="Assistant.NullAssistant"/>: the workflow then skips the reply-reading step altogether.</summary>
    bool IsConfigured { get; }

    /// <summary>
    /// The classification after a second opinion: <paramref name="context"/>'s own classification when
    /// none is wanted (<see cref="SecondOpinion.Wanted"/>) or none is available, otherwise as
    /// <see cref="SecondOpinion.Apply"/> allows (more cautious only).
    /// </summary>
    Task<TicketClassification> SecondOpinionAsync(
        AssistantRequest<TriageInput> request, SecondOpinionContext context, CancellationToken cancellationToken);

    /// <summary>The briefing for the engineer, plain and bounded, or none with the reason when it was withheld.</summary>
    Task<BriefingOutcome> BriefingAsync(AssistantRequest<BriefingInput> request, CancellationToken cancellationToken);

    /// <summary>What an unclear reply means, and whether a follow-up ticket may be filed from it (<see cref="FollowUpPolicy"/>).</summary>
    Task<ReplyReading> ReadReplyAsync(
        AssistantRequest<ReplyInput> request, FollowUpCounts counts, CancellationToken cancellationToken);

    /// <summary>A draft article for a person to review (never published by itself), or null.</summary>
    Task<KbDraftAnswer?> DraftKbArticleAsync(AssistantRequest<KbDraftInput> request, CancellationToken cancellationToken);
}

/// <param name="Own">The classifier's classification.</param>
/// <param name="Threshold">The client's automation threshold.</param>
/// <param name="ModelLabel">The trained model's own top label, when a model ran.</param>
/// <param name="RulesLabel">The keyword rules' own best category, when any matched.</param>
public sealed record SecondOpinionContext(TicketClassification Own, double Threshold, string? ModelLabel = null, string? RulesLabel = null);

/// <param name="Briefing">The briefing to show, when there is one.</param>
/// <param name="Withheld">Why one was withheld on purpose (for the note); null when there simply was no answer.</param>
public sealed record BriefingOutcome(Briefing? Briefing, string? Withheld)
{
    public static BriefingOutcome None { get; } = new(null, null);
}
