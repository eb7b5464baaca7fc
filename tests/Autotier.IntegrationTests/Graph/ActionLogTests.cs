using System.Text.Json;
using Autotier.Adapters;
using Autotier.Adapters.Tables;
using Autotier.Application.Json;
using Autotier.Application.Ports;
using Autotier.TestSupport;
using Autotier.TestSupport.Azurite;
using Azure.Data.Tables;
using Xunit;

namespace Autotier.IntegrationTests.Graph;

/// <summary>The audit table on Azurite and <c>autotier actions</c> (the TypeScript tests/integration/cli/actionsCommand.test.ts).</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class ActionLogTests(AzuriteFixture azurite)
{
    private readonly string prefix = AzuriteNames.Prefix();

    /// <summary>A licence that a playbook assigned for the demo client.</summary>
    private static readonly ActionRecord Base = new(
        "demo", "T-1001", "playbook-1-licence", "2026-11-02T09:00:00.000Z", "autotier (app app-1)", "sam@demo.example",
        "licence_assigned", "sam@demo.example", "VISIOCLIENT", "Access to Visio requested in T-1001", "done");

    private async Task<TableActionLog> LogAsync()
    {
        var log = new TableActionLog(new TableServiceClient(azurite.ConnectionString).GetTableClient(TableActionLog.TableName(StorageNames.FromPrefix(prefix))));
        await log.EnsureCreatedAsync(default);
        return log;
    }

    private Task<CliResult> Run(params string[] args) => CliRun.RunAsync(
        new Dictionary<string, string?> { ["AzureWebJobsStorage"] = azurite.ConnectionString, ["AUTOTIER_TABLE_PREFIX"] = prefix }, null, args);

    [Fact(Timeout = 60_000)]
    public async Task Records_are_one_per_ticket_and_step_a_retry_rewrites_its_own_and_read_oldest_first_from_a_time_on()
    {
        var log = await LogAsync();
        await log.RecordAsync(Base with { TicketId = "T-1003", At = "2026-11-03T09:00:00.000Z" }, default);
        await log.RecordAsync(Base with { Outcome = "failed" }, default);
        await log.RecordAsync(Base with { TicketId = "T-0990", At = "2026-10-30T09:00:00.000Z" }, default);
        await log.RecordAsync(Base with { ClientId = "other" }, default);
        await log.RecordAsync(Base, default); // a retried activity rewrites its record

        Assert.Equal(Base, await log.GetAsync("demo", "T-1001", "playbook-1-licence", default));
        Assert.Null(await log.GetAsync("demo", "T-1001", "playbook-2-licence", default));
        var since = await log.ForClientAsync("demo", new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), default);
        Assert.Equal(["T-1001", "T-1003"], since.Select(r => r.TicketId));
        Assert.Equal(3, (await log.ForClientAsync("demo", null, default)).Count);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_actions_command_prints_a_clients_records_as_JSON_lines_from_a_date_on_and_refuses_a_bad_date()
    {
        var log = await LogAsync();
        await log.RecordAsync(Base with { TicketId = "T-1003", At = "2026-11-03T09:00:00.000Z" }, default);
        await log.RecordAsync(Base, default);
        await log.RecordAsync(Base with { TicketId = "T-0990", At = "2026-10-30T09:00:00.000Z" }, default);
        await log.RecordAsync(Base with { ClientId = "other" }, default);

        var out_ = Path.Combine(Directory.CreateTempSubdirectory("actions-").FullName, "actions.jsonl");
        var result = await Run("actions", "--client", "demo", "--since", "2026-11-01", "--out", out_);
        Assert.Equal(0, result.Code);
        var lines = (await File.ReadAllLinesAsync(out_)).Select(l => JsonSerializer.Deserialize<ActionRecord>(l, AutotierJson.Options)!).ToList();
        Assert.Equal(["T-1001", "T-1003"], lines.Select(r => r.TicketId));
        Assert.Equal(Base, lines[0]);
        // The TypeScript CLI's field names, in its order.
        var first = (await File.ReadAllLinesAsync(out_))[0];
        Assert.StartsWith("{\"clientId\":\"demo\",\"ticketId\":\"T-1001\",\"step\":\"playbook-1-licence\",\"at\":\"2026-11-02T09:00:00.000Z\",\"actor\":", first, StringComparison.Ordinal);

        var stdout = await Run("actions", "--client", "demo");
        Assert.Equal(3, stdout.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        var bad = await Run("actions", "--client", "demo", "--since", "last week");
        Assert.Equal((2, "autotier: --since must be a date, e.g. 2026-11-01 or 2026-11-01T09:00:00Z"), (bad.Code, Assert.Single(bad.Error)));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_deployment_where_no_playbook_has_acted_prints_nothing()
    {
        var result = await Run("actions", "--client", "demo");
        Assert.Equal((0, ""), (result.Code, result.Out));
    }

    [Fact(Timeout = 60_000)]
    public async Task Storage_that_does_not_answer_is_one_line()
    {
        var result = await CliRun.RunAsync(CliRun.NoStorage(), null, "actions", "--client", "demo");
        Assert.Equal(1, result.Code);
        Assert.StartsWith("autotier: cannot reach storage at 127.0.0.1:", Assert.Single(result.Error), StringComparison.Ordinal);
    }
}
