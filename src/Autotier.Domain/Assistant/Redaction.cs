using System.Text.RegularExpressions;
using Autotier.Domain.Secrets;
using Autotier.Domain.Text;

namespace Autotier.Domain.Assistant;

/// <summary>
/// Makes a text fit to leave the app for the model (a port of the TypeScript <c>redact</c>): typed
/// passwords and codes masked (<see cref="SecretMasking"/>), the requester's and the participants'
/// addresses replaced by numbered placeholders (the same address, the same placeholder), any other
/// address by <c>&lt;address&gt;</c>, and known names by <c>&lt;person&gt;</c>.
/// </summary>
public static partial class Redaction
{
    public const string Requester = "<requester>";
    public const string Address = "<address>";
    public const string Person = "<person>";

    /// <summary>A longer field is cut before it is sent: the model needs the gist, and the budget is per token.</summary>
    public const int MaxField = 4000;

    [GeneratedRegex(@"[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex Email { get; }

    [GeneratedRegex(@"[" + JsText.WhiteSpaceClass + "]+", RegexOptions.CultureInvariant)]
    private static partial Regex Spaces { get; }

    public static string Redact(string text, People people)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(people);
        var placeholders = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < people.Addresses.Count; i++)
            placeholders[JsText.Trim(people.Addresses[i]).ToLowerInvariant()] = i == 0 ? Requester : $"<participant-{i}>";

        var cut = text.Length > MaxField ? text[..MaxField] : text;
        var output = Email.Replace(
            SecretMasking.Mask(cut).Text,
            match => placeholders.GetValueOrDefault(match.Value.ToLowerInvariant(), Address));
        foreach (var name in people.Names)
        {
            var trimmed = JsText.Trim(name);
            if (trimmed.Length < 2) continue;
            output = ReplaceName(output, trimmed);
            // "Sam Lee" signs off as "Sam" too.
            foreach (var part in Spaces.Split(trimmed).Where(p => p.Length >= 3))
                output = ReplaceName(output, part);
        }
        return output;
    }

    /// <summary>The name as a whole word (not inside another word), any case.</summary>
    private static string ReplaceName(string text, string name) =>
        Regex.Replace(
            text,
            @"(?<!\p{L})" + Regex.Escape(name) + @"(?!\p{L})",
            Person,
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant,
            TimeSpan.FromSeconds(1));
}
