namespace Autotier.Domain.Classification.Model;

/// <summary>One label's figures: precision, recall, F1 (rounded to 4 places) and its count in the truth.</summary>
public sealed record ClassMetrics(double Precision, double Recall, double F1, int Support);

/// <summary>Accuracy, macro-F1 (the mean of the labels' F1) and each label's figures.</summary>
public sealed record EvaluationMetrics(double Accuracy, double MacroF1, IReadOnlyDictionary<string, ClassMetrics> PerClass);

/// <summary>
/// The TypeScript's metrics.ts: the same figures, the same rounding, and splits and folds that put
/// the same rows on the same side for the same seed (one <see cref="SeededRandom"/> stream, labels
/// in the same order), so a C# figure and a TS figure are measured on the same tickets.
/// </summary>
public static class Metrics
{
    /// <summary>Math.round(x * 10000) / 10000, as the TS rounds every figure.</summary>
    public static double Round(double x) => ModelTable.JsRound(x * 10000) / 10000;

    public static EvaluationMetrics Evaluate(IReadOnlyList<string> truth, IReadOnlyList<string> predicted)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predicted);
        if (truth.Count != predicted.Count) throw new ArgumentException("One prediction per truth.", nameof(predicted));
        var labels = truth.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var correct = 0;
        for (var i = 0; i < truth.Count; i++) if (truth[i] == predicted[i]) correct++;
        // Sorted by label as the TS's object keys come out (inserted in sorted order).
        var perClass = new SortedDictionary<string, ClassMetrics>(StringComparer.Ordinal);
        foreach (var label in labels)
        {
            int tp = 0, fp = 0, fn = 0;
            for (var i = 0; i < truth.Count; i++)
            {
                var t = truth[i] == label;
                var p = predicted[i] == label;
                if (p && t) tp++;
                else if (p) fp++;
                else if (t) fn++;
            }
            var precision = tp + fp > 0 ? (double)tp / (tp + fp) : 0;
            var recall = tp + fn > 0 ? (double)tp / (tp + fn) : 0;
            var f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
            perClass[label] = new ClassMetrics(Round(precision), Round(recall), Round(f1), tp + fn);
        }
        var macroF1 = labels.Sum(l => perClass[l].F1) / Math.Max(labels.Length, 1);
        return new EvaluationMetrics(Round(truth.Count > 0 ? (double)correct / truth.Count : 0), Round(macroF1), perClass);
    }

    /// <summary>
    /// Per-label split, so every label keeps its share in the test set: each label's rows (labels
    /// in first-seen order) shuffled from one stream, the first round(n * testFraction) (at least
    /// one, none of a label with one row) to the test side.
    /// </summary>
    public static (List<T> Train, List<T> Test) StratifiedSplit<T>(IReadOnlyList<T> rows, Func<T, string> labelOf, double testFraction, uint seed)
    {
        if (!(testFraction is > 0 and < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must be between 0 and 1.");
        var train = new List<T>();
        var test = new List<T>();
        foreach (var shuffled in ShuffledGroups(rows, labelOf, seed, sortLabels: false))
        {
            var n = shuffled.Count > 1 ? Math.Max(1, (int)ModelTable.JsRound(shuffled.Count * testFraction)) : 0;
            test.AddRange(shuffled.Take(n));
            train.AddRange(shuffled.Skip(n));
        }
        return (train, test);
    }

    /// <summary>
    /// K folds, each label (in sorted order) shuffled and dealt round-robin, the deal continuing
    /// where the last label stopped so small labels do not all start in fold 0.
    /// </summary>
    public static List<List<T>> StratifiedFolds<T>(IReadOnlyList<T> rows, Func<T, string> labelOf, int k, uint seed)
    {
        if (k < 2) throw new ArgumentOutOfRangeException(nameof(k), k, "Folds must be a whole number of at least 2.");
        var folds = Enumerable.Range(0, k).Select(_ => new List<T>()).ToList();
        var next = 0;
        foreach (var shuffled in ShuffledGroups(rows, labelOf, seed, sortLabels: true))
            foreach (var row in shuffled) folds[next++ % k].Add(row);
        return folds;
    }

    /// <summary>
    /// K folds that keep each group whole (a phrasing family, a mail thread, one requester's
    /// tickets): the groups, in sorted order, shuffled and dealt round-robin. Out-of-fold figures
    /// then measure groups the model has not seen, as a held-out split of whole groups does.
    /// </summary>
    public static List<List<T>> GroupFolds<T>(IReadOnlyList<T> rows, Func<T, string> groupOf, int k, uint seed)
    {
        if (k < 2) throw new ArgumentOutOfRangeException(nameof(k), k, "Folds must be a whole number of at least 2.");
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(groupOf);
        var groups = rows.GroupBy(groupOf, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.ToList()).ToList();
        var random = new SeededRandom(seed);
        for (var i = groups.Count - 1; i > 0; i--)
        {
            var j = random.NextIndex(i + 1);
            (groups[i], groups[j]) = (groups[j], groups[i]);
        }
        var folds = Enumerable.Range(0, k).Select(_ => new List<T>()).ToList();
        for (var g = 0; g < groups.Count; g++) folds[g % k].AddRange(groups[g]);
        return folds;
    }

    private static List<List<T>> ShuffledGroups<T>(IReadOnlyList<T> rows, Func<T, string> labelOf, uint seed, bool sortLabels)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(labelOf);
        var random = new SeededRandom(seed);
        var order = new List<string>();
        var byLabel = new Dictionary<string, List<T>>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var label = labelOf(row);
            if (!byLabel.TryGetValue(label, out var group))
            {
                byLabel[label] = group = [];
                order.Add(label);
            }
            group.Add(row);
        }
        if (sortLabels) order.Sort(StringComparer.Ordinal);
        var groups = new List<List<T>>();
        foreach (var label in order)
        {
            var shuffled = new List<T>(byLabel[label]);
            for (var i = shuffled.Count - 1; i > 0; i--)
            {
                var j = random.NextIndex(i + 1);
                (shuffled[i], shuffled[j]) = (shuffled[j], shuffled[i]);
            }
            groups.Add(shuffled);
        }
        return groups;
    }
}
