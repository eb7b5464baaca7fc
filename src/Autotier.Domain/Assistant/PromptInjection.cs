using System.Text;
using System.Text.RegularExpressions;

namespace Autotier.Domain.Assistant;

/// <summary>
/// Text that addresses a language model rather than a person: "ignore previous instructions", "tell
/// the engineer to ...", a fake system prompt or chat-template tokens, in the five languages the
/// app reads. A heuristic, and only a second line: the guards that hold whatever the model does are
/// structural (a second opinion can only make a ticket more cautious, a briefing is plain quoted
/// bounded text, a reply spawns at most a bounded number of tickets). What it buys: a ticket that
/// tries it is not sent to the model for a briefing or a reply reading at all, and a briefing that
/// echoes such text is dropped. A false alarm costs only the optional help on that ticket.
/// </summary>
public static partial class PromptInjection
{
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    [GeneratedRegex(
        // English: ignore/disregard/forget ... previous/above/system ... instructions/prompt/rules.
        @"\b(?:ignore|disregard|forget|override|bypass)\b.{0,40}?\b(?:previous|prior|above|earlier|preceding|all|any|your|the|system|these|those)\b.{0,20}?\b(?:instructions?|prompts?|rules|directives|guidelines|guardrails)\b"
        + @"|\bsystem\s*(?:prompt|message)\b|\bnew\s+instructions?\s*:|\bdeveloper\s+mode\b|\bjailbreak"
        + @"|\b(?:you\s+are\s+(?:now\s+)?(?:an?\s+)?(?:ai|assistant|language\s+model|chatbot|llm)\b)"
        // Asking the model to pass something on to the engineer or the requester.
        + @"|\b(?:tell|instruct|ask|advise|order|inform|remind)\s+(?:the\s+|our\s+|your\s+|any\s+)?(?:engineers?|technicians?|techs?|admins?|administrators?|support\s+(?:staff|agents?|team)|agents?|helpdesk|service\s+desk|requesters?|users?)\s+(?:to|that)\b"
        + @"|\b(?:note|message|instructions?)\s+(?:to|for)\s+(?:the\s+)?(?:ai|assistant|model|llm|chatbot|gpt|copilot)\b"
        + @"|\b(?:include|add|write|put|mention)\s+(?:this\s+|that\s+|the\s+following\s+)?(?:in|to|into)\s+(?:the|your)\s+(?:summary|briefing|answer|response|note)\b"
        // German, French, Spanish, Dutch.
        + @"|\bignorier\w*\s+(?:alle\s+)?(?:vorherigen|bisherigen|obigen|vorigen|früheren)\s+(?:anweisungen|instruktionen|befehle|regeln)"
        + @"|\bignor\w*\s+(?:toutes\s+)?(?:les\s+)?(?:instructions|consignes|règles)\s+(?:précédentes|precedentes|ci-dessus|antérieures)"
        + @"|\bignor\w*\s+(?:todas\s+)?(?:las\s+)?(?:instrucciones|indicaciones|reglas)\s+(?:anteriores|previas)"
        + @"|\bnegeer\s+(?:alle\s+)?(?:vorige|eerdere|voorgaande|bovenstaande)\s+(?:instructies|opdrachten|regels)"
        // Chat templates and role markers.
        + @"|<\|(?:im_start|im_end|system|user|assistant|endoftext)\|>|\[/?INST\]|<</?SYS>>|^\s*#{2,}\s*(?:instruction|system)\b|""role""\s*:\s*""(?:system|assistant|developer)""",
        Options | RegexOptions.Multiline)]
    private static partial Regex Addressed { get; }

    /// <summary>Whether the text speaks to a model; checked on a folded copy (see <see cref="Fold"/>).</summary>
    public static bool Detect(string? text) => !string.IsNullOrEmpty(text) && Addressed.IsMatch(Fold(text));

    /// <summary>Whether any of the texts does.</summary>
    public static bool DetectAny(IEnumerable<string?> texts) => texts.Any(Detect);

    /// <summary>
    /// Compatibility forms folded (full-width letters, ligatures) and invisible characters removed,
    /// so "ig\u200Bnore previous instructions" or full-width letters do not slip past the patterns.
    /// </summary>
    internal static string Fold(string text)
    {
        var normalised = text.Normalize(NormalizationForm.FormKC);
        var folded = new StringBuilder(normalised.Length);
        foreach (var c in normalised)
        {
            var category = char.GetUnicodeCategory(c);
            if (category == System.Globalization.UnicodeCategory.Format) continue;
            folded.Append(category == System.Globalization.UnicodeCategory.Control && c is not ('\n' or '\r' or '\t') ? ' ' : c);
        }
        return folded.ToString();
    }
}
