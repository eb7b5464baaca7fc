using System.Text.RegularExpressions;
using Autotier.Domain.Classification;
using Autotier.Domain.Text;

namespace Autotier.Domain.Replies;

/// <summary>What a requester's reply says about "Did this resolve your issue?".</summary>
public enum ReplyMeaning
{
    /// <summary>The fix held: the ticket may close as resolved by the requester.</summary>
    Yes,

    /// <summary>The fix did not hold, or the problem came back: an engineer looks.</summary>
    No,

    /// <summary>Neither can be told ("ok", "?", "I'll try tomorrow"): ask once more.</summary>
    Unclear,

    /// <summary>The guide was for the wrong thing ("this is about my mouse, not the printer"): re-route.</summary>
    WrongGuide,

    /// <summary>
    /// A different problem, filed as a ticket of its own; this one still waits for its answer. Only
    /// the optional assistant reads a reply this way (the tables here never do).
    /// </summary>
    NewIssue,
}

/// <param name="Meaning">What the reply says.</param>
/// <param name="Device">
/// With <see cref="ReplyMeaning.WrongGuide"/>: the device the requester says it is about, one of the
/// names in <see cref="Devices"/>, or null when they named none ("wrong instructions").
/// </param>
public sealed record ReplyReading(ReplyMeaning Meaning, string? Device = null)
{
    /// <summary>The meaning as the timeline and the TypeScript app write it: yes, no, unclear, wrong_guide, new_issue.</summary>
    public string Wire => Meaning switch
    {
        ReplyMeaning.Yes => "yes",
        ReplyMeaning.No => "no",
        ReplyMeaning.WrongGuide => "wrong_guide",
        ReplyMeaning.NewIssue => "new_issue",
        _ => "unclear",
    };
}

/// <summary>
/// Reads replies in English, German, Spanish, French and Dutch: a port of interpretReply in
/// src/domain/lifecycle.ts with issue #32's fixes. Only the sender's new words count (quoted history,
/// signatures and disclaimers go, through <see cref="TicketText.OwnWords"/>). Politeness that sounds
/// negative ("no problem", "de rien") is dropped, "the error is gone" counts as a yes, then any sign
/// that the fix did not hold wins, then doubt or a lone question, then thanks.
/// </summary>
/// <remarks>
/// The attack pass found 6 of 14 "still broken" replies read as yes: a "yes" inside a report of
/// failure ("Yes the issue persists", "I clicked yes on the dialog and it crashed again") closed live
/// problems as resolved by the requester. So a "yes" that is not an answer (a button clicked, a word
/// quoted) is dropped like politeness, and failure and recurrence ("crashes again", "locked me out
/// again", "offline again") are signs of no in all five languages. A wrong no costs an engineer's look;
/// a wrong yes closes a live problem and counts a deflection that never happened.
/// Hand-written tables: no library reads "did this fix it?" answers, and the tables are the spec the
/// TypeScript app and its tests already pinned.
/// </remarks>
public static class ReplyReader
{
    /// <summary>The TS reads the first 2,000 characters of the new text: enough for any answer, bounded for the patterns.</summary>
    private const int MaxChars = 2000;

    /// <summary>
    /// A pattern of whole words or phrases. The edges are lookarounds over any letter or digit (the
    /// TS's, since JavaScript's <c>\b</c> only knows ASCII letters).
    /// </summary>
    private static Regex Phrases(params string[] alternatives) =>
        new($@"(?<![\p{{L}}\p{{N}}])(?:{string.Join('|', alternatives)})(?![\p{{L}}\p{{N}}])",
            RegexOptions.CultureInvariant, Rx.Timeout);

    /// <summary>Politeness that contains a negation but says nothing about the fix: dropped before reading.</summary>
    private static readonly Regex Neutral = Phrases(
        // English
        "no (?:problems?|worries|rush|hurry)",
        // German
        "kein problem",
        "keine (?:ursache|sorge|eile)",
        "kein stress",
        "nichts zu danken",
        "gern(?:e|e geschehen)?",
        "nicht schlimm",
        // Spanish
        "de nada",
        "no hay (?:de que|problema|prisa)",
        "no pasa nada",
        "sin problema",
        "no (?:te|se) preocupe?s?",
        // French
        "de rien",
        "pas de (?:probleme|souci|soucis|quoi)",
        "pas grave",
        "avec plaisir",
        "pas mal",
        // Dutch
        "geen (?:probleem|dank|zorgen)",
        "graag gedaan",
        "maakt niet uit");

    /// <summary>
    /// A yes or no that answers something else: a button clicked, an option chosen, a word quoted
    /// ("I clicked yes on the dialog", "ich habe auf Ja geklickt"). Dropped, so only what is left is read.
    /// </summary>
    private static readonly Regex NotAnAnswer = Phrases(
        // English
        "(?:click(?:ed|ing)?|press(?:ed|ing)?|hit|tap(?:ped)?|select(?:ed)?|chose|choose|picked|said|answered|typed|accepted) (?:on )?(?:the )?[\"']?(?:yes|no|ok)[\"']?(?: (?:button|option|box))?",
        "[\"'](?:yes|no)[\"']",
        "(?:yes|no|ok) (?:button|option|box)",
        // German
        "(?:auf |mit )?[\"']?(?:ja|nein|ok)[\"']? (?:geklickt|gedruckt|gewahlt|angeklickt|bestatigt|geantwortet)",
        "(?:klicke|klickte|drucke|druckte) (?:auf )?[\"']?(?:ja|nein|ok)[\"']?",
        "(?:ja|nein)-?(?:taste|schaltflache|button)",
        // Spanish
        "(?:pulse|puls[eo]|hice clic en|di clic en|clic en|clique en|seleccione|elegi|respondi|conteste) (?:en )?(?:el boton )?[\"']?(?:si|no|aceptar)[\"']?",
        "boton (?:de )?[\"']?(?:si|no)[\"']?",
        // French
        "(?:clique|appuye|cliquer|appuyer|repondu|choisi|selectionne) (?:sur )?(?:le bouton )?[\"']?(?:oui|non|ok)[\"']?",
        "bouton [\"']?(?:oui|non)[\"']?",
        // Dutch
        "(?:op )?[\"']?(?:ja|nee|ok)[\"']? (?:geklikt|gedrukt|gekozen|aangeklikt|geantwoord)",
        "(?:klikte|klik|drukte|druk) op [\"']?(?:ja|nee|ok)[\"']?",
        "(?:ja|nee)-?(?:knop|toets)");

    /// <summary>
    /// The requester does not know yet ("I'll try it tomorrow", "weiß nicht"): not a yes, however
    /// thankful, and not a no either, though most of these phrases hold a negation.
    /// </summary>
    private static readonly Regex Unsure = Phrases(
        // English
        "not (?:sure|certain)",
        "(?:don'?t|do not) know",
        "no idea",
        "(?:have ?n'?t|have not|not) (?:tried|tested)(?: it)?(?: yet)?",
        "(?:i'?ll|i will|will) (?:try|test|check|let you know)",
        // German
        "nicht sicher",
        "weiss (?:es )?nicht",
        "keine ahnung",
        "(?:noch nicht|spater) (?:ge|aus)?(?:testet|probiert|versucht)",
        "(?:teste|probiere|versuche) (?:es |das )?(?:spater|morgen|gleich)",
        // Spanish
        "no (?:estoy|esta) segur[oa]",
        @"no (?:lo )?se(?= *(?:si|[.,!?]|\z))",
        "ni idea",
        "(?:todavia|aun) no (?:lo )?(?:he|hemos) (?:probado|comprobado)",
        "(?:lo )?(?:probare|pruebo|probamos) (?:mas tarde|manana|luego)",
        // French
        "(?:ne )?(?:sais|suis) pas(?: sure?)?",
        "(?:pas encore|pas) (?:teste|essaye)",
        "(?:je vais|j'vais|je vais le) (?:essayer|tester)",
        // Dutch
        "weet (?:het )?niet(?: zeker)?",
        "niet zeker",
        "geen idee",
        "nog niet (?:getest|geprobeerd)",
        "(?:ik )?(?:probeer|test) (?:het )?(?:later|morgen|straks)");

    /// <summary>"The error is gone" said with a negation: a yes that must not be read as a no.</summary>
    private static readonly Regex Gone = Phrases(
        // English
        "no (?:more|longer) (?:any )?(?:errors?|issues?|problems?|crash(?:es)?)",
        "(?:don'?t|do not|no longer) (?:get|see|have) (?:the|that|this|any) (?:error|issue|problem|message)s?(?: (?:any ?more|now))?",
        "(?:error|issue|problem|message)s? (?:is |are |has |have )?(?:gone|disappeared)",
        // The failure words below are signs of no; said as gone, they are a yes (fix 7's counterpart).
        "(?:does ?n'?t|does not|did ?n'?t|did not|no longer|not) (?:crash|freeze|hang|lock me out|disconnect)(?:e?s|ed)?(?: (?:any ?more|again|since))?",
        "(?:is ?n'?t|is not|no longer|not) offline(?: any ?more)?",
        "back online",
        "no (?:more|longer) (?:any )?(?:lock ?outs?|freez(?:es|ing)|hangs|disconnects|drop ?outs?)",
        "(?:is ?n'?t|is not|no longer|not) (?:so |as )?slow(?: any ?more)?",
        // German
        "keine (?:fehler(?:meldung)?|probleme?|meldung)(?:en)? mehr",
        "(?:fehler(?:meldung)?|problem|meldung) (?:ist |sind )?(?:weg|verschwunden|behoben)",
        "(?:fehler(?:meldung)?|problem|meldung)[^.!?\\n]{0,25} nicht mehr(?: auf)?",
        "(?:sturzt|hangt|friert)[^.!?\\n]{0,20} nicht mehr(?: ab| ein)?",
        "keine abstur(?:z|ze) mehr",
        "wieder online",
        // Spanish
        "ya no (?:me )?(?:sale|aparece|da|tengo|hay)(?: el| la| ese| ningun| mas)? (?:error|problema|fallo|mensaje|aviso)",
        "ya no se (?:cuelga|bloquea|cierra)",
        // French
        "(?:n'ai|n'y a|n'a) plus (?:de |d'|le |l'|la |ce |cette |aucun )?(?:probleme|erreur|souci|bug|message)",
        "plus (?:de |d')(?:probleme|erreur|souci)s?",
        "ne (?:plante|bloque|crash\\w*|se bloque|se ferme) plus",
        // Dutch
        "geen (?:fout(?:melding)?|foutmeldingen|fouten|problemen|probleem|melding) meer",
        "(?:fout(?:melding)?|probleem|melding)[^.!?\\n]{0,25} niet meer",
        "(?:fout(?:melding)?|probleem|melding) (?:is )?(?:weg|verdwenen)",
        "(?:crasht|hangt|loopt)[^.!?\\n]{0,15} niet meer(?: vast)?");

    /// <summary>
    /// The fix did not hold. Bare negations count in German, French and Dutch (nicht, pas, niet) and
    /// "no" in English and Spanish: answering "did this resolve it?" with a negation almost always
    /// means no. After the TS's table, the failure and recurrence words of fix 7.
    /// </summary>
    private static readonly Regex No = Phrases(
        // English
        "no",
        "nope",
        "nah",
        "not (?:yet|working|fixed|resolved|solved|sorted|really)",
        "still",
        "did ?n'?t (?:work|help|fix|solve|resolve|change)",
        "did not (?:work|help|fix|solve|resolve|change)",
        "does ?n'?t work",
        "does not work",
        "is ?n'?t working",
        "is not working",
        "(?:stopped|quit) working",
        "broke",
        "broken",
        "won'?t",
        "can'?t",
        "cannot",
        "same (?:problem|issue|error)",
        "no luck",
        "no change",
        "worse",
        "(?:came|is|it'?s) back(?! to normal)",
        "unfortunately not",
        // English: failure and recurrence (fix 7)
        "crash(?:es|ed|ing)?",
        "freez(?:es|ing)|froze(?:n)?",
        "hangs|hanging|hung up",
        "locked (?:me |us )?out|lock(?:s|ing)? (?:me|us) out|locked again",
        "offline",
        "persists?|persisting",
        "keeps? (?:on )?(?:crashing|failing|freezing|happening|dropping|disconnecting|asking|popping up|showing|locking|coming back|doing (?:it|that))",
        "(?:happen(?:s|ed|ing)?|doing it|did it|started|starts|appears?|appeared|popped up|pops up|showed up|shows up|came up|comes up|failed|fails) again",
        "again and again",
        "same thing",
        "disconnect(?:s|ed|ing)",
        "drop(?:s|ped|ping) (?:out|again|the connection)",
        "(?:get|got|getting|see|saw|seeing|have|having) (?:the|an|that|this|same|the same) (?:error|message|warning|problem|issue)",
        "fail(?:s|ed|ing)?",
        "drop(?:s|ped|ping)",
        "slow(?:er)?",
        "same as (?:before|yesterday|earlier|last time)",
        "(?:error|message|warning)s? (?:appears?|appeared|comes? up|came up|pops? up|popped up|shows?|showed|is showing)",
        // German
        "nein",
        "nee",
        "nicht",
        "immer noch",
        "noch immer",
        "nach wie vor",
        "(?:besteht|bestehen) (?:weiterhin|noch)",
        "tritt (?:weiterhin|noch|wieder) auf",
        "kein(?:e|en)? (?:erfolg|verbesserung|anderung|veranderung|verbindung)",
        "ohne erfolg",
        "(?:der |die |das )?(?:gleiche|selbe|dieselbe|derselbe)n? (?:fehler|problem|meldung)",
        "nichts (?:gebracht|geholfen|geandert|getan|verandert)",
        "(?:bringt|hilft) nichts",
        "kaputt",
        "langsam",
        // German: failure and recurrence
        "abgesturzt|absturz\\w*|sturzt(?: \\w+){0,3} ab",
        "hangt sich(?: \\w+)? auf|friert(?: \\w+)? ein|eingefroren",
        "gesperrt|ausgesperrt|sperrt mich(?: \\w+)? aus",
        "schon wieder",
        "(?:passiert|kommt) (?:\\w+ )?wieder",
        "wieder (?:da|abgesturzt|gesperrt|weg|aufgetreten|passiert|offline|kaputt)",
        // Spanish
        "todavia no",
        "aun no",
        "sigue(?:n)? (?:sin|igual|fallando|dando|con|mal|sin funcionar)",
        "(?:el )?mismo (?:error|problema|fallo)",
        "igual que antes",
        "tampoco",
        "persiste",
        "lent[oa]",
        // Spanish: failure and recurrence
        "se (?:cuelga|colgo|bloquea|bloqueo|cierra|cerro|cae|cayo)",
        "bloquead[oa]s?|desconectad[oa]s?|sin conexion|caid[oa]",
        "(?:vuelve|volvio|ha vuelto) a (?:fallar|salir|aparecer|pasar|bloquear\\w*|colgar\\w*|cerrar\\w*|caer\\w*)",
        "(?:otra vez|de nuevo) (?:el|la|lo mismo|igual|bloquead\\w*|caid\\w*)",
        "falla|fallo|fallando",
        // French
        "non",
        "pas",
        "toujours (?:pas|le meme|la meme|en panne|bloque)",
        "(?:meme|la meme) (?:erreur|probleme|souci)",
        "ne \\w+ plus",
        "n'\\w+ plus",
        "rien (?:ne|n'a)",
        "aucun (?:changement|effet|resultat)",
        "est revenue?",
        "lente?",
        // French: failure and recurrence
        "plante|plantage|a plante",
        "bloquee?s?|verrouillee?s?",
        "hors ligne|deconnecte\\w*",
        "recommence|(?:encore|de nouveau|a nouveau) (?:en panne|bloque\\w*|plante|planté|la meme|le meme|arrive)",
        "(?:arrive|revient|reapparait|reapparu) (?:encore|de nouveau|a nouveau)",
        // Dutch
        "neen",
        "niet",
        "nog (?:steeds|altijd|niet)",
        "geen (?:verbetering|verandering|succes|resultaat|verbinding)",
        "(?:de|het)? ?zelfde (?:fout(?:melding)?|probleem|melding)",
        "weer (?:kapot|terug|mis)",
        // Dutch: failure and recurrence
        "crasht|gecrasht|loopt(?: \\w+){0,2} vast|vastgelopen|hangt",
        "geblokkeerd|buitengesloten|sluit mij(?: \\w+)? buiten",
        "(?:gebeurt|gebeurde) (?:het )?(?:weer|opnieuw)|(?:weer|opnieuw) (?:vast|fout|offline|geblokkeerd|gecrasht|hetzelfde)",
        "blijft (?:\\w+ )?(?:bestaan|terugkomen|hangen|crashen|vastlopen|haperen|uitvallen)",
        "(?:probleem|fout(?:melding)?|melding) blijft",
        "traag",
        "valt (?:\\w+ )?(?:steeds |weer )?uit");

    /// <summary>The fix held: gratitude alone counts, as it does in English ("Thanks!").</summary>
    private static readonly Regex Yes = Phrases(
        // English
        "yes",
        "yep",
        "yeah",
        "yup",
        "thanks",
        "thank you",
        "thx",
        "cheers",
        "fixed",
        "working(?: now| again)?",
        "works(?: now| again)?",
        "worked",
        "resolved",
        "solved",
        "sorted",
        "all (?:good|ok|okay|fine|set)",
        "perfect",
        "great",
        "that did it",
        "back to normal",
        "(?:connects|prints|syncs|opens|loads) (?:now|again|fine)",
        "can (?:log|sign) (?:in|on)(?: now| again)?",
        // German
        "ja",
        "jawohl",
        "danke(?: ?schon| sehr)?",
        "vielen dank",
        "funktioniert(?: wieder| jetzt)?",
        "geht (?:wieder|jetzt)",
        "(?:jetzt|nun) geht'?s",
        "geht'?s wieder",
        @"es geht(?= *(?:[.,!]|\z))",
        "klappt(?: wieder| jetzt)?",
        "lauft(?: wieder| jetzt)?",
        "gelost",
        "behoben",
        "erledigt",
        "alles (?:gut|ok|okay|bestens|in ordnung)",
        "perfekt",
        "wieder normal",
        "super",
        "passt",
        // Spanish
        @"si(?= *(?:[,.!]|\z))",
        "gracias",
        "funciona(?: bien| ya)?",
        "ya funciona",
        "ya va",
        "ha funcionado",
        "resuelto",
        "solucionado",
        "arreglado",
        "perfecto",
        "genial",
        "todo (?:bien|ok|correcto|perfecto)",
        // French
        "oui",
        "ouais",
        "merci",
        "(?:ca|tout) (?:marche|fonctionne|va mieux|remarche)",
        "fonctionne",
        "resolu",
        "regle",
        "c'est bon",
        "tout est (?:bon|ok|en ordre)",
        "parfait",
        "nickel",
        "impeccable",
        // Dutch
        "jazeker",
        "bedankt",
        "dank (?:je|u)(?: wel)?",
        "(?:het )?werkt(?: weer| nu)?",
        "opgelost",
        "verholpen",
        "gelukt",
        "prima",
        "alles (?:is )?(?:ok|goed|in orde)");

    // ---- wrong guide: "this is about my mouse, not the printer" ----------------------------------

    /// <summary>The requester says what the ticket is about; a device named right after it is what they mean.</summary>
    private static readonly Regex AboutCue = Phrases(
        // English
        "(?:(?:this|it|that|my (?:ticket|request|problem|issue|question)) (?:is|was)|it'?s|that'?s)(?: actually| really)? (?:about|for|with) (?:my|the|a|an)",
        "(?:(?:i )?(?:meant|mean|asked about|was asking about|was talking about|am talking about|wrote about)|the (?:problem|issue) is with) (?:my|the|a|an)",
        // German
        "(?:es geht (?:hier |mir )?um|das problem (?:ist|betrifft)|ich meinte|ich meine|es betrifft) (?:meine?n?|die|den|das|der)",
        // Spanish
        "(?:es sobre|se trata de|el problema es(?: con)?|hablo de|me refiero a|es por) (?:mi|el|la|al)",
        // French
        "(?:il s'agit de|ca concerne|le probleme (?:est|concerne)|je parle de|je voulais dire|c'est pour) (?:ma|mon|la|le|l')",
        // Dutch
        "(?:het gaat (?:over|om)|het probleem is|ik bedoel(?:de)?|het is voor) (?:mijn|de|het)");

    /// <summary>The steps were for the wrong thing, said outright: "wrong guide", "falsche Anleitung", "I don't have a printer".</summary>
    private static readonly Regex WrongSteps = Phrases(
        "wrong (?:guide|steps|instructions|article|device|thing)",
        "(?:not|nothing to do with) (?:what i (?:asked|meant|wrote)|my (?:problem|issue|question))",
        "(?:i )?(?:(?:do ?n'?t|do not) (?:have|use|own) (?:a|an|any)|have no) (?:printer|scanner|mouse|keyboard|monitor|headset|dock|docking station|desk ?phone)",
        "falsche(?:n)? (?:anleitung|schritte|gerat)",
        "(?:ich )?habe (?:keinen?|gar keinen?) (?:drucker|scanner|maus|tastatur|monitor|bildschirm|headset)",
        "(?:instrucciones|pasos|guia) (?:equivocad[oa]s?|incorrect[oa]s?)",
        "no tengo (?:impresora|escaner|raton|teclado|monitor|pantalla)",
        "(?:mauvais(?:e|es)?|pas les bon(?:ne)?s) (?:guide|instructions|etapes|appareil)",
        "je n'ai pas (?:d'imprimante|d'ecran|de souris|de clavier|de scanner|de casque)",
        "(?:verkeerde|foute) (?:handleiding|stappen|instructies|apparaat)",
        "ik heb geen (?:printer|scanner|muis|toetsenbord|beeldscherm|monitor|headset)");

    /// <summary>A negation that sets the device after it aside: "not the printer", "nicht den Drucker", "pas l'imprimante".</summary>
    private static readonly Regex NegatedBefore = new(
        @"(?<![\p{L}\p{N}])(?:not|nicht|kein(?:e|en)?|no|ni|pas|niet|geen)(?: (?:about|um|sobre|over|om|de|d'|es))?(?: (?:the|a|an|my|der|den|die|das|meine?n?|el|la|un|una|mi|le|l'|ma|mon|une|de|het|mijn|een))? ?\z",
        RegexOptions.CultureInvariant | RegexOptions.RightToLeft, Rx.Timeout);

    /// <summary>Between a device and the negation of another: punctuation and at most "and it's" ("mouse, not the printer").</summary>
    private static readonly Regex KeptThenNegated = new(
        @"\A[ ,;:\-]*(?:(?:and|und|y|et|en) )?(?:(?:it'?s|its|is|es|ist|c'est|het is) )?\z", RegexOptions.CultureInvariant, Rx.Timeout);

    /// <summary>Between a negated device and the one meant: "but my", "sondern die", "mais la" ("not the printer but my mouse").</summary>
    private static readonly Regex NegatedThenKept = new(
        @"\A[ ,;:\-]*(?:but|sondern|sino|mais|maar)(?: (?:it'?s|about|the|my|a|die|den|das|der|meine?n?|el|la|mi|ma|mon|le|l'|de|het|mijn))*[ ]?\z", RegexOptions.CultureInvariant, Rx.Timeout);

    /// <summary>
    /// What <paramref name="text"/>, a reply to "Did this resolve your issue?", says. Only the new text
    /// counts: quoted history, signatures and disclaimers are left out.
    /// </summary>
    public static ReplyReading Read(string text) => Read(text, guideDevice: null);

    /// <summary>
    /// As <see cref="Read(string)"/>, knowing the device the guide was for: a reply that says it is
    /// about that very device ("it's the printer, still broken") is read for yes or no, not as a wrong guide.
    /// </summary>
    public static ReplyReading Read(string text, string? guideDevice)
    {
        ArgumentNullException.ThrowIfNull(text);
        var own = TicketText.OwnWords(text);
        if (own.Length > MaxChars) own = own[..MaxChars];
        try
        {
            return ReadOwn(own, guideDevice);
        }
        catch (RegexMatchTimeoutException)
        {
            // Crafted text stalled a pattern: asking once more is the answer that closes nothing.
            return new(ReplyMeaning.Unclear);
        }
    }

    private static ReplyReading ReadOwn(string own, string? guideDevice)
    {
        var fresh = TextRules.FoldText(own);
        fresh = Neutral.Replace(fresh, " ");
        fresh = NotAnAnswer.Replace(fresh, " ");

        if (WrongGuide(fresh) is { } wrong && (wrong.Device is null || wrong.Device != guideDevice)) return wrong;

        var unsure = Unsure.IsMatch(fresh);
        fresh = Unsure.Replace(fresh, " ");
        var gone = Gone.IsMatch(fresh);
        fresh = Gone.Replace(fresh, " ");
        if (No.IsMatch(fresh)) return new(ReplyMeaning.No);
        // "Works now?" asks; it does not tell.
        if (unsure || OnlyAQuestion(JsText.Trim(fresh))) return new(ReplyMeaning.Unclear);
        // "Yes, but now Outlook asks for my password every time": a caveat the tables cannot read is not a yes.
        if (Caveat(fresh)) return new(ReplyMeaning.Unclear);
        return gone || Yes.IsMatch(fresh) ? new(ReplyMeaning.Yes) : new(ReplyMeaning.Unclear);
    }

    /// <summary>"but", "aber", "pero", "mais", "maar": what follows qualifies what came before.</summary>
    private static readonly Regex But = Phrases("but", "however", "though", "aber", "jedoch", "pero", "sin embargo", "mais", "cependant", "maar", "echter");

    /// <summary>Words after the last "but" that say nothing the yes table knows: the requester added something else.</summary>
    private static bool Caveat(string fresh)
    {
        var but = But.Match(fresh);
        if (!but.Success) return false;
        while (but.NextMatch() is { Success: true } next) but = next;
        var tail = fresh[(but.Index + but.Length)..];
        return tail.Any(char.IsLetter) && !Yes.IsMatch(tail);
    }

    /// <summary>TS /^[^.!\n]*\?[\s?]*$/: a single question and nothing said.</summary>
    private static bool OnlyAQuestion(string trimmed)
    {
        var mark = trimmed.IndexOf('?', StringComparison.Ordinal);
        if (mark < 0 || trimmed.AsSpan(0, mark).IndexOfAny(".!\n") >= 0) return false;
        foreach (var c in trimmed.AsSpan(mark))
        {
            if (c != '?' && !JsText.IsWhiteSpace(c)) return false;
        }
        return true;
    }

    private sealed record Mention(string Device, int Index, int End, int NegationAt);

    /// <summary>
    /// A wrong-guide answer, or null: a device named right after "it's about" ("this is about my
    /// mouse"), a device beside another set aside ("mouse, not the printer"; "not the printer but my
    /// mouse"), or steps called wrong outright ("wrong instructions", "I don't have a printer").
    /// </summary>
    private static ReplyReading? WrongGuide(string folded)
    {
        var wrongSteps = WrongSteps.Matches(folded);
        var mentions = Devices.Mentions(folded)
            // "I don't have a printer" names the device the steps were wrongly for.
            .Where(m => !wrongSteps.Any(w => m.Index >= w.Index && m.Index < w.Index + w.Length))
            .Select(m => new Mention(m.Device, m.Index, m.Index + m.Length, NegationBefore(folded, m.Index)))
            .OrderBy(m => m.Index)
            .ToList();
        var kept = mentions.Where(m => m.NegationAt < 0).ToList();
        var setAside = mentions.Where(m => m.NegationAt >= 0).ToList();

        foreach (Match cue in AboutCue.Matches(folded))
        {
            var after = cue.Index + cue.Length;
            if (kept.FirstOrDefault(m => m.Index >= after && m.Index - after <= 1) is { } named) return new(ReplyMeaning.WrongGuide, named.Device);
        }
        foreach (var aside in setAside)
        {
            var meant = kept.FirstOrDefault(k => k.Device != aside.Device && (
                k.End <= aside.NegationAt && KeptThenNegated.IsMatch(folded[k.End..aside.NegationAt])
                || k.Index >= aside.End && NegatedThenKept.IsMatch(folded[aside.End..k.Index])));
            if (meant is not null) return new(ReplyMeaning.WrongGuide, meant.Device);
        }
        if (wrongSteps.Count > 0) return new(ReplyMeaning.WrongGuide, kept.FirstOrDefault()?.Device);
        return null;
    }

    /// <summary>Where a negation just before <paramref name="at"/> starts, or -1.</summary>
    private static int NegationBefore(string folded, int at)
    {
        var m = NegatedBefore.Match(folded[..at]);
        return m.Success ? m.Index : -1;
    }
}
