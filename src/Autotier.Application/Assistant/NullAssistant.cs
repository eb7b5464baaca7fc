using Autotier.Application.Ports;
using Autotier.Domain.Assistant;
using Autotier.Domain.Classification;

namespace Autotier.Application.Assistant;

/// <summary>
/// The assistant when none is configured (AUTOTIER_OPENAI_ENDPOINT or AUTOTIER_OPENAI_DEPLOYMENT
/// unset): autotier behaves exactly as without one, with nothing added to the reasons.
/// </summary>
public sealed class NullAssistant : IAssistant
{
    public static NullAssistant Instance { get; } = new();

    public bool IsConfigured => false;

    public Task<TicketClassification> SecondOpinionAsync(
        AssistantRequest<TriageInput> request, SecondOpinionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Task.FromResult(context.Own);
    }

    public Task<BriefingOutcome> BriefingAsync(AssistantRequest<BriefingInput> request, CancellationToken cancellationToken) =>
        Task.FromResult(BriefingOutcome.None);

    public Task<ReplyReading> ReadReplyAsync(
        AssistantRequest<ReplyInput> request, FollowUpCounts counts, CancellationToken cancellationToken) =>
        Task.FromResult(ReplyReading.Unread);

    public Task<KbDraftAnswer?> DraftKbArticleAsync(AssistantRequest<KbDraftInput> request, CancellationToken cancellationToken) =>
        Task.FromResult<KbDraftAnswer?>(null);
}
