using Autotier.Domain.Classification;
using Autotier.Domain.Classification.Model;

namespace Autotier.Training;

/// <summary>A way to train a text model on labelled texts (the CLI's --trainer).</summary>
public interface IModelTrainer
{
    string Name { get; }

    ICategoryModel Train(IReadOnlyList<string> texts, IReadOnlyList<string> labels, CancellationToken cancellationToken);
}

/// <summary>The hand-written SVM + NB-SVM average (<see cref="TextClassifier"/>), the default.</summary>
public sealed class SvmNbSvmTrainer(TrainOptions options) : IModelTrainer
{
    public string Name => ModelTrainers.Default;

    public ICategoryModel Train(IReadOnlyList<string> texts, IReadOnlyList<string> labels, CancellationToken cancellationToken) =>
        TextClassifier.Train(texts, labels, options);
}

/// <summary>The trainers by name.</summary>
public static class ModelTrainers
{
    /// <summary>The one that measured best on the public corpus (docs/classifier.md).</summary>
    public const string Default = "svm-nbsvm";

    public static IReadOnlyList<string> Names { get; } =
    [
        Default,
        MlNetTrainer.SdcaPorted, MlNetTrainer.LbfgsPorted, MlNetTrainer.PerceptronPorted, MlNetTrainer.SvmPorted,
        MlNetTrainer.SdcaText, MlNetTrainer.LbfgsText, MlNetTrainer.PerceptronText, MlNetTrainer.SvmText,
    ];

    /// <summary>A trainer by name, with the feature layout and seed the CLI was given.</summary>
    public static IModelTrainer Create(string name, FeatureLayout layout, uint seed) => name switch
    {
        Default => new SvmNbSvmTrainer(new TrainOptions(Layout: layout, Seed: seed)),
        _ when Names.Contains(name, StringComparer.Ordinal) => new MlNetTrainer(name, layout, seed),
        _ => throw new DataException($"--trainer must be one of {string.Join(", ", Names)}"),
    };
}
