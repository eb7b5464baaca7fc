using System.Diagnostics;
using System.Text.Json.Nodes;
using Autotier.Domain.Classification;
using Autotier.Domain.Classification.Model;

namespace Autotier.Training;

/// <summary>
/// The whole classifier for one ticket (safety screen, model, rules, threshold): another part of
/// the port. Evaluate's --full takes it as this delegate so it can measure it on the same held-out
/// rows without this project depending on it.
/// </summary>
public delegate TicketClassification ClassifyTicket(string subject, string body, double threshold, ICategoryModel model);

/// <summary>What evaluate measures on, and how.</summary>
/// <param name="TestFraction">One stratified split (the default, 0.2).</param>
/// <param name="Seed">For the split, the folds and the trainer.</param>
/// <param name="SplitColumn">The file's own split: train rows and test rows.</param>
/// <param name="Folds">K-fold cross-validation instead of one split.</param>
/// <param name="Model">Measure this trained model on every row instead of training.</param>
/// <param name="Full">Also measure the whole classifier (needs <paramref name="Pipeline"/>).</param>
public sealed record EvaluateSettings(
    double TestFraction = 0.2,
    uint Seed = 42,
    string? SplitColumn = null,
    int? Folds = null,
    ICategoryModel? Model = null,
    bool Full = false,
    double Threshold = 0.6,
    string? PriorityColumn = null,
    string? DangerousColumn = null,
    ClassifyTicket? Pipeline = null);

/// <summary>
/// Figures for the model alone, the TypeScript's evaluateCommand: one stratified split, the file's
/// own split column, K-fold cross-validation, or a given model on every row; the same JSON
/// (accuracy, macroF1, perClass, trainMs, predictPerSec, n, folds, foldAccuracy), plus the
/// calibration of the held-out probabilities (reliability per tenth of confidence, expected
/// calibration error, log loss), which the TS does not report.
/// </summary>
public static class ModelEvaluation
{
    public static JsonObject Evaluate(IReadOnlyList<LabelledRow> rows, IModelTrainer trainer, EvaluateSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Full)
        {
            var foreign = rows.Select(r => r.Label).Distinct(StringComparer.Ordinal).Where(l => !Categories.IsCategory(l)).Order(StringComparer.Ordinal).ToList();
            if (foreign.Count > 0)
                throw new DataException(
                    $"--full needs labels that are autotier categories; {string.Join(", ", foreign.Select(l => $"\"{l}\""))} {(foreign.Count == 1 ? "is" : "are")} not (map them with --label-map)");
        }
        var outcomes = new List<(LabelledRow Row, ModelPrediction Prediction)>();
        var trainMs = new List<long>();
        var foldAccuracy = new List<double>();
        var predictTicks = 0L;
        var models = new List<(ICategoryModel Model, IReadOnlyList<LabelledRow> Test)>();

        List<ModelPrediction> Run(ICategoryModel model, IReadOnlyList<LabelledRow> test)
        {
            // Untimed warm-up, so a small test set measures predictions rather than the JIT: 2,000 as the bench does.
            for (var i = 0; i < Math.Min(2000, test.Count * 10); i++) model.Predict(test[i % test.Count].Text);
            var clock = Stopwatch.StartNew();
            var predicted = test.Select(r => model.Predict(r.Text)).ToList();
            predictTicks += clock.ElapsedTicks;
            for (var i = 0; i < test.Count; i++) outcomes.Add((test[i], predicted[i]));
            models.Add((model, test));
            return predicted;
        }

        ICategoryModel Train(IReadOnlyList<LabelledRow> train)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            var model = trainer.Train([.. train.Select(r => r.Text)], [.. train.Select(r => r.Label)], cancellationToken);
            trainMs.Add(clock.ElapsedMilliseconds);
            return model;
        }

        if (settings.Model is { } given)
        {
            Run(given, rows);
        }
        else if (settings.Folds is { } k)
        {
            if (k < 2) throw new DataException("--folds must be a whole number of at least 2");
            var folds = Metrics.StratifiedFolds(rows, r => r.Label, k, settings.Seed);
            for (var f = 0; f < k; f++)
            {
                var train = folds.Where((_, j) => j != f).SelectMany(x => x).ToList();
                var predicted = Run(Train(train), folds[f]);
                var right = predicted.Where((p, i) => p.Label == folds[f][i].Label).Count();
                foldAccuracy.Add(Metrics.Round((double)right / folds[f].Count));
            }
        }
        else
        {
            var (train, test) = settings.SplitColumn is { } column
                ? ([.. rows.Where(r => InSplit(r, column, "train"))], [.. rows.Where(r => InSplit(r, column, "test"))])
                : Metrics.StratifiedSplit(rows, r => r.Label, settings.TestFraction, settings.Seed);
            if (train.Count == 0 || test.Count == 0) throw new DataException("evaluate needs rows to train on and rows to test on");
            Run(Train(train), test);
        }

        var metrics = Metrics.Evaluate([.. outcomes.Select(o => o.Row.Label)], [.. outcomes.Select(o => o.Prediction.Label)]);
        var figures = MetricsJson(metrics);
        if (trainMs.Count > 0) figures["trainMs"] = (long)Math.Round(trainMs.Average(), MidpointRounding.AwayFromZero);
        figures["predictPerSec"] = (long)Math.Round(outcomes.Count / Math.Max(predictTicks / (double)Stopwatch.Frequency, 1e-9));
        figures["n"] = rows.Count;
        if (settings.Folds is { } folded && settings.Model is null)
        {
            figures["folds"] = folded;
            figures["foldAccuracy"] = new JsonArray([.. foldAccuracy.Select(a => JsonValue.Create(a))]);
        }
        figures["calibration"] = CalibrationJson(outcomes);
        if (!settings.Full) return figures;

        foreach (var column in new[] { settings.PriorityColumn, settings.DangerousColumn })
            if (column is not null && !rows[0].Record.ContainsKey(column))
                throw new DataException($"no column \"{column}\"");
        if (settings.Pipeline is null) throw new PipelineMissingException();
        return new JsonObject { ["model"] = figures, ["full"] = FullFigures(models, settings, settings.Pipeline) };
    }

    private static bool InSplit(LabelledRow row, string column, string split) =>
        row.Record.TryGetValue(column, out var value) && value.Trim() == split;

    private static JsonObject MetricsJson(EvaluationMetrics metrics)
    {
        var perClass = new JsonObject();
        foreach (var (label, m) in metrics.PerClass)
            perClass[label] = new JsonObject { ["precision"] = m.Precision, ["recall"] = m.Recall, ["f1"] = m.F1, ["support"] = m.Support };
        return new JsonObject { ["accuracy"] = metrics.Accuracy, ["macroF1"] = metrics.MacroF1, ["perClass"] = perClass };
    }

    /// <summary>How well the held-out probabilities are calibrated: reliability per tenth, ECE, log loss.</summary>
    private static JsonObject CalibrationJson(List<(LabelledRow Row, ModelPrediction Prediction)> outcomes)
    {
        var table = Calibration.Reliability([.. outcomes.Select(o => (o.Prediction.Confidence, o.Prediction.Label == o.Row.Label))]);
        var logLoss = outcomes.Count == 0 ? 0 : outcomes.Average(o =>
            -Math.Log(Math.Max(o.Prediction.Scores.TryGetValue(o.Row.Label, out var p) ? p : 0, 1e-15)));
        return new JsonObject
        {
            ["ece"] = Calibration.ExpectedCalibrationError(table),
            ["logLoss"] = Metrics.Round(logLoss),
            ["reliability"] = new JsonArray([.. table.Select(b => (JsonNode)new JsonObject
            {
                ["from"] = b.From,
                ["to"] = b.To,
                ["n"] = b.N,
                ["meanConfidence"] = b.MeanConfidence,
                ["accuracy"] = b.Accuracy,
            })]),
        };
    }

    /// <summary>
    /// The whole classifier on the same held-out rows, as the TS's fullFigures: what it would hand
    /// to automation, how many dangerous tickets it would automate (at the threshold and at 0, the
    /// worst a client could set) and how its priorities compare, P1s above all.
    /// </summary>
    private static JsonObject FullFigures(List<(ICategoryModel Model, IReadOnlyList<LabelledRow> Test)> models, EvaluateSettings settings, ClassifyTicket classify)
    {
        var truth = new List<string>();
        var predicted = new List<string>();
        int automated = 0, automatedRight = 0, engineeringAutomated = 0;
        int dangerousN = 0, dangerousAutomated = 0, dangerousAt0 = 0;
        int priorityRight = 0, p1 = 0, p1Found = 0, p1Extra = 0;
        foreach (var r in models[0].Test.Take(200)) classify(r.Text, "", settings.Threshold, models[0].Model);
        var clock = new Stopwatch();
        foreach (var (model, test) in models)
        {
            foreach (var row in test)
            {
                clock.Start();
                var c = classify(row.Text, "", settings.Threshold, model);
                clock.Stop();
                truth.Add(row.Label);
                predicted.Add(c.Category);
                if (settings.DangerousColumn is { } dangerous
                    && row.Record.TryGetValue(dangerous, out var flag)
                    && flag.Trim().ToUpperInvariant() is "1" or "TRUE" or "YES")
                {
                    dangerousN++;
                    if (c.Route == Routes.Auto) dangerousAutomated++;
                    if (classify(row.Text, "", 0, model).Route == Routes.Auto) dangerousAt0++;
                }
                if (settings.PriorityColumn is { } priorityColumn)
                {
                    var expected = row.Record.TryGetValue(priorityColumn, out var e) ? e.Trim().ToUpperInvariant() : "";
                    if (c.Priority == expected) priorityRight++;
                    if (expected == "P1")
                    {
                        p1++;
                        if (c.Priority == "P1") p1Found++;
                    }
                    else if (c.Priority == "P1") p1Extra++;
                }
                if (c.Route != Routes.Auto) continue;
                automated++;
                if (c.Category == row.Label) automatedRight++;
                if (row.Label == Categories.Engineering) engineeringAutomated++;
            }
        }
        var figures = MetricsJson(Metrics.Evaluate(truth, predicted));
        figures["threshold"] = settings.Threshold;
        figures["automated"] = automated;
        figures["automatedPrecision"] = automated > 0 ? Metrics.Round((double)automatedRight / automated) : 0;
        figures["engineeringAutomated"] = engineeringAutomated;
        if (settings.DangerousColumn is not null)
            figures["dangerous"] = new JsonObject { ["n"] = dangerousN, ["automated"] = dangerousAutomated, ["automatedAtThreshold0"] = dangerousAt0 };
        if (settings.PriorityColumn is not null)
            figures["priority"] = new JsonObject
            {
                ["accuracy"] = Metrics.Round((double)priorityRight / truth.Count),
                ["p1"] = p1,
                ["p1Found"] = p1Found,
                ["p1Extra"] = p1Extra,
            };
        figures["classifyPerSec"] = (long)Math.Round(truth.Count / Math.Max(clock.Elapsed.TotalSeconds, 1e-9));
        figures["n"] = truth.Count;
        return figures;
    }
}

/// <summary>--full was asked for but no whole-classifier pipeline has been wired in.</summary>
public sealed class PipelineMissingException() : Exception("--full: the whole classifier is not wired yet");
