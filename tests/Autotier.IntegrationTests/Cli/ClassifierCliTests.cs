using System.Globalization;
using System.Text;
using System.Text.Json;
using Autotier.Adapters;
using Autotier.Adapters.Classification;
using Autotier.Adapters.Tables;
using Autotier.Application.Ports;
using Autotier.Domain.Classification;
using Autotier.Domain.Clients;
using Autotier.TestSupport;
using Autotier.TestSupport.Azurite;
using Azure.Data.Tables;
using Xunit;

namespace Autotier.IntegrationTests.Cli;

/// <summary><c>autotier classifier tune</c> and <c>train --client</c> against a deployment's storage (Azurite), in-process.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class ClassifierCliTests(AzuriteFixture azurite) : IDisposable
{
    private readonly string prefix = AzuriteNames.Prefix();
    private readonly string work = Directory.CreateTempSubdirectory("classifier-cli-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    private StorageNames Names => StorageNames.FromPrefix(prefix);

    private async Task<TableClient> TableAsync(string name)
    {
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(name);
        await table.CreateIfNotExistsAsync();
        return table;
    }

    private Task<CliResult> Run(params string[] args) => CliRun.RunAsync(
        new Dictionary<string, string?> { ["AzureWebJobsStorage"] = azurite.ConnectionString, ["AUTOTIER_TABLE_PREFIX"] = prefix },
        null, args);

    /// <summary>A client's "history": the built-in corpus's held-out families, as a PSA export would carry them.</summary>
    private string History(int take = 200)
    {
        var csv = new StringBuilder("Summary,Notes,Category,Danger\n");
        foreach (var r in BuiltInModel.Test.Take(take))
            csv.Append(CultureInfo.InvariantCulture, $"{Quote(r.Subject)},{Quote(r.Body)},{r.Category},{(r.Dangerous ? 1 : 0)}\n");
        var path = Path.Combine(work, "history.csv");
        File.WriteAllText(path, csv.ToString());
        return path;
    }

    private static string Quote(string s) => "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    [Fact(Timeout = 180_000)]
    public async Task Tune_prints_the_TypeScript_line_never_goes_to_a_held_out_dangerous_tickets_confidence_and_saves_it_for_a_client()
    {
        var clients = new TableClientStore(await TableAsync(Names.Clients));
        await clients.SaveAsync(new ClientProfile("acme", "Acme") { AutoThreshold = 0.9 }, default);

        var result = await Run("classifier", "tune", "--data", History(), "--text-column", "Summary,Notes", "--label-column", "Category",
            "--dangerous-column", "Danger", "--precision", "0.9", "--client", "acme");

        Assert.True(result.Code == 0, string.Join('\n', result.Error));
        var line = JsonDocument.Parse(result.Out).RootElement;
        Assert.Equal(
            ["threshold", "precision", "coverage", "automated", "n", "engineeringAutomated", "met"],
            line.EnumerateObject().Select(p => p.Name).Where(n => n != "dangerousAbove"));
        Assert.True(line.GetProperty("met").GetBoolean());
        Assert.Equal(200, line.GetProperty("n").GetInt32());
        var threshold = line.GetProperty("threshold").GetDouble();
        if (line.TryGetProperty("dangerousAbove", out var above)) Assert.True(threshold > above.GetDouble());
        Assert.Contains(result.Error, l => l.StartsWith("client acme: automation threshold 0.9 -> ", StringComparison.Ordinal));
        Assert.Equal(threshold, (await clients.GetAsync("acme", default))!.AutoThreshold);
    }

    [Fact(Timeout = 180_000)]
    public async Task Tune_for_a_client_nobody_set_up_says_so_and_exits_1()
    {
        await TableAsync(Names.Clients);

        var result = await Run("classifier", "tune", "--data", History(), "--text-column", "Summary,Notes", "--label-column", "Category",
            "--precision", "0.9", "--client", "ghost");

        Assert.Equal(1, result.Code);
        Assert.Contains(result.Error, l => l.Contains("no client \"ghost\"", StringComparison.Ordinal));
    }

    [Fact(Timeout = 180_000)]
    public async Task Train_for_a_client_learns_from_its_engineers_corrections()
    {
        var store = new TableCorrectionStore(await TableAsync(Names.Corrections));
        for (var i = 0; i < 3; i++)
        {
            await store.RecordAsync(new CorrectionRecord(
                "acme", $"T-10{i}", 1, DateTimeOffset.UtcNow, "alex", "Zebra label printer", "The Zebra label printer prints blank labels",
                Categories.PrinterPeripheral, Categories.Engineering, "P3", "P3"), default);
        }
        var model = Path.Combine(work, "acme.bin.gz");

        var result = await Run("classifier", "train", "--data", History(), "--text-column", "Summary,Notes", "--label-column", "Category",
            "--skip-window", "0", "--client", "acme", "--out", model);

        Assert.True(result.Code == 0, string.Join('\n', result.Error));
        Assert.Contains("client acme: 3 engineer correction(s) added to the training data", result.Error);
        Assert.Contains(result.Error, l => l.StartsWith("trained on 203 rows", StringComparison.Ordinal));
        Assert.True(File.Exists(model));
    }

    [Fact(Timeout = 180_000)]
    public async Task Train_publish_for_a_client_is_the_model_that_clients_tickets_get()
    {
        var result = await Run("classifier", "train", "--data", History(), "--text-column", "Summary,Notes", "--label-column", "Category",
            "--skip-window", "0", "--client", "acme", "--publish", "--out", Path.Combine(work, "acme.bin.gz"));

        Assert.True(result.Code == 0, string.Join('\n', result.Error));
        Assert.Contains("published as model v1 for client acme", result.Error);
        var blobs = new Azure.Storage.Blobs.BlobServiceClient(azurite.ConnectionString);
        var source = new Autotier.Adapters.Blobs.ModelSource(
            Autotier.Adapters.Blobs.BlobModelStore.For(blobs, Names.TablePrefix, null),
            client => Autotier.Adapters.Blobs.BlobModelStore.For(blobs, Names.TablePrefix, client),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<Autotier.Adapters.Blobs.ModelSource>.Instance);
        var acme = await source.LoadAsync("acme", default);
        Assert.NotSame(BuiltInModel.Load(), acme);
        Assert.Same(BuiltInModel.Load(), await source.LoadAsync("other", default));
    }
}
