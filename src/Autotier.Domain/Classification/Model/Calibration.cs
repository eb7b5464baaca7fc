namespace Autotier.Domain.Classification.Model;

/// <summary>One confidence band of a reliability table: how often the model was right there.</summary>
/// <param name="From">The band's lowest confidence (inclusive).</param>
/// <param name="To">Its highest (exclusive, but 1 is in the last band).</param>
/// <param name="N">Predictions whose confidence fell in the band.</param>
/// <param name="MeanConfidence">Their mean confidence.</param>
/// <param name="Accuracy">The share of them that were right.</param>
public sealed record ReliabilityBin(double From, double To, int N, double MeanConfidence, double Accuracy);

/// <summary>A prediction's decision values (before the softmax) and the index of the true label.</summary>
public sealed record ScoredRow(double[] Scores, int Truth);

/// <summary>
/// Calibrating the model's probabilities: one softmax temperature for all labels (temperature
/// scaling, Guo et al. 2017), fitted by minimising the log loss of held-out scores, so that among
/// predictions given 0.8 about eight in ten are right. One parameter cannot overfit a few hundred
/// rows and keeps the ranking of labels (accuracy) as it was.
/// </summary>
public static class Calibration
{
    /// <summary>softmax(scores / temperature), in place.</summary>
    public static void Softmax(Span<double> v, double temperature)
    {
        var max = double.NegativeInfinity;
        foreach (var s in v) if (s > max) max = s;
        double sum = 0;
        for (var i = 0; i < v.Length; i++)
        {
            var e = Math.Exp((v[i] - max) / temperature);
            v[i] = e;
            sum += e;
        }
        for (var i = 0; i < v.Length; i++) v[i] /= sum;
    }

    /// <summary>The mean negative log probability of the true label at a temperature.</summary>
    public static double LogLoss(IReadOnlyList<ScoredRow> rows, double temperature)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) return 0;
        double total = 0;
        foreach (var row in rows)
        {
            var max = row.Scores.Max();
            double sum = 0;
            foreach (var s in row.Scores) sum += Math.Exp((s - max) / temperature);
            // log p(truth) = (s_t - max) / T - log(sum)
            total -= ((row.Scores[row.Truth] - max) / temperature) - Math.Log(sum);
        }
        return total / rows.Count;
    }

    /// <summary>
    /// The temperature with the lowest log loss on the rows, by golden-section search over
    /// log(temperature) in [0.02, 50] (the loss is unimodal in it). Scores of rows the model was
    /// not trained on, or the fit merely learns how sure the model is of its own training set.
    /// </summary>
    public static double FitTemperature(IReadOnlyList<ScoredRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) throw new ArgumentException("Fitting a temperature needs scored rows.", nameof(rows));
        double lo = Math.Log(0.02), hi = Math.Log(50);
        var ratio = (Math.Sqrt(5) - 1) / 2;
        var a = hi - (ratio * (hi - lo));
        var b = lo + (ratio * (hi - lo));
        var fa = LogLoss(rows, Math.Exp(a));
        var fb = LogLoss(rows, Math.Exp(b));
        for (var i = 0; i < 60; i++)
        {
            if (fa < fb)
            {
                hi = b;
                b = a;
                fb = fa;
                a = hi - (ratio * (hi - lo));
                fa = LogLoss(rows, Math.Exp(a));
            }
            else
            {
                lo = a;
                a = b;
                fa = fb;
                b = lo + (ratio * (hi - lo));
                fb = LogLoss(rows, Math.Exp(b));
            }
        }
        return Math.Round(Math.Exp((lo + hi) / 2), 4);
    }

    /// <summary>Per confidence band (tenths by default): how many, how sure, how often right.</summary>
    public static IReadOnlyList<ReliabilityBin> Reliability(IReadOnlyList<(double Confidence, bool Correct)> predictions, int bins = 10)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), bins, "At least one band.");
        var n = new int[bins];
        var confidence = new double[bins];
        var correct = new int[bins];
        foreach (var (p, right) in predictions)
        {
            var bin = Math.Clamp((int)(p * bins), 0, bins - 1);
            n[bin]++;
            confidence[bin] += p;
            if (right) correct[bin]++;
        }
        return [.. Enumerable.Range(0, bins)
            .Where(i => n[i] > 0)
            .Select(i => new ReliabilityBin(
                Metrics.Round((double)i / bins),
                Metrics.Round((double)(i + 1) / bins),
                n[i],
                Metrics.Round(confidence[i] / n[i]),
                Metrics.Round((double)correct[i] / n[i])))];
    }

    /// <summary>
    /// Expected calibration error: the gap between confidence and accuracy, averaged over the
    /// bands weighted by their share of predictions.
    /// </summary>
    public static double ExpectedCalibrationError(IReadOnlyList<ReliabilityBin> table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var total = table.Sum(b => b.N);
        return total == 0 ? 0 : Metrics.Round(table.Sum(b => b.N * Math.Abs(b.MeanConfidence - b.Accuracy)) / total);
    }
}
