using System.Text.RegularExpressions;
using Autotier.Domain.Text;

namespace Autotier.Domain.Secrets;

/// <summary>How many secrets <see cref="SecretMasking.Mask"/> replaced, and the text without them.</summary>
public sealed record MaskResult(string Text, int Masked);

/// <summary>
/// Passwords and one-time codes that requesters type into tickets ("my new password Summer2024!
/// doesn't work"). They must not travel on into PSA notes, escalation packages, mails or a language
/// model, but the engineer should still see that one was given: each becomes a marker.
/// </summary>
/// <remarks>
/// A port of the TypeScript secrets.ts with the same patterns. JavaScript's <c>\s</c>, <c>\S</c> and
/// <c>\d</c> are spelled out as classes because .NET's differ (U+0085, U+FEFF, non-ASCII digits), and
/// <c>$</c> is <c>\z</c> because .NET's <c>$</c> also matches before a final newline.
/// </remarks>
public static partial class SecretMasking
{
    public const string PasswordMarker = "[password removed]";
    public const string CodeMarker = "[code removed]";

    private const string Ws = "[" + JsText.WhiteSpaceClass + "]";
    private const string NonWs = "[^" + JsText.WhiteSpaceClass + "]";

    /// <summary>A word starts after neither a letter nor a digit, nor "[" (so the markers' own words never match).</summary>
    private const string Start = @"(?<![\p{L}\p{N}\[])";

    /// <summary>What the requester calls a password, in English, German, Spanish, French and Dutch.</summary>
    private const string PasswordWords =
        @"pass(?:words?|wort|wd|phrase|code)"
        + "|kennwort"
        + "|pwd?"
        + @"|contrase(?:ñ|n\u0303?)as?"
        + "|clave"
        + "|mots? de passe"
        + "|mdp"
        + "|wachtwoord"
        // Bare "pass" is a common verb ("pass it on"): only "temp pass", "new pass", "pass:".
        + "|(?:temp(?:orary)?|new|wi-?fi|admin)" + Ws + "+pass"
        + "|pass(?=" + Ws + "*[:=])";

    /// <summary>What the requester calls a one-time code; a compound must be one of these ("Fehlercode" is not).</summary>
    private const string CodeWords =
        @"(?:best(?:ä|a\u0308?|ae)tigungs|sicherheits|einmal|verifizierungs|anmelde|zugangs|verificatie|beveiligings|inlog|toegangs|sms-?|mfa-?|2fa-?)?code"
        + @"|c(?:ó|o\u0301?)digo"
        + "|otp"
        + "|tan"
        + "|pin(?:[- ]?code)?"
        + "|token";

    /// <summary>Codes that are not secrets: "error code 0x80070005", "zip code 90210", "QR code".</summary>
    private const string NotAfter =
        "(?<!(?:error|fehler|erreur|fout|status|exit|return|event|stop|bug|zip|post|area|country|product|promo|discount|license|licence|source|bar|qr|http)"
        + "[" + JsText.WhiteSpaceClass + "-]*)";

    /// <summary>
    /// Between the word and the secret: "password: X", "pw=X", "Passwort ist X", "password is now X",
    /// "changed my password to X", "Kennwort geändert auf X", "el código es X", "mot de passe : X",
    /// "wachtwoord gewijzigd in X", or just a space.
    /// </summary>
    private const string Filler =
        "is|was|now|to|in|changed|set|reset"
        + @"|ist|war|lautet|jetzt|auf|ge(?:ä|a\u0308|ae)ndert|gesetzt"
        + "|es|era|ahora|a|cambiad[ao]"
        + @"|est|(?:é|e\u0301?)tait|maintenant|en|chang(?:é|e\u0301?)|modifi(?:é|e\u0301?)"
        + "|nu|naar|wordt|gewijzigd|veranderd";

    private const string Link =
        "(?:" + Ws + "+(?:" + Filler + @")(?![\p{L}\p{N}])){0,3}(?:" + Ws + "*[:=]" + Ws + "*|" + Ws + "+)";

    private const string NotMasked = @"(?!\[(?:password|code) removed\])";

    /// <summary>Groups: 1 the word and link, 2 a quoted secret (anything but a line break), 3 a bare one (to the next space).</summary>
    private const string PasswordPattern =
        "(" + Start + "(?:" + PasswordWords + @")(?![\p{L}])" + Link + ")" + NotMasked
        + """(?:(["'“‘«„][^\n"'”’»“]{1,64}["'”’»“])|(""" + NonWs + "+))";

    /// <summary>Groups: 1 the word and link, 2 the code: 4 to 8 digits or groups of them ("123-456"), not part of a longer number or date.</summary>
    private const string CodePattern =
        "(" + Start + NotAfter + "(?:" + CodeWords + @")(?![\p{L}])" + Link + ")"
        + @"([0-9]{2,4}(?:[ -][0-9]{2,4}){1,3}|[0-9]{4,8})(?![\p{L}\p{N}]|[-./:][0-9])";

    private const RegexOptions Words = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    [GeneratedRegex(PasswordPattern, Words)]
    private static partial Regex Password { get; }

    [GeneratedRegex(CodePattern, Words)]
    private static partial Regex Code { get; }

    /// <summary>Words that follow "password" and look like secrets but are not: products, ticket ids, KB numbers, dates.</summary>
    [GeneratedRegex(@"^(?:(?:office|microsoft|m|o)365|win(?:dows)?[0-9]{1,2}|[0-9]?fa|[a-z]{1,5}-[0-9]+|kb[0-9]+|[0-9]{1,4}[./-][0-9]{1,2}[./-][0-9]{1,4})\z", Words)]
    private static partial Regex NotSecret { get; }

    [GeneratedRegex(@"^[0-9]{1,2}-[0-9]{1,2}-(?:[0-9]{2}|[0-9]{4})\z|^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}\z", RegexOptions.CultureInvariant)]
    private static partial Regex LooksLikeADate { get; }

    [GeneratedRegex(@"^[^@" + JsText.WhiteSpaceClass + @"]+@[^@" + JsText.WhiteSpaceClass + @"]+\.\p{L}{2,}\z|^[a-z][a-z0-9+.-]*://", Words)]
    private static partial Regex EmailOrLink { get; }

    /// <summary>A word with an apostrophe or hyphen inside ("doesn't", "n'est", "self-service"), maybe exclaimed.</summary>
    [GeneratedRegex(@"^\p{L}+(?:['’-]\p{L}+)*[!?]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex PlainWord { get; }

    [GeneratedRegex(@"^\p{Lu}\p{L}*!+\z", RegexOptions.CultureInvariant)]
    private static partial Regex CapitalisedExclaimed { get; }

    /// <summary>Closing punctuation after a bare secret belongs to the sentence; "!" and "?" may be the secret's.</summary>
    [GeneratedRegex(@"[.,;:)\]}""'”’»]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex Closing { get; }

    private static string WithoutClosing(string token) => Closing.Replace(token, "");

    /// <summary>
    /// Whether the word after "password" is the password rather than prose ("expired", "doesn't",
    /// "field"). Business passwords must mix kinds of character (Active Directory's complexity rule),
    /// so a secret has a digit or a symbol; a plain word is prose unless it is capitalised and ends in
    /// "!" ("Welcome!"). After ":" or "=" a shorter secret counts ("pw=ab12").
    /// </summary>
    private static bool LooksLikeSecret(string token, bool labelled)
    {
        var core = WithoutClosing(token);
        if (core.Length < (labelled ? 4 : 6)) return false;
        if (NotSecret.IsMatch(core) || EmailOrLink.IsMatch(core)) return false;
        if (CapitalisedExclaimed.IsMatch(core)) return true;
        return !PlainWord.IsMatch(core);
    }

    /// <summary>
    /// Replaces typed passwords with "[password removed]" and one-time codes (verification codes, OTPs,
    /// PINs, TANs) with "[code removed]", and says how many it replaced. Everything else stays as
    /// typed: error codes, KB numbers, versions, dates, phone numbers. Idempotent.
    /// </summary>
    public static MaskResult Mask(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var masked = 0;
        var withoutPasswords = Password.Replace(text, match =>
        {
            var head = match.Groups[1].Value;
            if (match.Groups[2].Success)
            {
                masked++;
                return head + PasswordMarker;
            }
            var token = match.Groups[3].Value;
            if (!LooksLikeSecret(token, head.AsSpan().IndexOfAny(':', '=') >= 0)) return match.Value;
            masked++;
            return head + PasswordMarker + token[WithoutClosing(token).Length..];
        });
        var withoutCodes = Code.Replace(withoutPasswords, match =>
        {
            var code = match.Groups[2].Value;
            var digits = code.Count(char.IsAsciiDigit);
            if (digits is < 4 or > 8 || LooksLikeADate.IsMatch(code)) return match.Value;
            masked++;
            return match.Groups[1].Value + CodeMarker;
        });
        return new MaskResult(withoutCodes, masked);
    }
}
