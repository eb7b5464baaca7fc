namespace Autotier.Domain.Classification;

/// <summary>
/// Maps the classifier's raw score to the share of tickets with that score that are right
/// (isotonic regression, pool-adjacent-violators): among tickets given 0.8, about eight in ten
/// should be in the right category. The review found tickets under 0.5 right 76% of the time, so
/// a raw 0.45 sent to an engineer was usually a ticket automation could have taken.
/// </summary>
/// <remarks>
/// Fit it on scores the model gave to tickets it was not trained on (out-of-fold scores of the
/// training split), never on the held-out sets it is judged on. The model's own temperature
/// (<see cref="Model.Calibration.FitTemperature"/>) calibrates its probabilities; this calibrates the
/// classifier's final score, after keyword agreement, which no temperature sees. Written by hand: ML.NET has an
/// isotonic calibrator but only for its own binary pipelines, and this is twenty lines of
/// arithmetic on a sorted list with no SDK in the domain.
/// </remarks>
/// <param name="Scores">Block centres, ascending.</param>
/// <param name="Accuracy">The share right in each block, non-decreasing.</param>
public sealed record ConfidenceCalibration(IReadOnlyList<double> Scores, IReadOnlyList<double> Accuracy)
{
    /// <summary>Never quite certain: a calibrated 1.0 would read as "cannot be wrong".</summary>
    private const double Floor = 0.01, Ceiling = 0.99;

    /// <summary>Fits the map on (raw score, was it right) pairs.</summary>
    public static ConfidenceCalibration Fit(IEnumerable<(double Score, bool Correct)> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var sorted = samples.Where(s => double.IsFinite(s.Score)).OrderBy(s => s.Score).ToList();
        if (sorted.Count == 0) throw new ArgumentException("Calibration needs at least one scored ticket.", nameof(samples));
        // Pool adjacent violators: blocks of (sum of scores, sum right, count), merged while a block
        // is more accurate than the one after it.
        var blocks = new List<(double ScoreSum, double Right, int N)>();
        foreach (var (score, correct) in sorted)
        {
            blocks.Add((score, correct ? 1 : 0, 1));
            while (blocks.Count > 1 && Mean(blocks[^2]) >= Mean(blocks[^1]))
            {
                var last = blocks[^1];
                var before = blocks[^2];
                blocks.RemoveAt(blocks.Count - 1);
                blocks[^1] = (before.ScoreSum + last.ScoreSum, before.Right + last.Right, before.N + last.N);
            }
        }
        return new([.. blocks.Select(b => b.ScoreSum / b.N)], [.. blocks.Select(Mean)]);

        static double Mean((double ScoreSum, double Right, int N) b) => b.Right / b.N;
    }

    /// <summary>The calibrated confidence of a raw score: linear between block centres, flat beyond.</summary>
    public double Apply(double score)
    {
        if (Scores.Count == 0 || !double.IsFinite(score)) return Math.Clamp(score, Floor, Ceiling);
        double value;
        if (score <= Scores[0]) value = Accuracy[0];
        else if (score >= Scores[^1]) value = Accuracy[^1];
        else
        {
            var i = 1;
            while (Scores[i] < score) i++;
            var t = (score - Scores[i - 1]) / (Scores[i] - Scores[i - 1]);
            value = Accuracy[i - 1] + t * (Accuracy[i] - Accuracy[i - 1]);
        }
        return Math.Round(Math.Clamp(value, Floor, Ceiling), 3);
    }
}
