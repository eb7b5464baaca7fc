using System.Text.RegularExpressions;
using static Autotier.Domain.Classification.Rx;

namespace Autotier.Domain.Classification;

/// <summary>
/// The ticket's language among the five autotier answers in, and the one clarifying question sent
/// when nobody is sure what a ticket is about (route <see cref="Routes.Clarify"/>): plain, kind,
/// no jargon, in the requester's language when it can be told, else English.
/// </summary>
public static class Clarify
{
    // Short function words each language uses in almost every sentence and the others rarely do.
    // Counting them is enough to tell five European languages apart in a ticket; a library
    // (NTextCat and the like) would bring a model file for a question of a few words.
    private static readonly (string Language, Regex Words)[] Markers =
    [
        ("en", P(@"\b(the|and|is|my|it|not|to|of|with|can'?t|please|have|this|i'?m|doesn'?t|won'?t)\b")),
        ("de", P(@"\b(ich|nicht|und|der|die|das|ist|mein\w*|mit|bitte|kann|geht|habe|auf|keine?)\b")),
        ("fr", P(@"\b(je|ne|pas|le|la|les|est|mon|ma|mes|avec|et|une?|merci|plus|j'ai|n'arrive)\b")),
        ("es", P(@"\b(no|el|los|las|mi|con|por|para|puedo|funciona|gracias|tengo|es|y|una?)\b")),
        ("nl", P(@"\b(ik|niet|het|een|mijn|en|is|met|kan|werkt|graag|heb|van|geen|bij)\b")),
    ];

    private static readonly Dictionary<string, string> Questions = new(StringComparer.Ordinal)
    {
        ["en"] = "Thank you for getting in touch. So we can get this to the right person, could you tell us in a sentence or two what you were trying to do, and what happened instead?",
        ["de"] = "Vielen Dank für Ihre Nachricht. Damit sie bei der richtigen Person ankommt: Können Sie uns in ein, zwei Sätzen sagen, was Sie tun wollten und was stattdessen passiert ist?",
        ["fr"] = "Merci pour votre message. Pour le transmettre à la bonne personne, pourriez-vous nous dire en une ou deux phrases ce que vous essayiez de faire, et ce qui s'est passé à la place ?",
        ["es"] = "Gracias por escribirnos. Para que llegue a la persona adecuada, ¿podría contarnos en una o dos frases qué intentaba hacer y qué ocurrió en su lugar?",
        ["nl"] = "Bedankt voor uw bericht. Zodat het bij de juiste persoon terechtkomt: kunt u in een of twee zinnen vertellen wat u probeerde te doen, en wat er in plaats daarvan gebeurde?",
    };

    /// <summary>en, de, fr, es or nl for folded text; null when no language stands out.</summary>
    public static string? LanguageOf(string folded)
    {
        ArgumentNullException.ThrowIfNull(folded);
        var counts = Markers.Select(m => (m.Language, Count: m.Words.Count(folded)))
            .OrderByDescending(c => c.Count).ToList();
        // Two marker words at least, and more than the runner-up: "VPN down" is no language.
        return counts[0].Count >= 2 && counts[0].Count > counts[1].Count ? counts[0].Language : null;
    }

    /// <summary>The clarifying question in the ticket's language (English when it cannot be told).</summary>
    public static string QuestionFor(string? language) =>
        language is not null && Questions.TryGetValue(language, out var q) ? q : Questions["en"];
}
