using System.Text.RegularExpressions;
using Autotier.Domain.Text;

namespace Autotier.Domain.Classification;

/// <summary>
/// Which words of a ticket a model's label rests on, for the classifier's reasons ("model:
/// password_reset 0.91 (words: kennwort, reset)"): each word is taken out in turn and the drop in
/// the label's probability measured. Model-agnostic (it only calls Predict), so it explains the
/// category model and the danger check alike without reaching into their weight tables.
/// </summary>
public static partial class WordContributions
{
    /// <summary>Longer tickets are explained by their first words; each probe is one prediction.</summary>
    private const int MaxWords = 40;

    /// <summary>A word must move the probability this much to be named.</summary>
    private const double MinDrop = 0.02;

    [GeneratedRegex(@"[a-z0-9][a-z0-9'-]*[a-z0-9]", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 250)]
    private static partial Regex Word { get; }

    /// <summary>Up to <paramref name="count"/> words whose removal lowers <paramref name="label"/>'s probability most.</summary>
    public static IReadOnlyList<string> Top(ICategoryModel model, string text, string label, int count)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(text);
        var folded = TextRules.FoldText(text);
        var baseline = ProbabilityOf(model, folded, label);
        var words = Word.Matches(folded).Select(m => m.Value).Where(w => w.Length > 2).Distinct(StringComparer.Ordinal).Take(MaxWords);
        return words
            .Select(w => (Word: w, Drop: baseline - ProbabilityOf(model, Regex.Replace(folded, $@"\b{Regex.Escape(w)}\b", " ", RegexOptions.CultureInvariant, Rx.Timeout), label)))
            .Where(x => x.Drop >= MinDrop)
            .OrderByDescending(x => x.Drop)
            .Take(count)
            .Select(x => x.Word)
            .ToList();
    }

    private static double ProbabilityOf(ICategoryModel model, string text, string label) =>
        model.Predict(text).Scores.TryGetValue(label, out var p) ? p : 0;
}
