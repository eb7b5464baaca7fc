using Autotier.Application.Assistant;
using Autotier.Application.Ports;
using Autotier.Domain.Assistant;
using Autotier.Domain.Classification;
using Autotier.TestSupport.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Autotier.UnitTests.Application;

/// <summary>The guard rails without HTTP: what happens when the ledger or the model fails in ways the adapter does not name.</summary>
public sealed class GuardedAssistantTests
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 3, 2, 23, 59, 0, TimeSpan.Zero));

    private static readonly TicketClassification Unsure = new(
        Categories.SoftwareError, "P3", 0.4, Routes.Clarify, 1, ["low"], DecidedBy: DecidedBy.Model);

    private static readonly AssistantRequest<TriageInput> Triage =
        new("demo", "T-1.classify", new TriageInput("Excel crashes", "since the update"), People.None);

    private GuardedAssistant Assistant(IChatModel chat, IAssistantUsage usage, long dailyTokens = 100_000) =>
        new(chat, usage, new AssistantLimits(dailyTokens), clock, NullLogger<GuardedAssistant>.Instance);

    [Fact]
    public async Task A_ledger_that_cannot_be_read_means_no_call_and_the_classifiers_answer()
    {
        var chat = new ScriptedChat(_ => new ChatCompletion("{\"category\":\"engineering\",\"confidence\":0.9,\"reason\":\"r\"}", 50));
        var result = await Assistant(chat, new BrokenUsage(readFails: true)).SecondOpinionAsync(Triage, new(Unsure, 0.6), default);
        Assert.Equal(Routes.Clarify, result.Route);
        Assert.Equal(0, chat.Calls);
    }

    [Fact]
    public async Task A_ledger_that_cannot_record_still_gives_the_answer()
    {
        var chat = new ScriptedChat(_ => new ChatCompletion("{\"category\":\"engineering\",\"confidence\":0.9,\"reason\":\"r\"}", 50));
        var result = await Assistant(chat, new BrokenUsage(readFails: false)).SecondOpinionAsync(Triage, new(Unsure, 0.6), default);
        Assert.Equal((Routes.Escalate, DecidedBy.Llm), (result.Route, result.DecidedBy));
    }

    [Fact]
    public async Task An_exception_the_adapter_did_not_name_is_a_fallback_with_its_type_as_the_reason()
    {
        var usage = new InMemoryAssistantUsage();
        var chat = new ScriptedChat(_ => throw new InvalidOperationException("a prompt that must not be logged"));
        Assert.Equal(ReplyReading.Unread, await Assistant(chat, usage).ReadReplyAsync(
            new("demo", "T-1.reply.1", new ReplyInput("s", "fixed?", "hmm"), People.None), new(0, false, 0), default));
        Assert.Equal(["InvalidOperationException"], usage.Reasons);
    }

    [Fact]
    public async Task Nothing_is_asked_when_no_second_opinion_is_wanted()
    {
        var chat = new ScriptedChat(_ => new ChatCompletion("{}", 1));
        var sure = Unsure with { Route = Routes.Auto, Confidence = 0.9 };
        Assert.Same(sure, await Assistant(chat, new InMemoryAssistantUsage()).SecondOpinionAsync(Triage, new(sure, 0.6), default));
        Assert.Equal(0, chat.Calls);
    }

    [Fact]
    public async Task The_budget_estimate_counts_the_prompt_and_the_answers_limit_and_uses_the_utc_day()
    {
        var usage = new InMemoryAssistantUsage();
        await usage.RecordAsync(new AssistantUsage("demo", "2026-03-02", "earlier.triage", AssistantUse.Triage, 1, 900, false, null), default);
        var chat = new ScriptedChat(_ => new ChatCompletion("{\"category\":\"engineering\",\"confidence\":0.9,\"reason\":\"r\"}", 50));
        var prompt = AssistantPrompt.For(Triage).Sum(m => m.Content.Length + 3) / 4;
        var justOver = 900 + prompt + AssistantUse.Triage.MaxAnswerTokens() - 1;

        Assert.Equal(Routes.Clarify, (await Assistant(chat, usage, justOver).SecondOpinionAsync(Triage, new(Unsure, 0.6), default)).Route);
        Assert.Equal(0, chat.Calls);
        Assert.Equal(Routes.Escalate, (await Assistant(chat, usage, justOver + 1).SecondOpinionAsync(Triage, new(Unsure, 0.6), default)).Route);

        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(Routes.Escalate, (await Assistant(chat, usage, prompt + AssistantUse.Triage.MaxAnswerTokens()).SecondOpinionAsync(Triage, new(Unsure, 0.6), default)).Route);
        Assert.Contains(usage.Rows, r => r.Day == "2026-03-03");
    }

    private sealed class ScriptedChat(Func<IReadOnlyList<ChatMessage>, ChatCompletion> answer) : IChatModel
    {
        public int Calls { get; private set; }

        public Task<ChatCompletion> CompleteJsonAsync(IReadOnlyList<ChatMessage> messages, int maxTokens, CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(answer(messages));
        }
    }

    private sealed class BrokenUsage(bool readFails) : IAssistantUsage
    {
        public Task<long> TokensOnAsync(string clientId, string day, CancellationToken cancellationToken) =>
            readFails ? throw new IOException("table down") : Task.FromResult(0L);

        public Task RecordAsync(AssistantUsage usage, CancellationToken cancellationToken) => throw new IOException("table down");

        public Task<AssistantTotals> TotalsAsync(string clientId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken) =>
            throw new IOException("table down");
    }
}
