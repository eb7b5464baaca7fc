using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Autotier.Application.Alerts;
using Autotier.Application.Lifecycle;
using Autotier.Application.Metrics;
using Autotier.Application.Ports;
using Autotier.Domain.Alerts;
using Autotier.Domain.Classification;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Metrics;
using Autotier.Domain.Tickets;
using Autotier.TestSupport.Fakes;
using Autotier.UnitTests.Application.Alerts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static Autotier.UnitTests.Infra.InfraFiles;

namespace Autotier.UnitTests.Infra;

/// <summary>
/// The fleet view (infra/fleet.bicep, infra/fleet-workbook.json) reads what the C# app writes: the
/// log lines are emitted here through the real code (the outcome log's decorator, the housekeeping,
/// the alert delivery), and each query's patterns are applied to them, so a renamed event, a changed
/// line or a kind the app never writes fails here rather than leaving an empty chart.
/// </summary>
public sealed partial class FleetWorkbookTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    private static readonly JsonObject Workbook = JsonNode.Parse(Read("infra", "fleet-workbook.json"))!.AsObject();

    private static readonly string Fleet = Read("infra", "fleet.bicep");

    /// <summary>Every KQL query of the workbook, by its title.</summary>
    private static Dictionary<string, string> Queries() =>
        Workbook["items"]!.AsArray()
            .Select(i => i!["content"]!)
            .Where(c => c["query"] is not null)
            .ToDictionary(c => c["title"]!.GetValue<string>(), c => c["query"]!.GetValue<string>());

    /// <summary>Every alert rule query of fleet.bicep, with its shared client extraction filled in.</summary>
    private static IReadOnlyList<string> AlertQueries()
    {
        var clientOfApp = ClientOfAppVar().Match(Fleet).Groups[1].Value.Replace("\\'", "'", StringComparison.Ordinal);
        return [.. AlertQuery().Matches(Fleet).Select(m => m.Groups[1].Value.Replace("${clientOfApp}", clientOfApp, StringComparison.Ordinal))];
    }

    private static IEnumerable<string> AllKql() => Queries().Values.Concat(AlertQueries());

    /// <summary>The formatted log lines, as the Functions host forwards a worker's logs to Application Insights (its message, formatted).</summary>
    private sealed class Lines
    {
        public ConcurrentQueue<string> Messages { get; } = new();
    }

    private sealed class Logger<T>(Lines lines) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Messages.Enqueue(formatter(state, exception));
    }

    private static IReadOnlyList<string> Kinds() =>
        [.. typeof(OutcomeKinds).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!)];

    /// <summary>One outcome event of every kind, through the real decorator, as the app writes them; and the events.</summary>
    private static async Task<(IReadOnlyList<OutcomeEvent> Events, IReadOnlyList<string> Lines)> OutcomeLinesAsync()
    {
        var lines = new Lines();
        var log = new LoggedOutcomeLog(new InMemoryOutcomeLog(), new Logger<LoggedOutcomeLog>(lines));
        var events = new List<OutcomeEvent>();
        foreach (var (kind, i) in Kinds().Select((k, i) => (k, i)))
        {
            var e = new OutcomeEvent("example-dental", $"T-{1000 + i}", Now, kind, Now.AddMinutes(i), kind)
            {
                Priority = kind == OutcomeKinds.Classified ? Priorities.P1 : null,
                Tier = kind is OutcomeKinds.Classified or OutcomeKinds.Escalated or OutcomeKinds.HandedUp ? 2 : null,
                By = kind == OutcomeKinds.Resolved ? ResolvedBy.Requester : kind == OutcomeKinds.Responded ? "automation" : null,
                Comment = kind == OutcomeKinds.Rated ? "Sam at sam@example.test fixed it" : null,
            };
            events.Add(e);
            await log.RecordAsync([e], default);
        }
        // A retry of a recorded step is not logged twice: the line counts match the table.
        await log.RecordAsync([events[0]], default);
        return (events, [.. lines.Messages]);
    }

    /// <summary>KQL's simple <c>parse ... with "lit" col "lit" col</c> as a regex: literals as they are, each column a capture, <c>*</c> anything.</summary>
    private static (Regex Pattern, IReadOnlyList<string> Columns) Parse(string kql, string startsWith)
    {
        var m = Regex.Match(kql, $@"parse Message with (""{Regex.Escape(startsWith)}""[^\n;|]*)");
        Assert.True(m.Success, $"no parse of \"{startsWith}\" in {kql}");
        var columns = new List<string>();
        var pattern = "^";
        foreach (Match token in ParseToken().Matches(m.Groups[1].Value))
        {
            if (token.Groups["lit"].Success) pattern += Regex.Escape(token.Groups["lit"].Value);
            else if (token.Groups["star"].Success) pattern += ".*?";
            else
            {
                columns.Add(token.Groups["col"].Value);
                pattern += $"(?<{token.Groups["col"].Value}>.*?)";
            }
        }
        // In simple mode the last column takes the rest of the line.
        return (new Regex(Regex.Replace(pattern, @"\.\*\?\)$", ".*)") + "$"), columns);
    }

    [Fact(Timeout = 10_000)]
    public async Task The_outcome_lines_the_app_writes_parse_into_the_columns_the_queries_read()
    {
        var (events, lines) = await OutcomeLinesAsync();
        Assert.Equal(events.Count, lines.Count);
        var outcomeQueries = AllKql().Where(q => q.Contains("autotier.outcome", StringComparison.Ordinal)).ToList();
        Assert.True(outcomeQueries.Count >= 3);
        foreach (var query in Queries().Values.Where(q => q.Contains("parse Message with \"autotier.outcome ", StringComparison.Ordinal)))
        {
            var (pattern, columns) = Parse(query, "autotier.outcome ");
            Assert.Equal(["kind", "client", "ticket", "priority", "tier", "who"], columns);
            foreach (var (e, line) in events.Zip(lines))
            {
                var m = pattern.Match(line);
                Assert.True(m.Success, $"\"{line}\" does not parse with {pattern}");
                Assert.Equal(e.Kind, m.Groups["kind"].Value);
                Assert.Equal(e.ClientId, m.Groups["client"].Value);
                Assert.Equal(e.TicketId, m.Groups["ticket"].Value);
                Assert.Equal(e.Priority ?? LoggedOutcomeLog.None, m.Groups["priority"].Value);
                Assert.Equal(e.Tier?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? LoggedOutcomeLog.None, m.Groups["tier"].Value);
                Assert.Equal(e.By ?? LoggedOutcomeLog.None, m.Groups["who"].Value);
            }
        }
        // Only ids and words leave the client's storage: not the requester's comment.
        Assert.DoesNotContain(lines, l => l.Contains("sam@example.test", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_kind_priority_and_resolver_the_queries_name_is_one_the_app_writes()
    {
        var kinds = Kinds();
        var named = AllKql().SelectMany(q => KindLiteral().Matches(q).SelectMany(m => Quoted().Matches(m.Value).Select(v => v.Groups[1].Value))).ToHashSet(StringComparer.Ordinal);
        foreach (Match m in AlertQueries().SelectMany(q => OutcomePrefix().Matches(q))) named.Add(m.Groups[1].Value);
        Assert.Superset(new HashSet<string> { "received", "classified", "resolved", "closed", "reopened", "sla_breach" }, named);
        foreach (var kind in named) Assert.Contains(kind, kinds);
        foreach (var q in AllKql())
        {
            foreach (Match m in Regex.Matches(q, @"priority == ""([^""]+)""")) Assert.Contains(m.Groups[1].Value, Priorities.All);
            foreach (Match m in Regex.Matches(q, @"who == ""([^""]+)""")) Assert.Equal(ResolvedBy.Requester, m.Groups[1].Value);
        }
    }

    [Fact(Timeout = 10_000)]
    public async Task Failed_workflows_and_failed_alert_deliveries_are_found_by_the_lines_the_app_logs()
    {
        var lines = new Lines();
        // A failed workflow, through the hourly housekeeping.
        var housekeeping = new Housekeeping(new OneFailed(), new RecordingNotifier(), new InMemoryTokenStore(), new FakeTimeProvider(Now), new Logger<Housekeeping>(lines));
        await housekeeping.RunAsync(default);
        // An alert whose webhook fails, through the delivery.
        var clock = new FakeTimeProvider(Now);
        var tickets = new InMemoryTicketStore();
        var created = await tickets.CreateAsync(new NewTicket("example-dental", new Requester("Sam", "sam@example.test"), "Server down", "FS01", null, Channel.Api), Now, default);
        var webhook = new RecordingWebhook(clock) { Failing = true };
        var delivery = new AlertDelivery(
            new AlertDeliveryOptions(AlertRouting.Parse("""{"tier2": {"webhook": "https://t2.example/hook", "email": "tier2@msp.example"}}""")!, "https://autotier.example", DigestPolicy.Default),
            new InMemoryAlertDeliveryLog(), new InMemoryDigestStore(), webhook, new RecordingMail(), tickets, clock, new Logger<AlertDelivery>(lines));
        await Assert.ThrowsAsync<AlertDeliveryException>(() => delivery.DeliverAsync(Audience.Tier2,
            new AlertFacts("handoff-2", created.Ticket.TicketId, "example-dental", 2, AlertKinds.TierHandoff, "Tier 2 has it", Now), default));

        var logged = lines.Messages.ToList();
        var prefixes = AllKql().SelectMany(q => StartsWith().Matches(q).Select(m => m.Groups[1].Value)).Distinct(StringComparer.Ordinal).ToList();
        foreach (var prefix in new[] { "autotier.workflowAlert ", "autotier.alertDeliveryFailed:" })
        {
            Assert.Contains(prefix, prefixes);
            Assert.Contains(logged, l => l.StartsWith(prefix, StringComparison.Ordinal));
        }
        // The alert deliveries chart reads the channel and the ticket out of the line.
        var (pattern, columns) = Parse(Queries().Values.Single(q => q.Contains("autotier.alertDeliveryFailed:", StringComparison.Ordinal)), "autotier.alertDeliveryFailed: the ");
        Assert.Equal(["channel", "ticket"], columns);
        var failed = pattern.Match(logged.Single(l => l.StartsWith("autotier.alertDeliveryFailed:", StringComparison.Ordinal)));
        Assert.True(failed.Success);
        Assert.Equal(("Webhook", created.Ticket.TicketId), (failed.Groups["channel"].Value, failed.Groups["ticket"].Value));
    }

    [Fact]
    public void Every_line_prefix_the_queries_look_for_is_one_the_app_writes()
    {
        // The prefixes emitted by code that needs storage or a timer to run (the poison watch, the profile
        // seed) are checked against their log templates; the others are emitted in the tests above.
        var templates = Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => LogTemplate().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToList();
        foreach (var prefix in AllKql().SelectMany(q => StartsWith().Matches(q).Select(m => m.Groups[1].Value)).Distinct(StringComparer.Ordinal))
        {
            // "autotier.outcome sla_breach " is the outcome template with its kind filled in.
            var template = Regex.Replace(prefix, @"^autotier\.outcome \w+ $", "autotier.outcome {Kind} ");
            Assert.True(templates.Any(t => t.StartsWith(template, StringComparison.Ordinal)), $"no log line of the app starts with \"{prefix}\"");
        }
    }

    [Fact]
    public void The_client_of_a_line_is_read_from_the_function_app_name_the_bicep_gives()
    {
        Assert.Contains("name: '${abbrs.functionApp}autotier-${clientId}-${token}'", Read("infra", "modules", "app.bicep"), StringComparison.Ordinal);
        Assert.Equal("func-", JsonNode.Parse(Read("infra", "abbreviations.json"))!["functionApp"]!.GetValue<string>());
        foreach (var q in AllKql().Where(q => q.Contains("AppRoleName", StringComparison.Ordinal)))
        {
            var extract = Regex.Match(q, @"extract\(""([^""]+)"", 1, AppRoleName\)");
            Assert.True(extract.Success, q);
            // uniqueString() gives 13 lower-case letters and digits.
            var m = Regex.Match("func-autotier-example-dental-abcdefghij123", extract.Groups[1].Value);
            Assert.Equal("example-dental", m.Groups[1].Value);
        }
    }

    [Fact]
    public void The_workbook_and_alert_rules_are_deployed_once_per_msp_on_its_workspace()
    {
        var workbook = Assert.Single(Resources(Fleet, "Microsoft.Insights/workbooks"));
        Has(workbook,
            "serializedData: string(loadJsonContent('fleet-workbook.json'))",
            "sourceId: workspace.id");
        Assert.Contains("scopes: [workspace.id]", Fleet, StringComparison.Ordinal);
        Assert.Matches(@"resource rules 'Microsoft\.Insights/scheduledQueryRules@[^']+' = \[\s*for rule in alertRules", Fleet);
        Assert.Contains("actionGroups: empty(alertEmail) ? [] : [actionGroup.id]", Fleet, StringComparison.Ordinal);
        Assert.Equal(["failed-workflows", "failed-alert-deliveries", "sla-breaches", "profile-refused"], Regex.Matches(Fleet, @"key: '([a-z-]+)'").Select(m => m.Groups[1].Value));
        // Per client: no workbook and no alert rule (an MSP with 40 clients gets one page, not 40).
        foreach (var f in BicepFiles.Where(f => !f.EndsWith("fleet.bicep", StringComparison.Ordinal)))
        {
            Assert.Empty(Resources(File.ReadAllText(f), "Microsoft.Insights/workbooks"));
            Assert.Empty(Resources(File.ReadAllText(f), "Microsoft.Insights/scheduledQueryRules"));
            Assert.Empty(Resources(File.ReadAllText(f), "Microsoft.OperationalInsights/workspaces"));
        }
        // Every client app sends to the MSP's workspace.
        Assert.Contains("WorkspaceResourceId: logAnalyticsWorkspaceId", Read("infra", "modules", "monitoring.bicep"), StringComparison.Ordinal);
        Assert.Matches(@"param logAnalyticsWorkspaceId string\n", Read("infra", "main.bicep"));
        Assert.Contains("output LOG_ANALYTICS_WORKSPACE_ID string = workspace.id", Fleet, StringComparison.Ordinal);
        foreach (var title in new[] { "P1s and SLA breaches open now", "Tickets and verified deflection per client", "Ticket workflows that failed", "Alert deliveries that failed" })
            Assert.Contains(Queries().Keys, k => k.StartsWith(title, StringComparison.Ordinal));
        // Workspace-based tables: the workbook reads the workspace, where the classic "traces" is AppTraces.
        foreach (var q in AllKql()) Assert.DoesNotMatch(new Regex(@"^\s*(traces|customEvents)\b", RegexOptions.Multiline), q);
    }

    private sealed class OneFailed : IWorkflowAdmin
    {
        public Task<IReadOnlyList<InstanceSummary>> UnfinishedAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<InstanceSummary>>([new("ticket-T-1", "Failed", Now.AddHours(-1), Now.AddMinutes(-50), null)]);

        public Task<int> PurgeFinishedAsync(DateTimeOffset before, CancellationToken cancellationToken) => Task.FromResult(0);
    }

    [GeneratedRegex(@"""(?<lit>[^""]*)""|(?<star>\*)|(?<col>[A-Za-z_]\w*)")]
    private static partial Regex ParseToken();

    [GeneratedRegex(@"kind (?:==|in) \(?(""[^""]+""(?:, ""[^""]+"")*)\)?")]
    private static partial Regex KindLiteral();

    [GeneratedRegex(@"""([^""]+)""")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"startswith ""autotier\.outcome (\w+) """)]
    private static partial Regex OutcomePrefix();

    [GeneratedRegex(@"startswith ""([^""]+)""")]
    private static partial Regex StartsWith();

    [GeneratedRegex(@"var clientOfApp = '((?:[^'\\]|\\.)*)'")]
    private static partial Regex ClientOfAppVar();

    [GeneratedRegex(@"query: '((?:[^'\\]|\\.)*)'")]
    private static partial Regex AlertQuery();

    [GeneratedRegex(@"Message = ""([^""]+)""")]
    private static partial Regex LogTemplate();
}
