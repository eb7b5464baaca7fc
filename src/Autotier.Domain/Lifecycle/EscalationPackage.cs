using System.Text;
using Autotier.Domain.Assistant;
using Autotier.Domain.Classification;
using Autotier.Domain.Tickets;

namespace Autotier.Domain.Lifecycle;

/// <summary>The requester's answer to "Did this resolve your issue?" when the ticket went to a person.</summary>
public static class RequesterAnswers
{
    public const string Yes = "yes";
    public const string No = "no";
    public const string Unclear = "unclear";
    public const string Silence = "silence";
    public const string None = "none";
}

public sealed record PackagedTicket(string Subject, string Body, string Requester, string Channel, DateTimeOffset CreatedAt);

public sealed record PackagedAutomation(string? Attempted, string RequesterAnswer);

/// <summary>The client's system profile as the engineer gets it (TypeScript <c>systemProfile: { client, ...client.systemProfile }</c>).</summary>
public sealed record PackagedSystemProfile(
    string Client,
    IReadOnlyList<string> Devices,
    IReadOnlyList<string> Software,
    string? VpnProduct,
    IReadOnlyDictionary<string, string>? Printers,
    IReadOnlyList<string> RecentChanges);

/// <summary>
/// Everything an engineer needs to pick a ticket up without asking the requester again (TypeScript
/// escalation.ts, same field names). Bounded: it is stored with the ticket and sent to the PSA, and
/// a ticket body of 8,000 control characters once overflowed a Table Storage property on every
/// retry, so a P1 never reached an engineer. Every free text is cut and stripped of control
/// characters (each costs six characters as a JSON escape), and only the first and the newest
/// messages of the conversation are carried; the whole conversation stays on the ticket.
/// </summary>
public sealed record EscalationPackage(
    string TicketId,
    string ClientId,
    string ClientName,
    int Tier,
    string Reason,
    string Priority,
    IReadOnlyList<string> PriorityReasons,
    string Category,
    double Confidence,
    PackagedTicket Ticket,
    IReadOnlyList<ConversationEntry> Conversation,
    PackagedAutomation Automation,
    IReadOnlyList<string> SuggestedSteps,
    DateTimeOffset? ResponseDue,
    DateTimeOffset? ResolutionDue,
    DateTimeOffset CreatedAt)
{
    public const int MaxMessages = 20;

    /// <summary>Past tickets offered to the engineer (TypeScript SIMILAR_LIMIT).</summary>
    public const int MaxSimilar = 3;

    public const int MaxMessageChars = 4000;
    public const int MaxBodyChars = 8000;
    public const int MaxLineChars = 500;

    /// <summary>The assistant's briefing, when one is configured and answered: plain, bounded, labelled machine-written.</summary>
    public Briefing? Briefing { get; init; }

    /// <summary>Why a configured assistant's briefing is not shown (the ticket addresses a model, say), so the engineer reads with care.</summary>
    public string? BriefingWithheld { get; init; }

    /// <summary>The client's solved tickets most like this one, with how they were solved.</summary>
    public IReadOnlyList<SimilarTicket> SimilarTickets { get; init; } = [];

    /// <summary>The client's devices, software, VPN, printers and recent changes, so the engineer need not look them up (or ask).</summary>
    public PackagedSystemProfile? SystemProfile { get; init; }

    /// <summary>Most items of each system-profile list carried: a profile is the MSP's own data, but the package must fit its row.</summary>
    public const int MaxProfileItems = 30;

    /// <summary>The same package with the client's system profile, bounded like the rest of it.</summary>
    public EscalationPackage WithSystemProfile(Clients.SystemProfile? profile)
    {
        if (profile is null) return this;
        static IReadOnlyList<string> Bounded(IReadOnlyList<string>? items) => [.. (items ?? []).Take(MaxProfileItems).Select(i => Cut(i, MaxLineChars))];
        return this with
        {
            SystemProfile = new PackagedSystemProfile(
                ClientName,
                Bounded(profile.Devices),
                Bounded(profile.Software),
                profile.VpnProduct is null ? null : Cut(profile.VpnProduct, MaxLineChars),
                profile.Printers is null ? null : profile.Printers.Take(MaxProfileItems).ToDictionary(p => Cut(p.Key, MaxLineChars), p => Cut(p.Value, MaxLineChars), StringComparer.Ordinal),
                Bounded(profile.RecentChanges)),
        };
    }

    /// <summary>The same package with the similar tickets, each bounded like the rest of it.</summary>
    public EscalationPackage WithSimilar(IEnumerable<SimilarTicket> similar)
    {
        ArgumentNullException.ThrowIfNull(similar);
        return this with
        {
            SimilarTickets = [.. similar.Take(MaxSimilar).Select(s => s with { Subject = Cut(s.Subject, MaxLineChars), Resolution = Cut(s.Resolution, MaxLineChars * 2) })],
        };
    }

    public static EscalationPackage Build(
        Ticket ticket, string clientName, int tier, string reason, string requesterAnswer, SlaView? sla, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var c = ticket.Classification;
        var category = c?.Category ?? Categories.Engineering;
        var conversation = ticket.Conversation ?? [];
        var kept = conversation.Count > MaxMessages ? [conversation[0], .. conversation.TakeLast(MaxMessages - 1)] : conversation;
        return new EscalationPackage(
            ticket.TicketId,
            ticket.ClientId,
            Cut(clientName, MaxLineChars),
            tier,
            Cut(reason, MaxMessageChars),
            c?.Priority ?? "P3",
            [.. (c?.Reasons ?? []).Take(12).Select(r => Cut(r, MaxLineChars))],
            category,
            c?.Confidence ?? 0,
            new PackagedTicket(
                Cut(ticket.Subject, MaxLineChars),
                Cut(ticket.Body, MaxBodyChars),
                Cut(ticket.Requester.Name is { Length: > 0 } name ? $"{name} <{ticket.Requester.Email}>" : ticket.Requester.Email, MaxLineChars),
                ticket.Channel.ToString().ToLowerInvariant(),
                ticket.CreatedAt),
            [.. kept.Select(m => m with { From = Cut(m.From, MaxLineChars), Text = Cut(m.Text, MaxMessageChars) })],
            new PackagedAutomation(ticket.Attempted is null ? null : Cut(ticket.Attempted, MaxLineChars), requesterAnswer),
            SuggestedStepsFor(category),
            sla?.ResponseDue,
            sla?.ResolutionDue,
            at);
    }

    /// <summary>
    /// Text as it may be stored: control characters (but line breaks and tabs) become spaces, and
    /// anything beyond <paramref name="max"/> is cut with a note that the whole text is kept.
    /// </summary>
    public static string Cut(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        var clean = new StringBuilder(Math.Min(text.Length, max + 64));
        foreach (var ch in text)
        {
            if (clean.Length >= max) break;
            clean.Append(char.IsControl(ch) && ch is not '\n' and not '\t' ? ' ' : ch);
        }
        var result = clean.ToString();
        // Never end on half a surrogate pair: a lone high surrogate is not valid text for storage.
        if (result.Length > 0 && char.IsHighSurrogate(result[^1])) result = result[..^1];
        return text.Length > max ? result + "… (cut; the full message is kept with the ticket)" : result;
    }

    /// <summary>First steps for the engineer, by category (TypeScript guides.ts suggestedSteps, same words).</summary>
    public static IReadOnlyList<string> SuggestedStepsFor(string category) => category switch
    {
        Categories.PasswordReset =>
        [
            "Check the account in Entra ID: locked, disabled, or risky sign-ins?",
            "Confirm identity through a known contact method before any reset.",
            "Check the user is registered for self-service password reset and MFA.",
        ],
        Categories.SoftwareAccess =>
        [
            "Check licence availability for the product.",
            "Check group membership that grants the access.",
            "Confirm the manager approved the request if the product has a cost.",
        ],
        Categories.VpnRemoteAccess =>
        [
            "Check the VPN gateway status and recent changes.",
            "Look at the user\u2019s last VPN sign-in attempts.",
            "Confirm the client version on the device.",
        ],
        Categories.PrinterPeripheral =>
        [
            "Check the printer\u2019s status page and queue.",
            "Check the print server and driver version.",
            "Confirm the device can reach the printer\u2019s IP address.",
        ],
        Categories.SoftwareError =>
        [
            "Collect the exact error and the app version.",
            "Check for a known issue after recent updates.",
            "Try a repair install on the device.",
        ],
        _ =>
        [
            "Read the full conversation and the system profile below.",
            "Assess scope: one user, a team, or the whole site.",
            "If security is involved, follow the incident response runbook first.",
        ],
    };
}
