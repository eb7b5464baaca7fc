using System.Text.RegularExpressions;

namespace Autotier.Domain.Text;

/// <summary>What <see cref="TicketText.Clean(string)"/> kept, and which kinds of text it took away.</summary>
/// <param name="Text">The sender's own words, trimmed; never empty when the input had any non-blank text.</param>
/// <param name="RemovedQuote">
/// Quoted history (a reply's attribution, Outlook's header block, "&gt;" lines) went. False when the text
/// was only quoted content and that content was kept in its place (a bare forward): nothing quoted is missing.
/// </param>
/// <param name="RemovedSignature">A signature ("-- " and below, or a "Sent from my iPhone" line) went.</param>
/// <param name="RemovedDisclaimer">A confidentiality disclaimer went.</param>
public sealed record CleanedText(string Text, bool RemovedQuote, bool RemovedSignature, bool RemovedDisclaimer);

/// <summary>
/// One text clean-up for every channel (mail, PSA, webhooks, the portal, the API and triage): the
/// requester's own words without the history they quote, their signature, their company's disclaimer
/// and a forward's header block. Only mail intake used to strip history, so a password request that
/// quoted an old "mail server will be down" notice was triaged as a P1 outage.
/// </summary>
/// <remarks>
/// The quoted-history rules are a port of src/domain/quotedHistory.ts (stripQuoted) and give the
/// same text for the same input; what is new (forward headers, phone signatures, disclaimers, and
/// never returning nothing) only acts on lines the TypeScript rules left alone or on an empty result.
/// Every pattern runs on folded text (<see cref="TextRules.FoldText"/>), so it stays ASCII and
/// lower case, and uses JavaScript's white space and "." so the port matches the TS regexes.
/// </remarks>
public static partial class TicketText
{
    // JavaScript's \s, \S and "." (which stops at CR, LF, U+2028 and U+2029, unlike .NET's).
    private const string S = "[" + JsText.WhiteSpaceClass + "]";
    private const string NotS = "[^" + JsText.WhiteSpaceClass + "]";
    private const string Any = @"[^\n\r\u2028\u2029]";

    /// <summary>Attribution lines are short; longer lines are never tried (the patterns stay linear).</summary>
    private const int MaxHeaderChars = 500;

    /// <summary>Nested quotes are unwrapped one level per pass; past this the input is returned as it is.</summary>
    private const int MaxUnwrapDepth = 8;

    // The line a mail client puts above quoted history:
    // "On Mon, 2 Mar 2026, IT Support <…> wrote:", "Am 02.03.2026 um 10:00 schrieb IT Support <…>:",
    // "El lun, 2 mar 2026, IT Support escribió:", "Le lun. 2 mars 2026, IT Support a écrit :",
    // "Op ma 2 mrt 2026 om 10:00 schreef IT Support <…>:".
    [GeneratedRegex($$"""^{{S}}*on{{S}}{{Any}}+{{S}}wrote{{S}}*:{{S}}*$""", RegexOptions.CultureInvariant)]
    private static partial Regex AttributionEn { get; }

    [GeneratedRegex($$"""^{{S}}*am{{S}}{{Any}}+{{S}}schrieb({{S}}{{Any}}*)?:{{S}}*$""", RegexOptions.CultureInvariant)]
    private static partial Regex AttributionDe { get; }

    [GeneratedRegex($$"""^{{S}}*el{{S}}{{Any}}+{{S}}escribio{{S}}*:{{S}}*$""", RegexOptions.CultureInvariant)]
    private static partial Regex AttributionEs { get; }

    [GeneratedRegex($$"""^{{S}}*le{{S}}{{Any}}+{{S}}a{{S}}+ecrit{{S}}*:{{S}}*$""", RegexOptions.CultureInvariant)]
    private static partial Regex AttributionFr { get; }

    [GeneratedRegex($$"""^{{S}}*op{{S}}{{Any}}+{{S}}schreef({{S}}{{Any}}*)?:{{S}}*$""", RegexOptions.CultureInvariant)]
    private static partial Regex AttributionNl { get; }

    // A client that mixes languages: "Le 2 mars 2026, IT Support wrote:".
    [GeneratedRegex($$"""^{{S}}*(on|le|am|el|op){{S}}{{Any}}{4,200}(wrote|a ecrit|schrieb|escribio|schreef){{S}}*:{{S}}*$""", RegexOptions.CultureInvariant)]
    private static partial Regex AttributionMixed { get; }

    // Thunderbird: "IT Support schrieb am 02.03.2026 um 10:00:", "IT Support schreef op 2-3-2026 10:00:".
    [GeneratedRegex($$"""^{{Any}}+{{S}}(schrieb am|schreef op){{S}}{{Any}}+:{{S}}*$""", RegexOptions.CultureInvariant)]
    private static partial Regex AttributionThunderbird { get; }

    // Outlook's separator line.
    [GeneratedRegex($$"""^{{S}}*-{2,}{{S}}*(original message|ursprungliche nachricht|mensaje original|message d'origine|oorspronkelijk bericht){{S}}*-{2,}""", RegexOptions.CultureInvariant)]
    private static partial Regex Separator { get; }

    // The first line of Outlook's header block of the quoted mail...
    [GeneratedRegex($$"""^{{S}}*\*?(from|von|de|van){{S}}*:\*?{{S}}+{{NotS}}""", RegexOptions.CultureInvariant)]
    private static partial Regex FromLine { get; }

    // ...which counts when a Sent/Date/To line follows within three lines...
    [GeneratedRegex($$"""^{{S}}*\*?(sent|date|gesendet|envoye|enviado|verzonden|to|an|a|para|aan){{S}}*:""", RegexOptions.CultureInvariant)]
    private static partial Regex HeaderNext { get; }

    // ...or when it holds nothing but a name and an address (a client that quotes only From).
    [GeneratedRegex($$"""^{{S}}*\*?(from|von|de|van){{S}}*:\*?{{S}}+([^<>@]*<[^<>{{JsText.WhiteSpaceClass}}@]+@[^<>{{JsText.WhiteSpaceClass}}]+>|[^<>{{JsText.WhiteSpaceClass}}@]+@[^<>{{JsText.WhiteSpaceClass}}]+){{S}}*$""", RegexOptions.CultureInvariant)]
    private static partial Regex FromAddressOnly { get; }

    // Outlook's underscore rule above its header block.
    [GeneratedRegex($$"""^{{S}}*_{5,}{{S}}*$""", RegexOptions.CultureInvariant)]
    private static partial Regex UnderscoreRule { get; }

    // Gmail wraps a long attribution over two lines; a first line that starts like one, or has a date
    // or a time in it (JavaScript's \d is ASCII only), is tried joined to the next.
    [GeneratedRegex($$"""^{{S}}*(on|le|am|el|op){{S}}""", RegexOptions.CultureInvariant)]
    private static partial Regex AttributionOpening { get; }

    [GeneratedRegex("[0-9]", RegexOptions.CultureInvariant)]
    private static partial Regex Digit { get; }

    // A line quoted with ">", and a line that is quoted or blank (on the raw text, as the TS does).
    [GeneratedRegex($$"""^{{S}}*>""", RegexOptions.CultureInvariant)]
    private static partial Regex QuotedLine { get; }

    [GeneratedRegex($$"""^{{S}}*(>|$)""", RegexOptions.CultureInvariant)]
    private static partial Regex QuotedOrBlank { get; }

    // One level of ">" quoting, taken off when a forward's quoted content is all there is.
    [GeneratedRegex($$"""^{{S}}*> ?""", RegexOptions.CultureInvariant)]
    private static partial Regex OneQuoteLevel { get; }

    // A forward's own separator (Gmail, Thunderbird, Apple Mail in each language). What follows it is
    // the forwarded mail, which is the request itself, so only the separator and its header block go.
    [GeneratedRegex($$"""^{{S}}*-{2,}{{S}}*(forwarded message|weitergeleitete nachricht|message transfere|mensaje reenviado|doorgestuurd bericht){{S}}*-{2,}{{S}}*$""", RegexOptions.CultureInvariant)]
    private static partial Regex ForwardSeparator { get; }

    [GeneratedRegex($$"""^{{S}}*(begin forwarded message|anfang der weitergeleiteten (nachricht|e-?mail)|debut du message reexpedie|inicio del mensaje reenviado|begin doorgestuurd bericht){{S}}*:{{S}}*$""", RegexOptions.CultureInvariant)]
    private static partial Regex ForwardBegin { get; }

    // Any field of a quoted or forwarded header block, in the five languages ("à :" folds to "a :").
    [GeneratedRegex($$"""^{{S}}*\*?(from|von|de|van|sent|date|datum|fecha|gesendet|envoye|enviado|verzonden|to|an|a|para|aan|cc|bcc|subject|betreff|objet|asunto|onderwerp|reply-to|antwort an|repondre a|responder a|antwoord aan){{S}}*:""", RegexOptions.CultureInvariant)]
    private static partial Regex HeaderField { get; }

    // A phone or app's signature line: "Sent from my iPhone", "Von meinem iPhone gesendet", "Envoyé de
    // mon iPhone", "Enviado desde mi iPhone", "Verzonden vanaf mijn iPhone", "Get Outlook for Android".
    // The device word is required and at most two short words may follow, so "Sent from my laptop the
    // VPN fails" stays a sentence.
    [GeneratedRegex($$"""^{{S}}*(sent from my|sent from outlook for|get outlook for|von meinem|gesendet von meinem|envoye de mon|envoye depuis mon|enviado desde mi|verzonden (vanaf|met) mijn|verstuurd (vanaf|met) mijn){{S}}+({{NotS}}+{{S}}+)?(iphone|ipad|android|ios|samsung|galaxy|huawei|pixel|blackberry|mobile|smartphone|phone|handy|telephone|portable|movil|celular|telefoon|mobiel)[a-z]*({{S}}+[a-z0-9.]+){0,2}[.!]?{{S}}*$""", RegexOptions.CultureInvariant)]
    private static partial Regex PhoneSignature { get; }

    // Disclaimer headings, on a line of their own or before a colon.
    [GeneratedRegex($$"""^{{S}}*\**{{S}}*(confidentiality (notice|note|warning|statement)|disclaimer|legal disclaimer|vertraulichkeitshinweis|haftungsausschluss|avis de confidentialite|clause de confidentialite|aviso de confidencialidad|clausula de confidencialidad|vertrouwelijkheidsverklaring|vertrouwelijkheidsmelding){{S}}*\**{{S}}*(:|$)""", RegexOptions.CultureInvariant)]
    private static partial Regex DisclaimerHeading { get; }

    // Disclaimer openings: "This email and any attachments are confidential", "Diese E-Mail enthält
    // vertrauliche ...", "Ce message et ses pièces jointes sont confidentiels", "Este mensaje es
    // confidencial", "Dit e-mailbericht is uitsluitend bestemd voor ...". The subject and the verb
    // are both required, so "This email is about the confidential HR file" is a request, not one.
    [GeneratedRegex($$"""^{{S}}*(this|the information (contained )?in this) (e-?mail|message|communication|transmission)\b{{Any}}{0,80}?\b(is|are|may be|contains?){{S}}+(strictly{{S}}+)?(confidential|privileged|intended{{S}}+(solely|only|exclusively))""", RegexOptions.CultureInvariant)]
    private static partial Regex DisclaimerEn { get; }

    [GeneratedRegex($$"""^{{S}}*(diese (e-?mail|nachricht)|dieses e-?mail)\b{{Any}}{0,80}?\b(enthalt|ist|kann){{S}}+((ausschliesslich|nur|streng){{S}}+)?(vertrauliche|vertraulich|fur den)""", RegexOptions.CultureInvariant)]
    private static partial Regex DisclaimerDe { get; }

    [GeneratedRegex($$"""^{{S}}*(ce (message|courriel|e-?mail|mail)|les informations contenues dans ce (message|courriel))\b{{Any}}{0,80}?\b(est|sont|peut|peuvent){{S}}+((strictement|exclusivement){{S}}+)?(confidenti|destine|reserve|contenir des informations confidentielles)""", RegexOptions.CultureInvariant)]
    private static partial Regex DisclaimerFr { get; }

    [GeneratedRegex($$"""^{{S}}*(este (mensaje|correo|e-?mail)|la informacion contenida en este (mensaje|correo))\b{{Any}}{0,80}?\b(es|son|contiene|puede contener){{S}}+((estrictamente|exclusivamente){{S}}+)?(confidencial|informacion confidencial|privilegiad|para uso exclusivo|dirigido)""", RegexOptions.CultureInvariant)]
    private static partial Regex DisclaimerEs { get; }

    [GeneratedRegex($$"""^{{S}}*(dit (e-?mail)?bericht|deze e-?mail|de informatie (verzonden )?(in|met) (dit|deze) ((e-?mail)?bericht|e-?mail))\b{{Any}}{0,80}?\b(is|zijn|kan){{S}}+((uitsluitend|strikt|alleen){{S}}+)?(vertrouwelijk|bestemd)""", RegexOptions.CultureInvariant)]
    private static partial Regex DisclaimerNl { get; }

    [GeneratedRegex(@"\r\n?", RegexOptions.CultureInvariant)]
    private static partial Regex LineBreak { get; }

    private static readonly Regex[] Attributions =
    [
        AttributionEn, AttributionDe, AttributionEs, AttributionFr, AttributionNl, AttributionMixed, AttributionThunderbird,
    ];

    private static readonly Regex[] Disclaimers = [DisclaimerHeading, DisclaimerEn, DisclaimerDe, DisclaimerFr, DisclaimerEs, DisclaimerNl];

    /// <summary>
    /// The requester's own words, for reading and triage: quoted history and every "&gt;" line go,
    /// so a quoted question or notice is never read as the request.
    /// </summary>
    public static CleanedText Clean(string text) => Clean(text, keepInlineQuotes: false);

    /// <summary>
    /// As <see cref="Clean(string)"/>; with <paramref name="keepInlineQuotes"/>, "&gt;" lines between the
    /// requester's own lines stay (an answer written under each quoted question keeps its context for
    /// the engineer who reads a stored reply). A trailing run of "&gt;" lines is history either way.
    /// </summary>
    public static CleanedText Clean(string text, bool keepInlineQuotes)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = LineBreak.Replace(text, "\n");
        return CleanLines(normalized.Split('\n'), keepInlineQuotes, depth: 0)
            // Nothing of the requester's own and nothing quoted that could stand in (only a signature
            // or a disclaimer, say): the text as sent beats an empty ticket.
            ?? new CleanedText(JsText.Trim(normalized), false, false, false);
    }

    /// <summary>
    /// Only what the sender wrote now, for reading a reply: as <see cref="Clean(string)"/>, but a text that
    /// is nothing but quoted content gives "" instead of that content, since a reply that only quotes our
    /// question ("&gt; yes it works") answers nothing.
    /// </summary>
    public static string OwnWords(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return CleanLines(LineBreak.Replace(text, "\n").Split('\n'), keepInlineQuotes: false, depth: MaxUnwrapDepth)?.Text ?? "";
    }

    /// <summary>The cleaned text of <paramref name="lines"/>, or null when nothing at all would be left.</summary>
    private static CleanedText? CleanLines(string[] lines, bool keepInlineQuotes, int depth)
    {
        var folded = Array.ConvertAll(lines, TextRules.FoldText);
        var parts = new List<string>();
        bool quote = false, signature = false, disclaimer = false;
        Part? first = null;
        // A forward's separator splits the text: each side is cleaned on its own (the note above it
        // has its own signature, the forwarded mail its own history), and the separator and the
        // forwarded header block go.
        var start = 0;
        while (start <= lines.Length)
        {
            var end = start;
            while (end < lines.Length && !IsForwardSeparator(folded[end])) end++;
            var part = CleanPart(lines[start..end], folded[start..end], keepInlineQuotes);
            first ??= part;
            if (part.Text.Length > 0) parts.Add(part.Text);
            quote |= part.RemovedQuote;
            signature |= part.RemovedSignature;
            disclaimer |= part.RemovedDisclaimer;
            if (end == lines.Length) break;
            start = SkipHeaderBlock(folded, end + 1);
        }
        if (parts.Count > 0) return new CleanedText(string.Join("\n\n", parts), quote, signature, disclaimer);

        // Everything would go: a forward (or a reply) that is only quoted content. The forwarded
        // complaint is still the complaint, so the quoted content is cleaned in its place.
        if (depth >= MaxUnwrapDepth || first is null || first.Quoted.Length == 0) return null;
        return CleanLines(first.Quoted, keepInlineQuotes, depth + 1);
    }

    private sealed record Part(string Text, bool RemovedQuote, bool RemovedSignature, bool RemovedDisclaimer, string[] Quoted);

    /// <summary>stripQuoted of quotedHistory.ts, with phone signatures and disclaimers cut as "-- " is.</summary>
    private static Part CleanPart(string[] lines, string[] folded, bool keepInlineQuotes)
    {
        // Lines after the last one of the requester's own are a trailing run of ">" lines (or blank).
        var lastOwn = Array.FindLastIndex(lines, l => !QuotedOrBlank.IsMatch(l));
        var kept = new List<int>();
        var removedQuote = false;
        var historyAt = -1;
        for (var i = 0; i < lines.Length; i++)
        {
            var start = HistoryStart(folded, i);
            if (start is { } at)
            {
                if (at < i) kept.RemoveAt(kept.Count - 1); // the underscore rule above Outlook's header block
                historyAt = at;
                break;
            }
            if (QuotedLine.IsMatch(lines[i]))
            {
                if (!keepInlineQuotes)
                {
                    removedQuote = true;
                    continue;
                }
                if (i > lastOwn)
                {
                    removedQuote = true;
                    break;
                }
            }
            kept.Add(i);
        }
        if (historyAt >= 0) removedQuote = true;

        // The signature is cut from the first "-- " line (as the TS does) or phone signature line, the
        // disclaimer from its opening line; whichever comes first ends the requester's text.
        var signatureAt = kept.FindIndex(i => lines[i] is "-- " or "--" || IsShort(folded[i]) && PhoneSignature.IsMatch(folded[i]));
        var disclaimerAt = kept.FindIndex(i => IsShort(folded[i]) && Disclaimers.Any(re => re.IsMatch(folded[i])));
        var cut = kept.Count;
        if (signatureAt >= 0) cut = signatureAt;
        if (disclaimerAt >= 0) cut = Math.Min(cut, disclaimerAt);
        var text = JsText.Trim(string.Join('\n', kept.Take(cut).Select(i => lines[i])));
        return new Part(text, removedQuote, signatureAt >= 0, disclaimerAt >= 0, QuotedContent(lines, folded, historyAt));
    }

    /// <summary>
    /// What the quoted part says, for when it is all there is: the history (its attribution, separator
    /// or header block left out) or, without history, the "&gt;" lines, one quote level taken off.
    /// </summary>
    private static string[] QuotedContent(string[] lines, string[] folded, int historyAt)
    {
        if (historyAt < 0) return Unquote(lines.Where(l => QuotedLine.IsMatch(l)).ToArray());
        var from = historyAt;
        if (UnderscoreRule.IsMatch(folded[from])) from++;
        // A Gmail attribution wrapped over two lines is two lines to leave out.
        from += from < folded.Length && !IsHistoryLine(folded[from]) && !HeaderField.IsMatch(folded[from]) ? 2 : 1;
        from = SkipHeaderBlock(folded, Math.Min(from, folded.Length));
        var history = Unquote(lines[from..]);
        if (history.Length > 0) return history;
        // History with nothing under its marker: the "> " lines above it are what was quoted.
        return Unquote(lines[..historyAt].Where(l => QuotedLine.IsMatch(l)).ToArray());
    }

    /// <summary>The lines without one level of "&gt;" quoting; none at all when they are blank.</summary>
    private static string[] Unquote(string[] lines)
    {
        var unquoted = Array.ConvertAll(lines, l => OneQuoteLevel.Replace(l, "", 1));
        return unquoted.Any(l => JsText.Trim(l).Length > 0) ? unquoted : [];
    }

    private static bool IsHistoryLine(string folded) => Separator.IsMatch(folded) || IsAttribution(folded);

    /// <summary>Past blank lines and header fields ("From:", "Date:", "Subject:" ...) from <paramref name="i"/>.</summary>
    private static int SkipHeaderBlock(string[] folded, int i)
    {
        while (i < folded.Length && (JsText.Trim(folded[i]).Length == 0 || IsShort(folded[i]) && HeaderField.IsMatch(folded[i]))) i++;
        return i;
    }

    private static bool IsForwardSeparator(string folded) =>
        IsShort(folded) && (ForwardSeparator.IsMatch(folded) || ForwardBegin.IsMatch(folded));

    private static bool IsShort(string folded) => folded.Length <= MaxHeaderChars;

    private static bool IsAttribution(string folded) => IsShort(folded) && Attributions.Any(re => re.IsMatch(folded));

    /// <summary>Where the quoted history starts at line <paramref name="i"/>, if it does: i, or the underscore rule above it.</summary>
    private static int? HistoryStart(string[] folded, int i)
    {
        var line = i < folded.Length ? folded[i] : "";
        if (line.Length > MaxHeaderChars) return null;
        if (Separator.IsMatch(line) || IsAttribution(line)) return i;
        // "From: my manager ..." in a sentence is not a header: a header block has Sent/Date/To after
        // its From line, or a From line with only a name and address.
        if (FromLine.IsMatch(line)
            && (FromAddressOnly.IsMatch(line) || folded.Skip(i + 1).Take(3).Any(l => HeaderNext.IsMatch(l))))
        {
            return i > 0 && UnderscoreRule.IsMatch(folded[i - 1]) ? i - 1 : i;
        }
        // Gmail wraps a long attribution over two lines: a line that starts like one, or has a date or
        // time in it, is tried joined to the next (unless the next is a header on its own).
        if (i + 1 < folded.Length)
        {
            var next = folded[i + 1];
            if ((AttributionOpening.IsMatch(line) || Digit.IsMatch(line))
                && HistoryStart([next], 0) is null
                && IsAttribution($"{line} {next}"))
            {
                return i;
            }
        }
        return null;
    }
}
