using System.Text;
using Autotier.Domain.Text;

namespace Autotier.Domain.Classification;

/// <summary>
/// The keyword rules as features the model learns weights for, instead of a boost added after it:
/// each matching pattern of <see cref="CategoryRules.Keywords"/> appends a marker word to the text
/// the model is trained and asked on ("zqrulesoftwareerror zqrulesoftwareerror3"). The model then
/// decides how much a rule hit counts against everything else in the ticket, so no keyword can lift
/// a ticket into a category against the model (issue #31): the rule is part of the model's input.
/// </summary>
/// <remarks>
/// The markers are letters only, as the feature hashing keeps only [a-z0-9] words; "zqrule" keeps
/// them clear of any word a requester writes.
/// </remarks>
public static class RuleFeatures
{
    private const string Prefix = "zqrule";

    /// <summary>The text with one marker word per matching keyword pattern appended.</summary>
    public static string Augment(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var folded = TextRules.FoldText(text);
        var markers = new StringBuilder();
        foreach (var rule in CategoryRules.Keywords)
        {
            var name = rule.Category.Replace("_", "", StringComparison.Ordinal);
            for (var i = 0; i < rule.Patterns.Count; i++)
            {
                if (!rule.Patterns[i].IsMatch(folded)) continue;
                markers.Append(' ').Append(Prefix).Append(name).Append(' ').Append(Prefix).Append(name).Append(i);
            }
        }
        return markers.Length == 0 ? text : text + "\n" + markers;
    }
}
