using Autotier.Application.Ports;
using Autotier.Domain.Assistant;
using Autotier.Domain.Classification;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;

namespace Autotier.Application.Assistant;

/// <param name="DailyTokens">Tokens each client may use per UTC day (AUTOTIER_OPENAI_DAILY_TOKENS).</param>
/// <param name="BreakAfter">Calls in <see cref="BreakWindow"/>, every one failed, that open the breaker.</param>
/// <param name="BreakFor">How long it stays open before one trial call is let through.</param>
public sealed record AssistantLimits(long DailyTokens, int BreakAfter = 3, TimeSpan BreakWindow = default, TimeSpan BreakFor = default)
{
    public TimeSpan Window => BreakWindow == default ? TimeSpan.FromMinutes(1) : BreakWindow;

    public TimeSpan Open => BreakFor == default ? TimeSpan.FromMinutes(1) : BreakFor;
}

/// <summary>
/// The assistant with its guard rails, over any <see cref="IChatModel"/> (a port of the TypeScript
/// GuardedAssistant): each client's daily token budget (in <see cref="IAssistantUsage"/>, so it holds
/// across instances), a circuit breaker, redaction (in <see cref="AssistantPrompt"/>), strict answers
/// (<see cref="AssistantAnswers"/>) and the domain's guards on what an answer may change. Every use is
/// recorded once per key; a fallback logs the use and a reason word, never a prompt or an answer.
/// Nothing here throws for the model's sake.
/// </summary>
public sealed partial class GuardedAssistant : IAssistant
{
    private readonly IChatModel chat;
    private readonly IAssistantUsage usage;
    private readonly AssistantLimits limits;
    private readonly TimeProvider time;
    private readonly ILogger<GuardedAssistant> logger;
    private readonly ResiliencePipeline breaker;

    public GuardedAssistant(IChatModel chat, IAssistantUsage usage, AssistantLimits limits, TimeProvider time, ILogger<GuardedAssistant> logger)
    {
        this.chat = chat;
        this.usage = usage;
        this.limits = limits;
        this.time = time;
        this.logger = logger;
        // Polly's breaker counts failures over a window rather than in a row (v8 has no consecutive
        // breaker): with a failure ratio of 1 and a minimum of three calls it opens when at least three
        // calls in the window all failed, then lets one trial through after BreakFor. The breaker is per
        // instance, as in the TypeScript app.
        breaker = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = 1.0,
                MinimumThroughput = limits.BreakAfter,
                SamplingDuration = limits.Window,
                BreakDuration = limits.Open,
            })
            .Build();
    }

    public bool IsConfigured => true;

    public async Task<TicketClassification> SecondOpinionAsync(
        AssistantRequest<TriageInput> request, SecondOpinionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var why = SecondOpinion.Wanted(context.Own, context.ModelLabel, context.RulesLabel);
        if (why is null) return context.Own;
        if (PromptInjection.DetectAny([request.Input.Subject, request.Input.Body]))
        {
            Withheld(AssistantUse.Triage);
            return context.Own with { Reasons = [.. context.Own.Reasons, "no second opinion: the ticket's text addresses a language model"] };
        }
        var answer = await AskAsync(AssistantUse.Triage, request.ClientId, request.Key, AssistantPrompt.For(request), AssistantAnswers.ParseTriage, cancellationToken);
        return SecondOpinion.Apply(context.Own, answer, context.Threshold, why);
    }

    public async Task<BriefingOutcome> BriefingAsync(AssistantRequest<BriefingInput> request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.Input;
        if (PromptInjection.DetectAny([input.Subject, input.Body, .. input.Conversation.Select(c => c.Text)]))
        {
            Withheld(AssistantUse.Briefing);
            return new BriefingOutcome(null, BriefingText.InjectedTicket);
        }
        var answer = await AskAsync(AssistantUse.Briefing, request.ClientId, request.Key, AssistantPrompt.For(request), AssistantAnswers.ParseBriefing, cancellationToken);
        var (briefing, withheld) = BriefingText.From(answer);
        return new BriefingOutcome(briefing, withheld);
    }

    public async Task<ReplyReading> ReadReplyAsync(
        AssistantRequest<ReplyInput> request, FollowUpCounts counts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (PromptInjection.Detect(request.Input.Reply))
        {
            Withheld(AssistantUse.Reply);
            return ReplyReading.Unread with { Note = "The reply contains instructions addressed to a language model: it was not sent to one" };
        }
        var answer = await AskAsync(AssistantUse.Reply, request.ClientId, request.Key, AssistantPrompt.For(request), ParseReply, cancellationToken);
        return FollowUpPolicy.Decide(answer?.Answer, counts);
    }

    public Task<KbDraftAnswer?> DraftKbArticleAsync(AssistantRequest<KbDraftInput> request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return AskAsync(AssistantUse.KbDraft, request.ClientId, request.Key, AssistantPrompt.For(request), AssistantAnswers.ParseKbDraft, cancellationToken);
    }

    /// <summary>A class around the reply, because the shared path below answers null for "no answer".</summary>
    private sealed record Reply(ReplyAnswer Answer);

    private static Reply? ParseReply(string? content) => AssistantAnswers.ParseReply(content) is { } answer ? new Reply(answer) : null;

    private async Task<T?> AskAsync<T>(
        AssistantUse use, string clientId, string key, IReadOnlyList<ChatMessage> messages, Func<string?, T?> parse, CancellationToken cancellationToken)
        where T : class
    {
        var day = AssistantUses.DayOf(time.GetUtcNow());
        var maxTokens = use.MaxAnswerTokens();
        // About four characters a token: the prompt's cost is known before it is sent.
        var estimate = messages.Sum(m => (long)m.Content.Length + 3) / 4 + maxTokens;

        long used;
        try
        {
            used = await usage.TokensOnAsync(clientId, day, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogUsageUnreadable(logger, use.WireName(), e.GetType().Name);
            return null;
        }
        if (used + estimate > limits.DailyTokens)
        {
            await RecordAsync(use, clientId, day, key, 0, 0, "budget", cancellationToken);
            return null;
        }

        ChatCompletion completion;
        try
        {
            completion = await breaker.ExecuteAsync(
                async token => await chat.CompleteJsonAsync(messages, maxTokens, token), cancellationToken);
        }
        catch (BrokenCircuitException)
        {
            await RecordAsync(use, clientId, day, key, 0, 0, "breaker", cancellationToken);
            return null;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            await RecordAsync(use, clientId, day, key, 1, 0, e is ChatModelException failed ? failed.Kind : e.GetType().Name, cancellationToken);
            return null;
        }
        var answer = parse(completion.Content);
        await RecordAsync(use, clientId, day, key, 1, completion.Tokens, answer is null ? "invalid" : null, cancellationToken);
        return answer;
    }

    private async Task RecordAsync(
        AssistantUse use, string clientId, string day, string key, int calls, int tokens, string? reason, CancellationToken cancellationToken)
    {
        if (reason is not null) LogFallback(logger, use.WireName(), reason);
        try
        {
            await usage.RecordAsync(
                new AssistantUsage(clientId, day, $"{key}.{use.WireName()}", use, calls, tokens, reason is not null, reason), cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogUsageUnrecorded(logger, use.WireName(), e.GetType().Name);
        }
    }

    private void Withheld(AssistantUse use) => LogWithheld(logger, use.WireName());

    [LoggerMessage(Level = LogLevel.Warning, Message = "assistant {Use} fell back to autotier's own rules: {Reason}")]
    private static partial void LogFallback(ILogger logger, string use, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "assistant {Use}: not asked, the text addresses a language model")]
    private static partial void LogWithheld(ILogger logger, string use);

    [LoggerMessage(Level = LogLevel.Warning, Message = "assistant {Use}: budget could not be read ({Error}); not asked")]
    private static partial void LogUsageUnreadable(ILogger logger, string use, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "assistant {Use}: usage could not be recorded ({Error})")]
    private static partial void LogUsageUnrecorded(ILogger logger, string use, string error);
}
