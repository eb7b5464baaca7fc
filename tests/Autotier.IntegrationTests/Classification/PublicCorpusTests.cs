using System.Diagnostics;
using Autotier.Domain.Classification.Model;
using Autotier.Training;
using Autotier.LocalHost;
using Xunit;
using Xunit.Abstractions;

namespace Autotier.IntegrationTests.Classification;

/// <summary>Where the repository and the shared data beside it are.</summary>
internal static class Paths
{
    public static string RepoRoot { get; } = RepositoryRoot.Find();

    // The public IT-ticket corpus (38,270 tickets, 8 classes) sits in shared/ beside the checkout.
    public static string? PublicCorpus { get; } =
        new[] { Path.Combine(RepoRoot, "..", "shared", "data", "it-service-tickets-train.csv"), Path.Combine(RepoRoot, "..", "..", "shared", "data", "it-service-tickets-train.csv") }
            .FirstOrDefault(File.Exists);
}

/// <summary>Skipped, saying why, where the public corpus is not beside the checkout (as the TS test is).</summary>
public sealed class PublicCorpusFactAttribute : FactAttribute
{
    public PublicCorpusFactAttribute()
    {
        if (Paths.PublicCorpus is null) Skip = "no shared/data/it-service-tickets-train.csv beside the checkout";
    }
}

/// <summary>The counterpart of tests/integration/domain/model/publicCorpus.test.ts.</summary>
public sealed class PublicCorpusTests(ITestOutputHelper output)
{
    [PublicCorpusFact(Timeout = 600_000)]
    public async Task OnAHeldOutFifth_TheModelReachesDistilBertsPublishedAccuracy()
    {
        await Task.Yield();
        var rows = LabelledCsv.Read(Paths.PublicCorpus!, ["Document"], "Topic_group");
        var (train, test) = Metrics.StratifiedSplit(rows, r => r.Label, 0.2, 11);
        var clock = Stopwatch.StartNew();
        var model = TextClassifier.Train([.. train.Select(r => r.Text)], [.. train.Select(r => r.Label)]);
        var trainMs = clock.ElapsedMilliseconds;
        var metrics = Metrics.Evaluate([.. test.Select(r => r.Label)], [.. test.Select(r => model.Predict(r.Text).Label)]);
        // 0.8777 accuracy and 0.8758-0.8759 macro-F1 measured, the TypeScript's figures on the same
        // split; the published fine-tuned DistilBERT on this corpus is 0.8725. Training is seeded,
        // so the figure is the same on every machine.
        Assert.True(metrics.Accuracy >= 0.8725, $"accuracy {metrics.Accuracy}");
        Assert.True(metrics.MacroF1 >= 0.873, $"macro-F1 {metrics.MacroF1}");
        // Speed is the bench's to report, not a timed test's: said here for whoever reads the run.
        output.WriteLine($"trained in {trainMs} ms on {train.Count} tickets; accuracy {metrics.Accuracy}, macro-F1 {metrics.MacroF1}");
    }
}
