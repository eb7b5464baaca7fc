using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Autotier.Domain.Classification.Model;

/// <summary>
/// A prediction's probability per label over the model's own label array: a model has a handful
/// of labels, so a scan finds one as fast as a hash would, and building a Dictionary per
/// prediction cost more than a tenth of the prediction itself.
/// </summary>
internal sealed class LabelScores(string[] labels, double[] scores) : IReadOnlyDictionary<string, double>
{
    public double this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"no label \"{key}\"");

    public IEnumerable<string> Keys => labels;

    public IEnumerable<double> Values => scores;

    public int Count => labels.Length;

    public bool ContainsKey(string key) => Array.IndexOf(labels, key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out double value)
    {
        var index = Array.IndexOf(labels, key);
        value = index >= 0 ? scores[index] : 0;
        return index >= 0;
    }

    public IEnumerator<KeyValuePair<string, double>> GetEnumerator()
    {
        for (var i = 0; i < labels.Length; i++) yield return new(labels[i], scores[i]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Builds a model's answer from its probabilities, one per label in the model's order.</summary>
public static class ModelPredictions
{
    /// <summary>The most probable label (the first on a tie), its probability, and every label's.</summary>
    public static ModelPrediction FromProbabilities(string[] labels, double[] probabilities)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(probabilities);
        if (labels.Length != probabilities.Length || labels.Length == 0)
            throw new ArgumentException("One probability per label, and at least one label.", nameof(probabilities));
        var best = 0;
        for (var c = 1; c < probabilities.Length; c++) if (probabilities[c] > probabilities[best]) best = c;
        return new ModelPrediction(labels[best], probabilities[best], new LabelScores(labels, probabilities));
    }
}
