using Autotier.Application.Assistant;
using Autotier.Application.Ports;
using Autotier.Domain.Assistant;
using Autotier.Domain.Classification;
using Autotier.Domain.Clients;
using Autotier.Domain.Tickets;
using Autotier.TestSupport.Fakes;
using Autotier.Workflow.Activities;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Autotier.UnitTests.Workflow;

/// <summary>The second-opinion step: asked only about unsure tickets, only ever more cautious, once.</summary>
public sealed class ReviewClassificationTests
{
    private readonly InMemoryTicketStore tickets = new();
    private readonly InMemoryClientStore clients = new();
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    private sealed class ScriptedChat(string answer) : IChatModel
    {
        public List<IReadOnlyList<ChatMessage>> Asked { get; } = [];

        public Task<ChatCompletion> CompleteJsonAsync(IReadOnlyList<ChatMessage> messages, int maxTokens, CancellationToken cancellationToken)
        {
            Asked.Add(messages);
            return Task.FromResult(new ChatCompletion(answer, 40));
        }
    }

    private ReviewClassification Step(IChatModel chat) => new(
        tickets, clients, new GuardedAssistant(chat, new InMemoryAssistantUsage(), new AssistantLimits(100_000), clock, NullLogger<GuardedAssistant>.Instance));

    private async Task<string> StoredAsync(TicketClassification classification)
    {
        await clients.SaveAsync(new ClientProfile("demo", "Demo"), default);
        var created = await tickets.CreateAsync(
            new NewTicket("demo", new Requester("Sam Lee", "sam@demo.example"), "Excel keeps closing", "Since this morning, Sam", null, Channel.Api)
            {
                Classification = classification,
            },
            clock.GetUtcNow(), default);
        return created.Ticket.TicketId;
    }

    private static readonly TicketClassification Unsure =
        new(Categories.SoftwareError, Priorities.P3, 0.42, Routes.Clarify, 1, ["model: software_error 0.42"], DecidedBy: DecidedBy.Model);

    [Fact(Timeout = 10_000)]
    public async Task An_unsure_ticket_the_model_calls_engineering_is_escalated_recorded_and_not_asked_again()
    {
        var id = await StoredAsync(Unsure);
        var chat = new ScriptedChat("{\"category\":\"engineering\",\"confidence\":0.9,\"reason\":\"a server fault\"}");
        var step = Step(chat);

        var first = await step.RunAsync(new ReviewInput(id, clock.GetUtcNow()), default);
        var again = await step.RunAsync(new ReviewInput(id, clock.GetUtcNow()), default);

        Assert.Equal(new ReviewResult(true, Routes.Escalate), first);
        Assert.False(again.Changed);
        Assert.Single(chat.Asked);
        var ticket = await tickets.GetAsync(id, default);
        Assert.Equal(Routes.Escalate, ticket!.Classification!.Route);
        Assert.Contains(await tickets.GetTimelineAsync(id, default), l => l.Step == "second-opinion");
        // The requester's address and name never reach the model.
        var sent = string.Join("\n", chat.Asked[0].Select(m => m.Content));
        Assert.DoesNotContain("sam@demo.example", sent, StringComparison.Ordinal);
        Assert.DoesNotContain("Sam Lee", sent, StringComparison.Ordinal);
    }

    [Fact(Timeout = 10_000)]
    public async Task The_model_never_sends_an_unsure_ticket_to_automation()
    {
        var id = await StoredAsync(Unsure);
        var step = Step(new ScriptedChat("{\"category\":\"software_error\",\"confidence\":0.99,\"reason\":\"known fix\"}"));

        var result = await step.RunAsync(new ReviewInput(id, clock.GetUtcNow()), default);

        Assert.NotEqual(Routes.Auto, result.Route);
        Assert.NotEqual(Routes.Auto, (await tickets.GetAsync(id, default))!.Classification!.Route);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_sure_or_dangerous_ticket_is_not_sent_to_the_model()
    {
        var chat = new ScriptedChat("{\"category\":\"password_reset\",\"confidence\":0.99,\"reason\":\"r\"}");
        var dangerous = await StoredAsync(new(Categories.Engineering, Priorities.P1, 0.95, Routes.Escalate, 3, ["danger"], Dangerous: true, DecidedBy: DecidedBy.Screen));
        var sure = await StoredAsync(new(Categories.PrinterPeripheral, Priorities.P3, 0.93, Routes.Auto, 1, ["model"], DecidedBy: DecidedBy.Model));

        Assert.False((await Step(chat).RunAsync(new ReviewInput(dangerous, clock.GetUtcNow()), default)).Changed);
        Assert.False((await Step(chat).RunAsync(new ReviewInput(sure, clock.GetUtcNow()), default)).Changed);
        Assert.Empty(chat.Asked);
    }
}
