using System.Text.Json;
using Autotier.E2ETests.Support;
using Autotier.TestSupport.Fakes;
using Xunit;
using static Autotier.E2ETests.Support.ClockHostFixture;

namespace Autotier.E2ETests.Scenarios;

/// <summary>The virtual-clock host with the assistant configured against a local Azure OpenAI fake.</summary>
public sealed class AssistantHostFixture : ClockHostFixture
{
    private static readonly string[] BriefingSteps = ["Look at it"];

    public FakeAzureOpenAi Server { get; private set; } = null!;

    /// <summary>answer, fail or hang.</summary>
    public string Mode { get; set; } = "answer";

    protected override async Task BeforeStartAsync()
    {
        Server = await FakeAzureOpenAi.StartAsync();
        Server.Answer = request =>
        {
            if (Mode == "fail") return new FakeChatReply.Status(500);
            if (Mode == "hang") return new FakeChatReply.Hang();
            if (request.SystemPrompt.StartsWith("You triage", StringComparison.Ordinal))
                return FakeChatReply.Json(new { category = "printer_peripheral", confidence = 0.9, reason = "a device" });
            if (request.SystemPrompt.StartsWith("You brief", StringComparison.Ordinal))
                return FakeChatReply.Json(new { summary = "A briefing for the engineer.", steps = BriefingSteps });
            return FakeChatReply.Json(new { answer = "unclear" });
        };
    }

    protected override IReadOnlyDictionary<string, string?> Settings(Dictionary<string, string?> settings)
    {
        settings["AUTOTIER_OPENAI_ENDPOINT"] = Server.Endpoint.ToString();
        settings["AUTOTIER_OPENAI_DEPLOYMENT"] = Server.Deployment;
        settings["AUTOTIER_OPENAI_API_KEY"] = "local-test-key";
        settings["AUTOTIER_OPENAI_TIMEOUT_MS"] = "300";
        return settings;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Server is not null) await Server.DisposeAsync();
    }
}

/// <summary>
/// tests/e2e/assistant.test.ts on the local host: the real Azure.AI.OpenAI client against a local
/// server that speaks the chat-completions API; every answer written by hand. The metrics route is
/// not ported yet, so the TypeScript assertions on <c>/api/metrics</c>'s llm counts are not here.
/// </summary>
public sealed class AssistantScenarioTests(AssistantHostFixture host) : IClassFixture<AssistantHostFixture>
{
    private static string DecidedBy(JsonElement view) => view.GetProperty("classification").GetProperty("decidedBy").GetString()!;

    [Fact(Timeout = 300_000)]
    public async Task An_unsure_ticket_held_from_automation_keeps_the_classifiers_escalation_and_is_not_sent_for_a_second_opinion()
    {
        // Intended difference (issue #31's guards, docs/assistant.md "Second opinion: more cautious
        // only"): the C# classifier holds "The thing on my desk" from automation (danger check, route
        // escalate), and an escalated ticket is never sent for a second opinion; the TypeScript app
        // asked and let the model route it to printer_peripheral (decidedBy llm).
        host.Mode = "answer";
        var before = host.Server.Requests.Count;
        var id = await host.FileAsync("sam@demo.example", "The thing on my desk", "It makes a grinding noise.");
        var view = await host.StageAsync(id, "escalated");
        Assert.NotEqual("llm", DecidedBy(view));
        Assert.Equal("escalate", view.GetProperty("route").GetString());
        Assert.DoesNotContain(host.Server.Requests.Skip(before), r => r.SystemPrompt.StartsWith("You triage", StringComparison.Ordinal));
        await host.ResolveIfOpenAsync(id);
    }

    [Fact(Timeout = 300_000)]
    public async Task A_flagged_ticket_is_escalated_as_the_screen_says_with_no_second_opinion_and_nothing_personal_sent()
    {
        host.Mode = "answer";
        var before = host.Server.Requests.Count;
        var id = await host.FileAsync("kim@demo.example", "Reset my password",
            "I clicked a link in a dodgy email and typed my password: \"Summer2026!\" Please reset it.", "Kim Park");
        var view = await host.StageAsync(id, "escalated");
        Assert.Equal("escalate", view.GetProperty("route").GetString());
        Assert.NotEqual("llm", DecidedBy(view));
        var sent = host.Server.Requests.Skip(before).ToList();
        Assert.DoesNotContain(sent, r => r.SystemPrompt.StartsWith("You triage", StringComparison.Ordinal));
        Assert.Contains(sent, r => r.SystemPrompt.StartsWith("You brief", StringComparison.Ordinal));
        foreach (var leak in new[] { "Summer2026", "kim@demo.example", "Kim Park" })
            Assert.DoesNotContain(sent, r => r.Raw.Contains(leak, StringComparison.Ordinal));
    }

    [Fact(Timeout = 300_000)]
    public async Task With_the_server_failing_or_hanging_every_ticket_still_flows_on_autotiers_own_rules()
    {
        try
        {
            foreach (var mode in new[] { "fail", "hang" })
            {
                host.Mode = mode;
                var email = $"{mode}@demo.example";
                var id = await host.FileAsync(email, "The thing on my desk", "It makes a grinding noise.");
                var view = await host.StageAsync(id, "escalated");
                Assert.NotEqual("llm", DecidedBy(view));
                await host.MailAsync(email, id, m => Subject(m).Contains("An engineer is on it", StringComparison.Ordinal), $"{mode}: the hand-over mail");
                Assert.True((await host.MailsAsync(email, id)).Length >= 2, $"{mode}: acknowledged and told");
                await host.ResolveIfOpenAsync(id);
            }
        }
        finally
        {
            host.Mode = "answer";
        }
    }
}
