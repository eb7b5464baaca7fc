using Autotier.Domain.Classification;
using Autotier.Domain.Classification.Model;
using Xunit;

namespace Autotier.UnitTests.Domain.Classification.Model;

/// <summary>Metrics, splits and folds as metrics.ts; calibration; threshold tuning as tuneThreshold.test.ts plus the dangerous rule.</summary>
public sealed class MetricsAndTuningTests
{
    [Fact]
    public void Evaluate_GivesAccuracyMacroF1AndPerClassRoundedAsTheTs()
    {
        var m = Metrics.Evaluate(["a", "a", "b", "c"], ["a", "b", "b", "b"]);
        Assert.Equal(0.5, m.Accuracy);
        Assert.Equal(new ClassMetrics(1, 0.5, 0.6667, 2), m.PerClass["a"]);
        Assert.Equal(new ClassMetrics(0.3333, 1, 0.5, 1), m.PerClass["b"]);
        Assert.Equal(new ClassMetrics(0, 0, 0, 1), m.PerClass["c"]);
        Assert.Equal(Metrics.Round((0.6667 + 0.5) / 3), m.MacroF1);
    }

    [Fact]
    public void StratifiedSplit_KeepsEachLabelsShare_AndIsSeeded()
    {
        var rows = Enumerable.Range(0, 100).Select(i => (Id: i, Label: i % 10 == 0 ? "rare" : "common")).ToList();
        var (train, test) = Metrics.StratifiedSplit(rows, r => r.Label, 0.2, 11);
        Assert.Equal(2, test.Count(r => r.Label == "rare"));
        Assert.Equal(18, test.Count(r => r.Label == "common"));
        Assert.Equal(100, train.Count + test.Count);
        Assert.Equal(test, Metrics.StratifiedSplit(rows, r => r.Label, 0.2, 11).Test);
        Assert.NotEqual(test, Metrics.StratifiedSplit(rows, r => r.Label, 0.2, 12).Test);
        Assert.Throws<ArgumentOutOfRangeException>(() => Metrics.StratifiedSplit(rows, r => r.Label, 1, 11));
    }

    [Fact]
    public void StratifiedFolds_DealEveryRowOnce_ContinuingTheDealAcrossLabels()
    {
        var rows = Enumerable.Range(0, 23).Select(i => (Id: i, Label: i < 3 ? "b" : "a")).ToList();
        var folds = Metrics.StratifiedFolds(rows, r => r.Label, 5, 42);
        Assert.Equal(23, folds.Sum(f => f.Count));
        Assert.Equal(23, folds.SelectMany(f => f).Distinct().Count());
        // "a" (20 rows, sorted first) fills the folds evenly; "b" goes on from fold 0 again.
        Assert.All(folds, f => Assert.Equal(4, f.Count(r => r.Label == "a")));
        Assert.Equal([1, 1, 1, 0, 0], folds.Select(f => f.Count(r => r.Label == "b")));
    }

    [Fact]
    public void GroupFolds_KeepEveryGroupWholeInOneFold()
    {
        var rows = Enumerable.Range(0, 60).Select(i => (Id: i, Group: $"g{i % 13}")).ToList();
        var folds = Metrics.GroupFolds(rows, r => r.Group, 4, 42);
        Assert.Equal(60, folds.Sum(f => f.Count));
        Assert.All(rows.GroupBy(r => r.Group), g => Assert.Single(folds, f => f.Any(r => r.Group == g.Key)));
        Assert.All(folds, f => Assert.NotEmpty(f));
    }

    [Fact]
    public void FitTemperature_FindsTheTemperatureThatMakesConfidenceMatchAccuracy()
    {
        // Scores that say 2:0 for the winner, right 3 times in 4: softmax(2/T, 0) = 0.75 at T = 2/ln 3.
        var rows = Enumerable.Range(0, 400).Select(i => new ScoredRow([2, 0], i % 4 == 0 ? 1 : 0)).ToList();
        Assert.Equal(2 / Math.Log(3), Calibration.FitTemperature(rows), 3);
        var table = Calibration.Reliability([(0.95, true), (0.95, false), (0.55, true), (0.15, false)]);
        Assert.Equal([new ReliabilityBin(0.1, 0.2, 1, 0.15, 0), new ReliabilityBin(0.5, 0.6, 1, 0.55, 1), new ReliabilityBin(0.9, 1, 2, 0.95, 0.5)], table);
        Assert.Equal(Metrics.Round(((0.15 * 1) + (0.45 * 1) + (0.45 * 2)) / 4), Calibration.ExpectedCalibrationError(table));
    }

    // 20 confident and right (two at each of 0.90..0.99); vpn at 0.74, 0.73, 0.72 right and 0.71,
    // 0.70 wrong; five unsure password resets (0.54..0.50) that were really engineering.
    private static List<TuningRow> History() =>
    [
        .. Enumerable.Range(0, 20).Select(i => new TuningRow(Routes.Auto, 0.9 + ((i % 10) / 100.0), Categories.PrinterPeripheral, Categories.PrinterPeripheral)),
        .. Enumerable.Range(0, 5).Select(i => new TuningRow(Routes.Auto, 0.7 + (i / 100.0), Categories.VpnRemoteAccess, i >= 2 ? Categories.VpnRemoteAccess : Categories.SoftwareError)),
        .. Enumerable.Range(0, 5).Select(i => new TuningRow(Routes.Auto, 0.5 + (i / 100.0), Categories.PasswordReset, Categories.Engineering)),
    ];

    [Fact]
    public void Tune_PicksTheLowestThresholdThatKeepsAutomationAsPreciseAsAsked()
    {
        var strict = ThresholdTuning.Tune(History(), 0.96);
        Assert.Equal((true, 23, 1.0, 0.72, 0), (strict.Met, strict.Automated, strict.Precision, strict.Threshold, strict.EngineeringAutomated));
        Assert.Equal(Metrics.Round(23 / 30.0), strict.Coverage);
        var loose = ThresholdTuning.Tune(History(), 0.85);
        Assert.Equal((27, 0.53, 2), (loose.Automated, loose.Threshold, loose.EngineeringAutomated));
        Assert.False(ThresholdTuning.Tune(History(), 0.96, 24).Met);
    }

    [Fact]
    public void Tune_SaysSoWhenNoThresholdIsPreciseEnough_AndReportsTheStrictest()
    {
        var bad = ThresholdTuning.Tune([.. History().Select(r => r with { Label = Categories.SoftwareAccess })], 0.9);
        Assert.Equal((false, 0.0, 2, 0.99), (bad.Met, bad.Precision, bad.Automated, bad.Threshold));
    }

    [Fact]
    public void Tune_RefusesEveryThresholdThatWouldAutomateADangerousTicket()
    {
        // One of the vpn tickets at 0.73 is dangerous: 0.72 (the answer without it) would automate it.
        var rows = History().Select(r => r.Confidence == 0.73 ? r with { Dangerous = true } : r).ToList();
        var choice = ThresholdTuning.Tune(rows, 0.96);
        Assert.True(choice.Met);
        Assert.Equal(0.74, choice.Threshold);
        Assert.Equal(0.73, choice.DangerousAbove);
        Assert.DoesNotContain(rows, r => r.Dangerous && r.Confidence >= choice.Threshold);
        // A dangerous ticket above every other: nothing may be automated at all.
        var worst = ThresholdTuning.Tune([.. History(), new TuningRow(Routes.Auto, 0.999, Categories.PasswordReset, Categories.Engineering, Dangerous: true)], 0.5);
        Assert.False(worst.Met);
        Assert.Equal(0, worst.Automated);
    }

    [Fact]
    public void Change_RefusesToLowerALiveThresholdBelowHalfWithoutForce()
    {
        Assert.Equal((true, "client acme: automation threshold 0.6 -> 0.72"), ThresholdTuning.Change("acme", 0.6, 0.72, false));
        var refused = ThresholdTuning.Change("acme", 0.6, 0.42, false);
        Assert.False(refused.Save);
        Assert.StartsWith("client acme: automation threshold 0.6 -> 0.42 not saved: ", refused.Message, StringComparison.Ordinal);
        Assert.True(ThresholdTuning.Change("acme", 0.6, 0.42, true).Save);
        Assert.True(ThresholdTuning.Change("acme", 0.3, 0.4, false).Save);
    }
}
