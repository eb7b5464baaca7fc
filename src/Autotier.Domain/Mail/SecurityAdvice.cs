using System.Text.RegularExpressions;
using Autotier.Domain.Classification;
using Autotier.Domain.Clients;
using Autotier.Domain.Text;
using Autotier.Domain.Tickets;

namespace Autotier.Domain.Mail;

/// <summary>The kinds of security ticket that need different first advice.</summary>
public enum SecurityKind
{
    /// <summary>Files encrypted, a ransom note.</summary>
    Ransomware,

    /// <summary>A password given to a phishing page, MFA prompts not asked for, sign-ins that were not the user.</summary>
    Credentials,

    /// <summary>Bank details "changed", gift cards, an urgent or secret payment.</summary>
    PaymentFraud,

    /// <summary>Any other security report: a suspicious mail not acted on, malware found, a caller let in.</summary>
    Other,
}

/// <summary>What a security ticket's mails must carry: the kind's advice, and the MSP's emergency number when it has one.</summary>
public sealed record SecurityNotice(SecurityKind Kind, string? EmergencyPhone = null);

/// <summary>
/// Issue #32, fix 1: ransomware, a phished password and "the supplier changed bank details, may I
/// pay?" got "it's now in our queue" and no advice. The first mails of a security ticket now say
/// what to do in the next minutes, per kind, in plain words.
/// </summary>
public static class SecurityAdvice
{
    // The safety screen's rule names (SafetyScreen's Critical(...) and reported-phishing rules), as the
    // classifier writes them into the reasons: "danger: ransomware (\"encrypted\")".
    private static readonly Dictionary<string, SecurityKind> Rules = new(StringComparer.Ordinal)
    {
        ["ransomware"] = SecurityKind.Ransomware,
        ["phishing"] = SecurityKind.Credentials,
        ["account takeover"] = SecurityKind.Credentials,
        ["MFA fatigue"] = SecurityKind.Credentials,
        ["payment fraud"] = SecurityKind.PaymentFraud,
        ["remote-access scam"] = SecurityKind.Other,
        ["reported phishing or malware"] = SecurityKind.Other,
        ["reported phishing"] = SecurityKind.Other,
    };

    // For a ticket only the learned danger check flagged (no rule names the kind): the words that
    // tell the kinds apart, on folded text. Outages and servers the check also flags are not security.
    private static readonly Regex RansomWords = new(@"\b(ransom\w*|losegeld|rescate|rancon|losgeld|encrypt\w*|verschlusselt|cifrad\w*|chiffre\w*|versleuteld|bitcoin)\b", RegexOptions.CultureInvariant, Rx.Timeout);
    private static readonly Regex PaymentWords = new(@"\b(bank|iban|payment|pay|paid|invoice|transfer|wire|gift ?cards?|vouchers?|zahlung|uberweis\w*|rechnung|pago|factura|transferencia|paiement|virement|facture|betaling|factuur|overboeking)\b", RegexOptions.CultureInvariant, Rx.Timeout);
    private static readonly Regex CredentialWords = new(@"\b(password|passwort|kennwort|contrasena|mot de passe|wachtwoord|mfa|2fa|authenticator|sign-?ins?|log-?ins?|phish\w*|credentials|anmeld\w*|inicio de sesion|connexion|aanmeld\w*|inlog\w*)\b", RegexOptions.CultureInvariant, Rx.Timeout);
    private static readonly Regex OtherWords = new(@"\b(virus\w*|malware|hack\w*|scam\w*|fraud\w*|suspicious|compromis\w*|spoof\w*|trojan\w*|betrug\w*|sospechos\w*|suspect\w*|verdacht\w*)\b", RegexOptions.CultureInvariant, Rx.Timeout);

    /// <summary>
    /// What a ticket's acknowledgement and escalation mail must carry: its kind's advice and the MSP's
    /// emergency number; null for a ticket that is not about security. Every security ticket gets it,
    /// P1 or not: advice on what not to click costs nothing when it was not needed.
    /// </summary>
    public static SecurityNotice? NoticeFor(Ticket ticket, ClientProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return KindOf(ticket) is { } kind ? new SecurityNotice(kind, profile.EmergencyPhone) : null;
    }

    /// <summary>The ticket's security kind, from its classification and its text; null for a ticket that is not about security.</summary>
    public static SecurityKind? KindOf(Ticket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return ticket.Classification is { } c ? KindOf(c, ticket.Subject, ticket.Body) : KindOf(ticket.Subject, ticket.Body);
    }

    /// <summary>
    /// The security kind of a classified ticket, or null when it is not about security. The safety
    /// screen's rule in the reasons decides; else the screen is run on the text (a classification an
    /// LLM or an engineer gave has no rule in its reasons); else, for a ticket the learned danger check
    /// flagged, the words in it.
    /// </summary>
    public static SecurityKind? KindOf(TicketClassification c, string subject, string body)
    {
        ArgumentNullException.ThrowIfNull(c);
        foreach (var reason in c.Reasons)
        {
            if (RuleOf(reason) is { } rule && Rules.TryGetValue(rule, out var kind)) return kind;
        }
        if (KindOf(subject, body) is { } screened) return screened;
        if (!c.Dangerous) return null;
        var folded = TextRules.FoldText(TicketClassifier.CleanText(subject, body));
        if (RansomWords.IsMatch(folded)) return SecurityKind.Ransomware;
        if (PaymentWords.IsMatch(folded)) return SecurityKind.PaymentFraud;
        if (CredentialWords.IsMatch(folded)) return SecurityKind.Credentials;
        return OtherWords.IsMatch(folded) ? SecurityKind.Other : null;
    }

    /// <summary>What the safety screen makes of the text, as a security kind.</summary>
    private static SecurityKind? KindOf(string subject, string body)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return SafetyScreen.Screen(TicketClassifier.CleanText(subject, body)) is { Reason: DangerReasons.SecurityIncident } danger
                && Rules.TryGetValue(danger.Rule, out var kind)
                ? kind
                : null;
        }
        catch (RegexMatchTimeoutException)
        {
            // Crafted text: the classifier escalated it as unscreenable; the reasons (read first) are all we know.
            return null;
        }
    }

    /// <summary>"danger: account takeover (\"wasn't me\")" → "account takeover".</summary>
    private static string? RuleOf(string reason)
    {
        const string prefix = "danger: ";
        if (!reason.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var rule = reason[prefix.Length..];
        var words = rule.IndexOf(" (\"", StringComparison.Ordinal);
        return words >= 0 ? rule[..words] : rule;
    }

    /// <summary>The advice paragraphs for a kind, then the emergency number when there is one. Plain words, no jargon.</summary>
    public static IReadOnlyList<string> Paragraphs(SecurityNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var paragraphs = new List<string>(Advice(notice.Kind));
        if (!string.IsNullOrWhiteSpace(notice.EmergencyPhone))
            paragraphs.Add($"If anything gets worse, or you are worried, call us straight away on {TextRules.SingleLine(notice.EmergencyPhone)}. Please mention your reference number.");
        return paragraphs;
    }

    private static string[] Advice(SecurityKind kind) => kind switch
    {
        SecurityKind.Ransomware =>
        [
            "Please do this now: unplug the network cable from the computer and turn off its Wi-Fi, but leave the computer switched on. Turning it off can destroy what we need to get your files back.",
            "Don't open, move or delete any files, and don't reply to or pay any message asking for money. If colleagues see the same thing, ask them to do the same.",
        ],
        SecurityKind.Credentials =>
        [
            "Please do this now: don't approve any sign-in request or share any code you didn't ask for, even if your phone keeps asking.",
            "We are locking the account to keep it safe, so you may be signed out for a while. That is us, and we'll help you back in. Don't type your password into any page a link in an email opened.",
        ],
        SecurityKind.PaymentFraud =>
        [
            "Please don't make the payment, and don't change any bank details, until we've checked.",
            "To check the request is real, call the supplier or the person who asked on a phone number you already know, not one from the email or the invoice. Don't reply to the email.",
        ],
        _ =>
        [
            "Until we've looked at it, please don't click links or open attachments in the message, don't reply to it, and don't approve any sign-in request you didn't start.",
            "If someone you don't know has control of your computer, unplug its network cable and leave it switched on.",
        ],
    };
}
