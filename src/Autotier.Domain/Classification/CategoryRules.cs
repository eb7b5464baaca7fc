using System.Text.RegularExpressions;
using static Autotier.Domain.Classification.Rx;

namespace Autotier.Domain.Classification;

/// <summary>One keyword table entry: a category and the words that point to it.</summary>
internal sealed record CategoryRule(string Category, IReadOnlyList<Regex> Patterns);

/// <summary>A message whose meaning is fixed, whatever the rest of the ticket reads.</summary>
internal sealed record DecisiveRule(string Category, string Reason, Regex Pattern);

/// <summary>
/// The keyword tables of src/domain/classification.ts, on folded text (lower case, no accents) and
/// in all five languages the MSPs' requesters write in (English, German, French, Spanish, Dutch):
/// the review found "Kennwort" missing and Dutch barely known, and 1 of 4 automatable non-English
/// tickets automated against 61 of 69 English ones.
/// </summary>
/// <remarks>
/// The keywords never overrule the model (see <see cref="TicketClassifier"/>): they confirm its own
/// top label or, without a model, guess on their own. Words are whole words (\b) unless a stem is
/// meant ("licen" for licence, licensed, licensing).
/// </remarks>
internal static class CategoryRules
{
    public static readonly IReadOnlyList<CategoryRule> Keywords =
    [
        new(Categories.PasswordReset,
        [
            P(@"\bpass ?words?\b|\b(passwort\w*|kennwort\w*|contrasena|clave|mot de passe|mdp|wachtwoord\w*)\b"),
            P(@"\blocked ?out\b|\bausgesperrt\b|\bbuitengesloten\b"),
            P(@"\b(account|konto|cuenta|compte) (is )?(locked|gesperrt|bloquead[oa]|verrouill\w*|geblokkeerd|vergrendeld)"),
            P(@"\b(mfa|2fa|two[- ]factor|multi[- ]factor|zwei-?faktor\w*|doble factor|double authentification|tweestapsverificatie|twee-?factor\w*)\b"),
            P(@"\b(authenticator|authentifizierung|autenticacion|authentification|verificatie)\b"),
            P(@"\b(approve|approval)\b.*\bsign[- ]?in|sign[- ]?in (approval|notification)"),
            P(@"\b(sign[- ]?in|log ?in|anmeld\w*|iniciar sesion|me connecter|se connecter|inloggen|aanmelden)\b.*\b(fail\w*|can'?t|cannot|nicht|no puedo|impossible|lukt niet|kan niet)\b"),
            P(@"\b(reset|zurucksetzen|restablecer|reinitialiser|resetten|opnieuw instellen)\b"),
            P(@"\b(verification|text|sms)[ -]codes?\b|\bcodes? (by|per|par|por) (text|sms)\b|\b(bestatigungscode|codigo de verificacion|code de verification|verificatiecode)\b"),
            P(@"\b(forgot|vergessen|olvide|oublie|vergeten)\b"),
        ]),
        new(Categories.SoftwareAccess,
        [
            P(@"licen[cs]|licencia|licentie|lizenz"),
            P(@"\bactivat(e|ion)\b|\bactiv(e|er)\b|\baktivier\w*|\bactivar\b|\bactiveren\b"),
            P(@"\baccess (to|denied)\b|\bno access\b|\bpermission|\bpermiso|\bberechtigung|\bdroits?\b|\brechten\b"),
            P(@"\b(acces|acceso|toegang|zugriff|zugang)\b"),
            P(@"\b(dossier|carpeta|map|ordner|postfach|mailbox|buzon|boite) (partag|compart|gedeeld|freigeg)|\b(gedeelde|freigegebene\w*|gemeinsame\w*) (map|mailbox|ordner|postfach)"),
            P(@"\bneed (access|adobe|visio|project)\b|\b(brauche|necesito|j'ai besoin d|ik heb .{0,20}nodig)\b"),
            P(@"\binstall\w*|\binstalar\b|\binstaller\b|\binstalleren\b"),
            P(@"\bshared (mailbox|drive|folder|inbox|calendar)\b"),
            P(@"\bteams? channel\b|\bkanal\b|\bcanal\b|\bkanaal\b"),
            P(@"\bread only\b|\bedit rights\b|\bschreibgeschutzt\b|\bsolo lectura\b|\blecture seule\b|\balleen-?lezen\b"),
        ]),
        new(Categories.VpnRemoteAccess,
        [
            P(@"\bvpn\b"),
            P(@"\bremote (access|desktop)\b|\bescritorio remoto\b|\bacceso remoto\b|\bbureau a distance\b|\bacces a distance\b|\bextern bureaublad\b|\bremotedesktop\b|\bfernzugriff\b|\bfernwartung\b|\btoegang op afstand\b"),
            P(@"\brdp\b"),
            P(@"\bwork(ing)? (from home|remotely)\b|\bhomeoffice\b|\bvon zu hause\b|\bdesde casa\b|\bteletrabajo\b|\bteletravail\b|\bde chez moi\b|\bthuiswerk\w*|\bvanuit huis\b"),
            P(@"\b(forticlient|globalprotect|anyconnect|wireguard|sophos connect|openvpn)\b"),
        ]),
        new(Categories.PrinterPeripheral,
        [
            P(@"\bprint(er|ing|s)?\b|\bimpresora\b|\bimprim\w*|\bdrucke?r?\b|\bdrucken\b|\bprinten\b"),
            P(@"\bscan(ner|ning)?\b|\bescane\w*|\bscannen\b|\bnumeris\w*"),
            P(@"\b(monitor|screen|beeldscherm|bildschirm|pantalla|ecran|display)\b"),
            P(@"\bkeyboard\b|\bclavier\b|\btastatur\b|\bteclado\b|\btoetsenbord\b"),
            P(@"\bmouse\b|\bsouris\b|\bmaus\b|\braton\b|\bmuis\b"),
            P(@"\bheadset\b|\bcasque\b|\bauriculares\b|\bkoptelefoon\b|\bkopfhorer\b"),
            P(@"\bdock(ing station|ingstation)?\b"),
            P(@"\bwebcam\b"),
            P(@"\btoner\b|\bink\b|\bpaper jam\b|\bpapierstau\b|\batasco\b|\bbourrage\b|\bpapier (vast|zit vast)\b|\btinte\b|\btinta\b|\bcartouche\b"),
        ]),
        new(Categories.SoftwareError,
        [
            P(@"\berror\b|\berreur\b|\bfehler\w*|\bfoutmelding\b|\bfout\b"),
            P(@"\bcrash(es|ed|ing)?\b|\bplante\b|\bsturzt\b|\babsturz\w*|\bse cierra\b|\bse bloquea\b|\bcrasht\b|\bloopt vast\b"),
            P(@"\bnot responding\b|\bfrozen\b|\bfreez(es|ing)\b|\breagiert nicht\b|\bno responde\b|\bne repond (pas|plus)\b|\breageert niet\b|\beingefroren\b|\bbevroren\b|\bfige\b"),
            P(@"\b(outlook|excel|word|teams|onedrive|sharepoint)\b"),
            P(@"\bwon'?t (open|start|load)\b|\bstuck (on|loading)\b|\blasst sich nicht (offnen|starten)\b|\bno (se )?(abre|arranca|carga)\b|\bne s'ouvre pas\b|\bne (se )?(lance|demarre) pas\b|\b(opent|start) niet\b|\bgaat niet open\b"),
            P(@"\bsearch\b.*\b(not working|no results)\b|\bnot (syncing|sync)\b|\bsync error|\bsynchronis\w* (nicht|pas)\b|\bno sincroniza\b|\bsynchroniseert niet\b"),
        ]),
    ];

    /// <summary>
    /// Messages whose meaning is fixed, in five languages: a licence banner is an access request to
    /// fulfil (a seat to assign), not a software fault, and a locked account is a password case
    /// however the rest of the ticket reads. Checked after the safety checks, before the model.
    /// </summary>
    public static readonly IReadOnlyList<DecisiveRule> Decisive =
    [
        new(Categories.PasswordReset, "locked account",
            P(@"\b(account|konto|cuenta|compte) (is |has been |was |got |ist |esta |est |is )?(currently )?(locked|gesperrt|bloquead[oa]|verrouille|geblokkeerd|vergrendeld)\b|\blocked out\b|\b(unlock|entsperren|desbloquear|deverrouiller|debloquer|ontgrendelen|deblokkeren)\b(?! (the |my |this )?(folder|file|document|drive|pdf|phone|screen|sheet))")),
        new(Categories.SoftwareAccess, "licensing message",
            P(@"\b(unlicen[sc]ed|not licen[sc]ed|no (office |valid |active )?licen[sc]e|do ?n'?t have a licen[sc]e|licen[sc]e (has )?expired|trial (has |period )?(expired|ended|is over)|trial has ended|product activation|activation failed|sign in to activate|activate (office|windows|word|excel)|verify your subscription|reduced functionality|ask your (it )?(admin|administrator) to (enable|turn on|assign)|(admin|administrator|organi[sz]ation) has (disabled|not granted|not enabled|blocked)|nicht lizenziert\w*|ohne lizenz|lizenz (ist )?abgelaufen|testversion (ist )?abgelaufen|bitten sie ihren administrator|sin licencia|la prueba ha caducado|pide a tu administrador|sans licence|l'essai a expire|demandez a votre administrateur|zonder licentie|licentie (is )?verlopen|proefperiode (is )?verlopen|vraag (je|uw) beheerder|(produit|produkt|producto|product) (n'est pas|ist nicht|no esta|is niet) (active|aktiviert|activado|geactiveerd))\b")),
    ];

    private static readonly Regex Urgent = P(@"\b(urgent\w*|asap|immediately|critical|emergency|right now|can'?t (work|do anything)|cannot (work|do anything)|unable to work|dringend|sofort|urgente|inmediatamente|tout de suite|spoed\w*|meteen|kann nicht arbeiten|no puedo trabajar|je ne peux (pas|plus) travailler|kan niet werken)\b");
    private static readonly Regex TeamImpact = P(@"\b(whole (team|department|floor)|the team (can'?t|cannot|is unable)|our team (can'?t|cannot)|several (people|users|of us|colleagues)|multiple users|a few of us|all of (the )?(team|department)|everyone in (my|the|our) (team|department)|das ganze team|mehrere (kollegen|benutzer|mitarbeiter)|todo el equipo|varios (companeros|usuarios)|toute l'equipe|plusieurs (collegues|utilisateurs)|het hele team|meerdere (collega's|collegas|gebruikers))\b");
    private static readonly Regex NotUrgent = P(@"\b(no rush|no hurry|not urgent|low priority|whenever you|when you (get|have) a (chance|moment)|keine eile|nicht dringend|sin prisa|no es urgente|pas urgent|rien d'urgent|geen haast|niet dringend|geen spoed)\b");

    /// <summary>Priority from the words of the ticket (folded), with the reasons it was chosen.</summary>
    public static string PriorityOf(string folded, List<string> reasons)
    {
        var urgent = Quote(Urgent, folded);
        var team = Quote(TeamImpact, folded);
        if (urgent is not null) reasons.Add($"urgency words (\"{urgent}\")");
        if (team is not null) reasons.Add($"affects more than one person (\"{team}\")");
        if (urgent is not null && team is not null) return Priorities.P1;
        if (urgent is not null || team is not null) return Priorities.P2;
        if (Quote(NotUrgent, folded) is { } rush)
        {
            reasons.Add($"no rush (\"{rush}\")");
            return Priorities.P4;
        }
        return Priorities.P3;
    }

    /// <summary>How many of a category's keyword patterns match (0 for engineering, which has none).</summary>
    public static int Hits(string category, string folded) =>
        Keywords.FirstOrDefault(r => r.Category == category)?.Patterns.Count(p => p.IsMatch(folded)) ?? 0;

    /// <summary>The words of a category's patterns that match, for a reason line.</summary>
    public static IReadOnlyList<string> Words(string category, string folded) =>
        Keywords.FirstOrDefault(r => r.Category == category)?.Patterns
            .Select(p => Quote(p, folded)).OfType<string>().Distinct().Take(4).ToList() ?? [];
}
