using Autotier.Domain.Classification;
using Autotier.Domain.Classification.Model;

namespace Autotier.Training;

/// <summary>
/// Trains with another trainer, then sets the model's softmax temperature to the one with the
/// lowest log loss on out-of-fold scores (K-fold cross-validation on the training rows only, so
/// no held-out row informs it): K + 1 trainings. For models that predict through the
/// <see cref="TextClassifier"/> table (the hand-written trainer and ML.NET on the ported features).
/// Folds are stratified by label, or keep groups whole when <paramref name="groupOf"/> names each
/// text's group: with near-duplicate groups (phrasing families, threads) random folds put a
/// group's twins on both sides, and the fit learns how sure the model is of tickets it has as good
/// as seen (on msp-tickets: temperature 0.022, held-out log loss 0.68 -> 4.0).
/// </summary>
public sealed class CalibratedTrainer(IModelTrainer inner, int folds, uint seed, Func<string, string>? groupOf = null) : IModelTrainer
{
    public string Name => inner.Name;

    public ICategoryModel Train(IReadOnlyList<string> texts, IReadOnlyList<string> labels, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(labels);
        var temperature = FitTemperature(texts, labels, cancellationToken);
        return inner.Train(texts, labels, cancellationToken) switch
        {
            TextClassifier model => model.WithTemperature(temperature).WithMeta(new Dictionary<string, string>
            {
                ["calibration"] = $"temperature fitted by {folds}-fold cross-validation{(groupOf is null ? "" : " over whole groups")}",
            }),
            var other => throw new DataException($"--calibrate: a {other.GetType().Name} has no temperature to fit (use a trainer whose model is the sparse table)"),
        };
    }

    /// <summary>The temperature fitted on out-of-fold decision values.</summary>
    public double FitTemperature(IReadOnlyList<string> texts, IReadOnlyList<string> labels, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(labels);
        var indices = Enumerable.Range(0, texts.Count).ToList();
        var split = groupOf is null
            ? Metrics.StratifiedFolds(indices, i => labels[i], folds, seed)
            : Metrics.GroupFolds(indices, i => groupOf(texts[i]), folds, seed);
        var scored = new List<ScoredRow>();
        for (var f = 0; f < folds; f++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var train = split.Where((_, j) => j != f).SelectMany(x => x).ToList();
            if (inner.Train([.. train.Select(i => texts[i])], [.. train.Select(i => labels[i])], cancellationToken) is not TextClassifier model)
                throw new DataException("--calibrate: this trainer's model has no temperature to fit");
            foreach (var i in split[f])
            {
                var truth = model.Labels.ToList().IndexOf(labels[i]);
                if (truth < 0) continue; // a label the fold's model never saw
                var scores = new double[model.Labels.Count];
                model.Scores(texts[i], scores);
                scored.Add(new ScoredRow(scores, truth));
            }
        }
        return Calibration.FitTemperature(scored);
    }
}
