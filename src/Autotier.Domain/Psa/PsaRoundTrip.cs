using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Text;

namespace Autotier.Domain.Psa;

/// <summary>
/// The PSA as the system of record both ways (TypeScript psaRoundTrip.ts and psa.ts): what autotier
/// opens there for tickets that came by mail, the portal or the API, the notes it writes, and what
/// engineers do there that reaches the ticket's workflow. Pure: the adapters fetch, this decides.
/// </summary>
public static partial class PsaRoundTrip
{
    /// <summary>The longest note autotier writes (Autotask's note description holds 32,000 characters).</summary>
    public const int MaxNoteChars = 30_000;

    /// <summary>What one event may carry from the PSA (the events API's own limit).</summary>
    public const int MaxEventChars = TicketEventRequest.MaxNoteChars;

    [GeneratedRegex(@"\(autotier (T-\d{1,12})\)", RegexOptions.CultureInvariant)]
    private static partial Regex ReferenceTag { get; }

    [GeneratedRegex(@"\[autotier T-\d{1,12} ", RegexOptions.CultureInvariant)]
    private static partial Regex Marker { get; }

    [GeneratedRegex(@"\[(\s*autotier)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ForgedMarker { get; }

    [GeneratedRegex(@"\]\s*\(", RegexOptions.CultureInvariant)]
    private static partial Regex MarkdownLinkTarget { get; }

    /// <summary>The tag autotier puts in the summary of every PSA ticket it opens: how a retry finds it again.</summary>
    public static string Reference(string ticketId) => $"(autotier {ticketId})";

    /// <summary>The autotier ticket a PSA summary names with its reference tag, if any.</summary>
    public static string? TicketIdInSummary(string? summary) =>
        summary is not null && ReferenceTag.Match(summary) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>Summary limits: ConnectWise 100 characters, Autotask 255, Halo 250; the tag always fits whole.</summary>
    public static string Summary(string vendor, string subject, string ticketId)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var max = vendor switch { PsaVendors.ConnectWise => 100, PsaVendors.Autotask => 255, _ => 250 };
        var tag = " " + Reference(ticketId);
        var room = max - tag.Length;
        var text = Neutral(TextRules.SingleLine(subject));
        if (text.Length > room)
        {
            text = text[..(room - 1)];
            if (char.IsHighSurrogate(text[^1])) text = text[..^1];
            text += "…";
        }
        return text + tag;
    }

    /// <summary>
    /// The PSA company of a client: <c>companies</c> read backwards. A numeric id is preferred
    /// (Autotask and Halo need one; ConnectWise also takes its company identifier).
    /// </summary>
    public static string? CompanyForClient(string vendor, PsaMapping mapping, string clientId)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        var keys = mapping.Companies.Where(c => c.Value == clientId).Select(c => c.Key).Order(StringComparer.Ordinal).ToList();
        return keys.FirstOrDefault(k => k.Length > 0 && k.All(char.IsAsciiDigit)) ?? (vendor == PsaVendors.ConnectWise ? keys.FirstOrDefault() : null);
    }

    /// <summary>The client a PSA company belongs to; companies are matched by id, identifier or name.</summary>
    public static string? ClientForCompany(PsaMapping mapping, IEnumerable<string> keys)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        foreach (var key in keys ?? [])
        {
            if (mapping.Companies.TryGetValue(key, out var client) || mapping.Companies.TryGetValue(key.ToLowerInvariant(), out client)) return client;
        }
        return null;
    }

    /// <summary>The line every autotier note ends with: how a retried write-back sees it already happened.</summary>
    public static string NoteMarker(string ticketId, string step) => $"[autotier {ticketId} {step}]";

    /// <summary>
    /// Text as autotier writes it into a PSA: plain words that no PSA renders as anything else.
    /// PSAs show notes as HTML (Halo) or autolinked text, and ticket text is anyone's: angle brackets
    /// become look-alike quotes, a Markdown link's target is broken apart, and a forged
    /// <c>[autotier T-… step]</c> marker loses its bracket (it could make a retried write-back think
    /// its note was already written). Control characters go (line breaks and tabs stay); bounded.
    /// </summary>
    public static string PlainNote(string text, int max = MaxNoteChars)
    {
        ArgumentNullException.ThrowIfNull(text);
        return EscalationPackage.Cut(Neutral(text), max);
    }

    private static string Neutral(string text)
    {
        var s = text.Replace('<', '‹').Replace('>', '›');
        s = ForgedMarker.Replace(s, "($1");
        return MarkdownLinkTarget.Replace(s, "] (");
    }

    /// <summary>A note with its marker: the text made plain and bounded, then the marker on a line of its own.</summary>
    public static string MarkedNote(string text, string ticketId, string step) =>
        PlainNote(text, MaxNoteChars - 200) + "\n\n" + NoteMarker(ticketId, step);

    /// <summary>The escalation package as an internal note an engineer reads top to bottom.</summary>
    public static string EscalationNote(EscalationPackage package)
    {
        ArgumentNullException.ThrowIfNull(package);
        var c = CultureInfo.InvariantCulture;
        // The assistant's briefing heads the note, quoted and labelled machine-written (or why there is none).
        var lines = package.Briefing is { } briefing ? [.. briefing.NoteLines()]
            : package.BriefingWithheld is { } withheld ? [withheld, "---"]
            : new List<string>();
        lines.AddRange(
        [
            $"autotier escalated {package.TicketId} to tier {package.Tier}: {package.Reason}",
            string.Create(c, $"Priority {package.Priority} ({string.Join("; ", package.PriorityReasons)}). Category {package.Category}, confidence {Math.Round(package.Confidence * 100)}%."),
            $"Client: {package.ClientName}. Requester: {package.Ticket.Requester}. Response due: {Iso(package.ResponseDue)}. Resolution due: {Iso(package.ResolutionDue)}.",
            "",
            $"Subject: {package.Ticket.Subject}",
            package.Ticket.Body,
            "",
            $"Automation tried: {package.Automation.Attempted ?? "nothing"}; requester answered: {package.Automation.RequesterAnswer}.",
            "",
            "Conversation:",
        ]);
        lines.AddRange(package.Conversation.Count == 0
            ? ["- none"]
            : package.Conversation.Select(m => $"- {Iso(m.At)} {m.From}: {OneLine(m.Text, 500)}"));
        if (package.SystemProfile is { } profile)
        {
            lines.Add("");
            var estate = profile.Devices.Concat(profile.Software).ToList();
            lines.Add($"System profile ({profile.Client}): {(estate.Count == 0 ? "none on file" : string.Join(", ", estate))}");
            if (profile.VpnProduct is { } vpn) lines.Add($"VPN: {vpn}");
            if (profile.Printers is { Count: > 0 } printers) lines.Add($"Printers: {string.Join("; ", printers.Select(p => $"{p.Key}: {p.Value}"))}");
            if (profile.RecentChanges.Count > 0) lines.Add($"Recent changes: {string.Join("; ", profile.RecentChanges)}");
        }
        lines.Add("");
        lines.Add("Suggested steps:");
        lines.AddRange(package.SuggestedSteps.Select((s, i) => $"{i + 1}. {s}"));
        if (package.SimilarTickets.Count > 0)
        {
            lines.Add("");
            lines.Add("Similar solved tickets of this client:");
            lines.AddRange(package.SimilarTickets.Select(t => string.Create(c, $"- {t.TicketId} ({Math.Round(t.Score * 100)}% alike): {OneLine(t.Subject, 200)}. Solved: {OneLine(t.Resolution, 300)}")));
        }
        return string.Join("\n", lines);
    }

    private static string OneLine(string text, int max)
    {
        var line = TextRules.SingleLine(text);
        return line.Length > max ? line[..max] + "…" : line;
    }

    private static string Iso(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "n/a";

    /// <summary>Default "complete"/"closed" status ids when the mapping names none: Autotask 5 Complete, Halo 9 Closed.</summary>
    private static string? DefaultDone(string vendor) => vendor switch { PsaVendors.Autotask => "5", PsaVendors.HaloPsa => "9", _ => null };

    public enum StatusMeaning
    {
        Open,
        Waiting,
        Resolved,
    }

    public static StatusMeaning MeaningOf(string vendor, PsaMapping mapping, PsaTicketState state)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        ArgumentNullException.ThrowIfNull(state);
        var resolved = mapping.Status(PsaStatus.Resolved);
        var closed = mapping.Status(PsaStatus.Closed);
        string?[] done = resolved is not null || closed is not null ? [resolved, closed] : [DefaultDone(vendor)];
        if (state.Closed || (state.Status is not null && done.Contains(state.Status))) return StatusMeaning.Resolved;
        if (state.Status is not null && state.Status == mapping.Status(PsaStatus.WaitingOnRequester)) return StatusMeaning.Waiting;
        return StatusMeaning.Open;
    }

    /// <summary>An activity an engineer wrote, with the key that reports it once.</summary>
    public sealed record Candidate(PsaActivity Activity, string Key);

    /// <summary>
    /// The notes and time entries an engineer wrote: not autotier's (its marker, its member ids), not
    /// the contact's or the system's, not empty; each with its once-only key.
    /// </summary>
    public static IReadOnlyList<Candidate> Candidates(string vendor, PsaMapping mapping, string psaTicketId, PsaTicketState state)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        ArgumentNullException.ThrowIfNull(state);
        return [.. state.Activity
            .Where(a => a.ByEngineer && !string.IsNullOrWhiteSpace(a.Text))
            .Where(a => a.AuthorId is null || !mapping.SelfIds.Contains(a.AuthorId))
            .Where(a => !Marker.IsMatch(a.Text))
            .Select(a => new Candidate(a, $"psa.{vendor}.{psaTicketId}.{(a.Kind == PsaActivityKind.Time ? "time" : "note")}.{a.Id}"))];
    }

    /// <summary>An event for a workflow with the keys of the notes and time entries it reports (none for status events).</summary>
    public sealed record WorkflowEvent(IReadOnlyList<string> Keys, TicketEvent Event);

    /// <summary>
    /// What an engineer did in the PSA, as workflow events: a close or resolution becomes
    /// <c>resolved</c> (their internal notes and Autotask's resolution as its note, their
    /// customer-facing ones as its public note); a customer-facing note a public <c>update</c>; an
    /// internal note or time entry a <c>plan</c> (it stops the tier timer, its text stays internal);
    /// a "waiting on the requester" status pauses the SLA and any other open status resumes it.
    /// </summary>
    /// <param name="fresh">Candidates not reported before (see <see cref="Candidates"/>).</param>
    /// <param name="actor">Who the delivery names as the actor, when no note says.</param>
    public static IReadOnlyList<WorkflowEvent> Events(string vendor, PsaMapping mapping, PsaTicketState state, IReadOnlyList<Candidate> fresh, string? actor)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(fresh);
        var label = PsaVendors.Label(vendor);
        string By(PsaActivity? a)
        {
            var who = TextRules.SingleLine(a?.AuthorName ?? a?.AuthorId ?? actor ?? "");
            return who.Length == 0 ? $"an engineer in {label}" : who.Length > TicketEventRequest.MaxByChars ? who[..TicketEventRequest.MaxByChars] : who;
        }
        var meaning = MeaningOf(vendor, mapping, state);
        if (meaning == StatusMeaning.Resolved)
        {
            var internalTexts = fresh.Where(f => !f.Activity.Public).Select(f => f.Activity.Text.Trim()).ToList();
            if (!string.IsNullOrWhiteSpace(state.Resolution)) internalTexts.Add(state.Resolution.Trim());
            var publicTexts = fresh.Where(f => f.Activity.Public).Select(f => f.Activity.Text.Trim()).ToList();
            var note = internalTexts.Count > 0 ? string.Join("\n\n", internalTexts)
                : publicTexts.Count > 0 ? string.Join("\n\n", publicTexts)
                : $"Closed in {label}";
            var resolved = new TicketEvent(TicketEvent.Resolved)
            {
                By = By(fresh.Count > 0 ? fresh[^1].Activity : null),
                Note = Bound(note),
                PublicNote = publicTexts.Count > 0 ? Bound(string.Join("\n\n", publicTexts)) : null,
                Source = "psa",
            };
            return [new WorkflowEvent([.. fresh.Select(f => f.Key)], resolved)];
        }
        var events = fresh.Select(f => new WorkflowEvent([f.Key], f.Activity.Public
            ? new TicketEvent(TicketEvent.Update) { By = By(f.Activity), Text = Bound(f.Activity.Text.Trim()), Source = "psa" }
            : new TicketEvent(TicketEvent.Plan)
            {
                By = By(f.Activity),
                Note = Bound($"{(f.Activity.Kind == PsaActivityKind.Time ? "Time entry" : "Internal note")} in {label}: {f.Activity.Text.Trim()}"),
                Source = "psa",
            })).ToList();
        events.Add(new WorkflowEvent([], new TicketEvent(TicketEvent.Waiting) { IsWaiting = meaning == StatusMeaning.Waiting, By = By(null), Source = "psa" }));
        return events;
    }

    private static string Bound(string text)
    {
        if (text.Length <= MaxEventChars) return text;
        var cut = text[..MaxEventChars];
        return char.IsHighSurrogate(cut[^1]) ? cut[..^1] : cut;
    }

    /// <summary>The description of a PSA ticket autotier opens: the ticket's text, the requester, autotier's reference.</summary>
    public static string Description(string body, string? requesterName, string requesterEmail, string channel, string ticketId)
    {
        var who = requesterName is { Length: > 0 } name ? $"{TextRules.SingleLine(name)} ({requesterEmail})" : requesterEmail;
        var text = new StringBuilder()
            .Append(body).Append("\n\n")
            .Append("Requester: ").Append(who).Append(".\n")
            .Append("Filed by ").Append(channel == "email" ? "mail" : channel).Append(" with autotier as ").Append(ticketId).Append("; autotier keeps this ticket up to date.")
            .ToString();
        return PlainNote(text, 8000);
    }
}
