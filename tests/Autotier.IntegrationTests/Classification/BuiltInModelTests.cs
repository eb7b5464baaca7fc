using System.Diagnostics;
using Autotier.Adapters.Blobs;
using Autotier.Domain.Classification;
using Autotier.Domain.Classification.Model;
using Autotier.Training;
using Xunit;
using Xunit.Abstractions;

namespace Autotier.IntegrationTests.Classification;

/// <summary>The counterpart of tests/integration/domain/model/builtinModel.test.ts, for the model alone.</summary>
public sealed class BuiltInModelTests(ITestOutputHelper output)
{
    [Fact(Timeout = 120_000)]
    public async Task IsTrainedOnTheTrainSplitOnly_AndTheTestSplitHoldsOutWholePhrasingFamilies()
    {
        await Task.Yield();
        var corpus = BuiltInModel.Corpus();
        var clock = Stopwatch.StartNew();
        var model = BuiltInModel.Load();
        output.WriteLine($"built-in model trained on first use in {clock.ElapsedMilliseconds} ms");
        var test = corpus.Where(r => r["split"] == "test").ToList();
        Assert.Equal((corpus.Count - test.Count).ToString(System.Globalization.CultureInfo.InvariantCulture), model.Meta["trainedOn"]);
        var trainFamilies = corpus.Where(r => r["split"] == "train").Select(r => r["family"]).ToHashSet();
        Assert.True(test.Count >= 300);
        Assert.DoesNotContain(test, r => trainFamilies.Contains(r["family"]));
        Assert.Same(model, BuiltInModel.Load());
        Assert.Equal(Features.LayoutV2, model.Layout);
        Assert.All(model.Labels, l => Assert.True(Categories.IsCategory(l), l));
    }

    [Fact(Timeout = 120_000)]
    public async Task AloneClassifiesHeldOutTicketsAsTheTypeScriptsModelDoes()
    {
        await Task.Yield();
        var test = BuiltInModel.Corpus().Where(r => r["split"] == "test").ToList();
        var model = BuiltInModel.Load();
        var metrics = Metrics.Evaluate(
            [.. test.Select(r => r["category"])],
            [.. test.Select(r => model.Predict(BuiltInModel.TextOf(r)).Label)]);
        // The TS's built-in model alone: 0.795 (scripts/build.mjs); the whole classifier's >= 0.90 is
        // the pipeline's test. The same seeded training gives 0.7946 here.
        Assert.True(metrics.Accuracy >= 0.79, $"accuracy {metrics.Accuracy}");
        output.WriteLine($"model alone on the test split: accuracy {metrics.Accuracy}, macro-F1 {metrics.MacroF1}");
    }

    [Fact(Timeout = 300_000)]
    public async Task ItsProbabilitiesAreCalibratedOnHeldOutFamilies_WithTheTemperatureFittedOverWholeFamilies()
    {
        await Task.Yield();
        var corpus = BuiltInModel.Corpus();
        var train = corpus.Where(r => r["split"] == "train").ToList();
        var families = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in train) families.TryAdd(BuiltInModel.TextOf(r), r["family"]);
        var trainer = new CalibratedTrainer(new SvmNbSvmTrainer(new TrainOptions(Layout: Features.LayoutV2)), 5, 42, t => families[t]);
        Assert.Equal(BuiltInModel.Temperature, trainer.FitTemperature([.. train.Select(BuiltInModel.TextOf)], [.. train.Select(r => r["category"])], default));

        // Expected calibration error on the held-out families: 0.068 measured (0.159 at the TS's 0.6).
        var model = BuiltInModel.Load();
        var predictions = corpus.Where(r => r["split"] == "test")
            .Select(r => (model.Predict(BuiltInModel.TextOf(r)), r["category"]))
            .Select(p => (p.Item1.Confidence, p.Item1.Label == p.Item2))
            .ToList();
        var ece = Calibration.ExpectedCalibrationError(Calibration.Reliability(predictions));
        output.WriteLine($"held-out ECE {ece}");
        Assert.True(ece <= 0.1, $"ECE {ece}");
    }

    [Fact(Timeout = 120_000)]
    public async Task RoundTripsThroughItsFileFormatWithIdenticalPredictions()
    {
        await Task.Yield();
        var model = BuiltInModel.Load();
        var copy = ModelFile.Load(ModelFile.Save(model));
        foreach (var r in BuiltInModel.Corpus().Where(r => r["split"] == "test").Take(50))
        {
            var text = BuiltInModel.TextOf(r);
            Assert.Equal(model.Predict(text).Scores, copy.Predict(text).Scores);
        }
    }
}
