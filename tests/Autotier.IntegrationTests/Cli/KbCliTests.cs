using Autotier.Adapters;
using Autotier.Adapters.Blobs;
using Autotier.Adapters.Tables;
using Autotier.Domain.Classification;
using Autotier.Domain.Resolutions;
using Autotier.LocalHost;
using Autotier.LocalHost.Dev;
using Autotier.TestSupport;
using Autotier.TestSupport.Azurite;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Autotier.IntegrationTests.Cli;

/// <summary>
/// <c>autotier kb</c> on Azurite, run in-process (the TypeScript tests/integration/cli/kbCommands.test.ts).
/// Each test has its own table prefix, so they share the fixture's Azurite.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class KbCliTests(AzuriteFixture azurite) : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
    private readonly string prefix = AzuriteNames.Prefix();
    private readonly string work = Directory.CreateTempSubdirectory("kb-cli-").FullName;
    private static readonly string StarterKb = Path.Combine(RepositoryRoot.Find(), "kb");

    public void Dispose() => Directory.Delete(work, recursive: true);

    private StorageNames Names => StorageNames.FromPrefix(prefix);

    private TableKbStore Kb => new(new TableServiceClient(azurite.ConnectionString).GetTableClient(Names.Kb));

    private BlobKbImages Images => new(new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(Names.KbImages));

    private Task<CliResult> Run(params string[] args) => CliRun.RunAsync(
        new Dictionary<string, string?> { ["AzureWebJobsStorage"] = azurite.ConnectionString, ["AUTOTIER_TABLE_PREFIX"] = prefix },
        new FakeTimeProvider(Now), args);

    private string Folder(string name, params string[] starterFiles)
    {
        var dir = Directory.CreateDirectory(Path.Combine(work, name)).FullName;
        foreach (var f in starterFiles) File.Copy(Path.Combine(StarterKb, f), Path.Combine(dir, f));
        return dir;
    }

    [Fact(Timeout = 60_000)]
    public async Task Import_counts_outcomes_import_again_keeping_them_and_export()
    {
        var src = Folder("in", "vpn-forticlient.md", "password-sspr.md");
        var sspr = Path.Combine(src, "password-sspr.md");
        File.WriteAllText(sspr, File.ReadAllText(sspr).Replace("tags: [", "images: [sspr.png]\ntags: [", StringComparison.Ordinal));
        File.WriteAllBytes(Path.Combine(src, "sspr.png"), [0x89, 0x50, 0x4e, 0x47]);

        var import = await Run("kb", "import", "--dir", src);
        Assert.Equal(0, import.Code);
        Assert.Equal([$"imported 2 articles from {src}"], import.Error);
        Assert.Equal(["password-sspr", "vpn-forticlient"], (await Kb.ForClientAsync("demo", default)).Select(a => a.ArticleId).Order(StringComparer.Ordinal));
        Assert.Equal(["password-sspr"], (await Kb.ForClientAsync("globex", default)).Select(a => a.ArticleId));
        var imported = (await Kb.AllAsync(default)).Single(a => a.ArticleId == "password-sspr");
        Assert.Equal(Now, imported.UpdatedAt);
        Assert.Equal(["_all/password-sspr/sspr.png"], imported.Images);
        var picture = await Images.ReadAsync("_all/password-sspr/sspr.png", default);
        Assert.NotNull(picture);
        Assert.Equal([0x89, 0x50, 0x4e, 0x47], picture.Content);
        Assert.Equal("image/png", picture.ContentType);

        await Task.WhenAll(
            Kb.RecordOutcomeAsync("demo", "password-sspr", true, "T-1", default),
            Kb.RecordOutcomeAsync("demo", "password-sspr", true, "T-1", default),
            Kb.RecordOutcomeAsync("demo", "password-sspr", false, "T-2", default),
            Kb.RecordOutcomeAsync("demo", "password-sspr", true, "T-3", default));

        Assert.Equal(0, (await Run("kb", "import", "--dir", src)).Code);
        var again = (await Kb.AllAsync(default)).Single(a => a.ArticleId == "password-sspr");
        Assert.Equal((3, 2), (again.Uses, again.Successes)); // re-importing keeps what articles earned

        var outDir = Path.Combine(work, "out");
        var export = await Run("kb", "export", "--dir", outDir);
        Assert.Equal(0, export.Code);
        Assert.Equal([$"exported 2 articles to {outDir}"], export.Error);
        var text = File.ReadAllText(Path.Combine(outDir, "_all--password-sspr.md"));
        Assert.Contains("uses: 3\nsuccesses: 2\n---\n1. Go to https://aka.ms/sspr", text, StringComparison.Ordinal);
        Assert.Contains("client: \"*\"", text.Replace('\'', '"'), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(outDir, "demo--vpn-forticlient.md")));
        Assert.Equal([0x89, 0x50, 0x4e, 0x47], File.ReadAllBytes(Path.Combine(outDir, "sspr.png")));

        // What was exported imports again as it was.
        Assert.Equal(0, (await Run("kb", "import", "--dir", outDir)).Code);
        Assert.Equal(2, (await Kb.AllAsync(default)).Count);
    }

    [Fact(Timeout = 60_000)]
    public async Task Export_for_a_client_writes_its_own_and_the_general_articles_only()
    {
        var src = Folder("in", "vpn-forticlient.md", "password-sspr.md", "printer-hp-m404.md");
        File.WriteAllText(Path.Combine(src, "globex.md"), "---\nid: globex-vpn\nclient: globex\ncategory: vpn_remote_access\ntitle: GlobalProtect\n---\n1. Open GlobalProtect.\n");
        Assert.Equal(0, (await Run("kb", "import", "--dir", src)).Code);

        var outDir = Path.Combine(work, "globex-out");
        Assert.Equal(0, (await Run("kb", "export", "--dir", outDir, "--client", "globex")).Code);

        Assert.Equal(["_all--password-sspr.md", "globex--globex-vpn.md"], Directory.GetFiles(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact(Timeout = 60_000)]
    public async Task Every_file_is_checked_before_anything_is_written()
    {
        var src = Folder("bad", "outlook-crash.md");
        File.WriteAllText(Path.Combine(src, "b.md"), "---\nid: b\ncategory: nope\ntitle: x\n---\n1. y\n");

        var result = await Run("kb", "import", "--dir", src);

        Assert.Equal(2, result.Code);
        Assert.StartsWith($"autotier: {Path.Combine(src, "b.md")}: line 3: category \"nope\"", Assert.Single(result.Error), StringComparison.Ordinal);
        // Not even the table was made.
        await foreach (var _ in new TableServiceClient(azurite.ConnectionString).QueryAsync(t => t.Name == Names.Kb))
            Assert.Fail("the kb table was made");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_picture_missing_from_storage_is_named_on_export_and_the_rest_exported()
    {
        var src = Folder("pictures");
        File.WriteAllText(Path.Combine(src, "a.md"), "---\nid: a\nclient: demo\ncategory: vpn_remote_access\ntitle: A\nimages: [one.png, two.png]\n---\n1. Step\n");
        File.WriteAllBytes(Path.Combine(src, "one.png"), [1]);
        File.WriteAllBytes(Path.Combine(src, "two.png"), [2]);
        Assert.Equal(0, (await Run("kb", "import", "--dir", src)).Code);
        await new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(Names.KbImages).DeleteBlobAsync("demo/a/two.png");

        var outDir = Path.Combine(work, "out");
        var export = await Run("kb", "export", "--dir", outDir);

        Assert.Equal(0, export.Code);
        Assert.Equal(["picture demo/a/two.png is missing from storage: its article names it, but it was not exported", $"exported 1 articles to {outDir}"], export.Error);
        Assert.Equal([1], File.ReadAllBytes(Path.Combine(outDir, "one.png")));
    }

    [Fact(Timeout = 60_000)]
    public async Task Exporting_an_empty_knowledge_base_says_so()
    {
        var result = await Run("kb", "export", "--dir", Path.Combine(work, "out"));

        Assert.Equal(2, result.Code);
        Assert.Equal(["autotier: the knowledge base has no articles to export"], result.Error);
        Assert.False(Directory.Exists(Path.Combine(work, "out")));
    }

    [Fact(Timeout = 60_000)]
    public async Task Candidates_are_the_clients_recurring_escalations_as_JSON_lines()
    {
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(Names.Resolutions);
        var log = new TableResolutionLog(table);
        Assert.Equal((0, ""), (await Run("kb", "candidates", "--client", "demo")) is var none ? (none.Code, none.Out) : default);
        await log.EnsureCreatedAsync(default);
        ResolutionRecord R(string ticket, string subject, string outcome = Outcomes.Escalated, string client = "demo") =>
            new(ticket, client, Categories.SoftwareError, outcome, subject, "", Now);
        foreach (var r in new[]
        {
            R("T-1001", "Sage payroll export error"),
            R("T-1002", "Error on Sage payroll export"),
            R("T-1003", "Sage payroll export error again", Outcomes.ResolvedByEngineer), // not an escalation
            R("T-1004", "Sage payroll export error again"),
            R("T-1005", "Sage payroll export error", client: "globex"), // another client's
            R("T-1006", "Teams camera black"),
        })
        {
            await log.RecordAsync(r, default);
        }

        var three = await Run("kb", "candidates", "--client", "demo");
        Assert.Equal(0, three.Code);
        Assert.Equal(
            "{\"category\":\"software_error\",\"subjects\":[\"Sage payroll export error\",\"Error on Sage payroll export\",\"Sage payroll export error again\"],\"ticketIds\":[\"T-1001\",\"T-1002\",\"T-1004\"]}\n",
            three.Out);

        var file = Path.Combine(work, "candidates.jsonl");
        Assert.Equal(0, (await Run("kb", "candidates", "--client", "demo", "--min-count", "1", "--out", file)).Code);
        Assert.Equal(2, File.ReadAllLines(file).Length);
        Assert.Equal("", (await Run("kb", "candidates", "--client", "demo", "--min-count", "4")).Out);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_local_host_loads_kb_into_an_empty_knowledge_base_only()
    {
        var kb = Kb;
        await kb.EnsureCreatedAsync(default);

        Assert.Equal(4, await DemoSeed.EnsureKbAsync(kb, Images, StarterKb, new FakeTimeProvider(Now), default));
        var articles = await kb.ForClientAsync(DemoSeed.ClientId, default);
        Assert.Equal(4, articles.Count);
        // The demo client's profile fits the starter articles' variants (its VPN and its Main Street printer).
        Assert.Equal("vpn-forticlient", Autotier.Application.Kb.KbIndex.Build(articles).Best(Categories.VpnRemoteAccess, DemoSeed.Client, "vpn stuck at 98%")?.ArticleId);
        Assert.Equal("printer-hp-m404", Autotier.Application.Kb.KbIndex.Build(articles).Best(Categories.PrinterPeripheral, DemoSeed.Client, "printer jam", "Main Street")?.ArticleId);
        Assert.Null(Autotier.Application.Kb.KbIndex.Build(articles).Best(Categories.PrinterPeripheral, DemoSeed.Client, "printer jam", "Riverside"));

        await kb.PutAsync(articles[0] with { Title = "Edited by hand" }, default);
        Assert.Equal(0, await DemoSeed.EnsureKbAsync(kb, Images, StarterKb, new FakeTimeProvider(Now), default));
        Assert.Contains(await kb.AllAsync(default), a => a.Title == "Edited by hand");
    }
}
