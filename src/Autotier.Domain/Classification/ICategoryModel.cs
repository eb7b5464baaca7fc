namespace Autotier.Domain.Classification;

/// <summary>
/// What a trained text model contributes to classification: a label and a probability per label.
/// The classifier pipeline (safety screen, rules, calibration) sits on top; a model never decides
/// alone whether a ticket is automated.
/// </summary>
public interface ICategoryModel
{
    /// <summary>The labels the model was trained on, in the model's own order.</summary>
    IReadOnlyList<string> Labels { get; }

    ModelPrediction Predict(string text);
}

/// <param name="Label">The most probable label.</param>
/// <param name="Confidence">Its probability.</param>
/// <param name="Scores">Every label's probability (they sum to 1).</param>
public sealed record ModelPrediction(string Label, double Confidence, IReadOnlyDictionary<string, double> Scores);
