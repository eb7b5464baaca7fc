using System.Globalization;
using System.Text.Json.Nodes;
using Autotier.Domain.Mail;
using Autotier.Domain.Text;
using NodaTime;
using NodaTime.Text;

namespace Autotier.Domain.Alerts;

/// <summary>
/// What an alert looks like on a Teams Workflows webhook (an Adaptive Card) and in a mail. Both lead
/// to the ticket's ops page (the JSON API needs a function key an engineer does not have), and show
/// the client, the subject, the requester, the priority, two lines of summary and the due time in
/// the client's time zone.
/// </summary>
public static class AlertMessages
{
    // Teams refuses messages over 28 KB; the message is the only long field.
    private const int MaxMessageChars = 2000;

    private static readonly ZonedDateTimePattern DuePattern =
        ZonedDateTimePattern.CreateWithInvariantCulture("ddd d MMM HH:mm", null);

    /// <summary>The ticket's ops page (TypeScript route <c>GET /api/ops/tickets/{ticketId}</c>).</summary>
    public static string OpsPageUrl(string publicBaseUrl, string ticketId)
    {
        ArgumentNullException.ThrowIfNull(publicBaseUrl);
        return $"{publicBaseUrl.TrimEnd('/')}/api/ops/tickets/{Uri.EscapeDataString(ticketId)}";
    }

    /// <summary>The ops list, where a digest's reader goes to see every open ticket.</summary>
    public static string OpsListUrl(string publicBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(publicBaseUrl);
        return $"{publicBaseUrl.TrimEnd('/')}/api/ops";
    }

    /// <summary>
    /// "Mon 7 Dec 09:15 (Europe/London)": the due time as the client's people read it. An unknown or
    /// missing zone shows UTC, named, rather than a local time nobody can place.
    /// </summary>
    public static string DueText(DateTimeOffset dueAt, string? timeZone)
    {
        var zone = timeZone is { Length: > 0 } ? DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZone) : null;
        zone ??= DateTimeZone.Utc;
        var local = Instant.FromDateTimeOffset(dueAt).InZone(zone);
        return $"{DuePattern.Format(local)} ({(zone == DateTimeZone.Utc ? "UTC" : zone.Id)})";
    }

    /// <summary>The first two non-blank lines of a summary, each one line and bounded.</summary>
    public static IReadOnlyList<string> TwoLines(string? summary) =>
        summary is null
            ? []
            : [.. summary.Split('\n').Select(TextRules.SingleLine).Where(l => l.Length > 0).Take(2).Select(l => Bound(l, 200))];

    /// <summary>
    /// The message a Teams Workflows webhook takes: a <c>message</c> activity with one Adaptive Card
    /// attachment, <c>contentUrl</c> null (Microsoft Learn, "Create and send messages"; 28 KB limit;
    /// Action.OpenUrl supported).
    /// </summary>
    public static JsonObject Card(AlertFacts alert, Audience audience, string publicBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var body = new JsonArray
        {
            Headline(Bound(HeadlineText(alert), 200), AlertKinds.IsUrgent(alert.Kind)),
            TextBlock(Markdown(Bound(MessageText(alert), MaxMessageChars))),
        };
        foreach (var line in TwoLines(alert.Summary)) body.Add(TextBlock(Markdown(line), subtle: true));
        body.Add(new JsonObject { ["type"] = "FactSet", ["facts"] = FactArray(Facts(alert, audience)) });
        var actions = alert.IsAboutTicket
            ? new JsonArray { OpenUrl($"Open {alert.TicketId}", OpsPageUrl(publicBaseUrl, alert.TicketId)) }
            : null;
        return Envelope(body, actions);
    }

    /// <summary>
    /// The same alert as a mail to the audience's address. Its subject carries no <c>[#T-...]</c>
    /// token, so an engineer's reply to it is never threaded onto the requester's ticket.
    /// </summary>
    public static MailMessage Mail(AlertFacts alert, Audience audience, string publicBaseUrl, string to)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var paragraphs = new List<string> { Bound(MessageText(alert), MaxMessageChars) };
        var summary = TwoLines(alert.Summary);
        if (summary.Count > 0) paragraphs.Add(string.Join('\n', summary));
        paragraphs.Add(string.Join('\n', Facts(alert, audience).Select(f => $"{f.Title}: {f.Value}")));
        if (alert.IsAboutTicket) paragraphs.Add($"Open the ticket: {OpsPageUrl(publicBaseUrl, alert.TicketId)}");
        paragraphs.Add($"autotier sent this to {audience.Label()} ({AlertRouting.Setting}).");
        var subject = TextRules.SingleLine($"autotier {audience.Label()}: {HeadlineText(alert)} ({alert.ClientName ?? alert.ClientId})");
        return new MailMessage(to, subject, string.Join("\n\n", paragraphs), Messages.ToHtml(paragraphs));
    }

    /// <summary>One card for many alerts: a line each (the newest last), then how many more there were.</summary>
    public static JsonObject DigestCard(AlertDigestBatch digest, Audience audience, string publicBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var body = new JsonArray
        {
            Headline(DigestTitle(digest, audience), digest.Alerts.Any(a => AlertKinds.IsUrgent(a.Kind))),
            TextBlock(DigestWindow(digest), subtle: true),
        };
        foreach (var alert in digest.Alerts)
        {
            var line = DigestLine(alert);
            body.Add(TextBlock(alert.IsAboutTicket ? $"[{Markdown(alert.TicketId)}]({OpsPageUrl(publicBaseUrl, alert.TicketId)}) {Markdown(line)}" : Markdown(line)));
        }
        if (digest.More > 0) body.Add(TextBlock($"and {digest.More} more", subtle: true));
        return Envelope(body, new JsonArray { OpenUrl("Open the ops page", OpsListUrl(publicBaseUrl)) });
    }

    public static MailMessage DigestMail(AlertDigestBatch digest, Audience audience, string publicBaseUrl, string to)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var lines = digest.Alerts.Select(a => a.IsAboutTicket ? $"{DigestLine(a)}\n  {OpsPageUrl(publicBaseUrl, a.TicketId)}" : DigestLine(a)).ToList();
        if (digest.More > 0) lines.Add($"and {digest.More} more");
        var paragraphs = new List<string>
        {
            DigestWindow(digest),
            string.Join('\n', lines),
            $"Every open ticket: {OpsListUrl(publicBaseUrl)}",
            $"autotier gathered these for {audience.Label()} ({AlertRouting.Setting}): more than a handful arrived within minutes.",
        };
        return new MailMessage(to, TextRules.SingleLine($"autotier {audience.Label()}: {DigestTitle(digest, audience)}"), string.Join("\n\n", paragraphs), Messages.ToHtml(paragraphs));
    }

    private static string DigestTitle(AlertDigestBatch digest, Audience audience) =>
        $"{digest.Count} alerts for {audience.Label()}";

    private static string DigestWindow(AlertDigestBatch digest) =>
        string.Create(CultureInfo.InvariantCulture, $"Gathered {digest.OpenedAt:yyyy-MM-dd HH:mm}–{digest.ClosedAt:HH:mm} UTC");

    /// <summary>"T-1042 P1 Contoso: SLA breached: Server down (due Mon 7 Dec 09:15 (Europe/London))".</summary>
    private static string DigestLine(AlertFacts alert)
    {
        var parts = new List<string>();
        if (alert.IsAboutTicket) parts.Add(alert.TicketId);
        if (alert.Priority is { Length: > 0 } p) parts.Add(p);
        var who = alert.ClientName ?? alert.ClientId;
        var what = AlertKinds.Label(alert.Kind) + (alert.Subject is { Length: > 0 } s ? $": {s}" : "");
        var due = alert.DueAt is { } d ? $" (due {DueText(d, alert.TimeZone)})" : "";
        return Bound(TextRules.SingleLine($"{string.Join(' ', parts)} {who}: {what}{due}"), 300);
    }

    private static string HeadlineText(AlertFacts alert) =>
        TextRules.SingleLine($"{AlertKinds.Label(alert.Kind)}{(alert.IsAboutTicket ? $": {alert.TicketId}" : "")}{(alert.Priority is { Length: > 0 } p ? $" ({p})" : "")}");

    private static string MessageText(AlertFacts alert)
    {
        var message = TextRules.SingleLine(alert.Message);
        return message.Length > 0 ? message : AlertKinds.Label(alert.Kind);
    }

    private static IEnumerable<(string Title, string Value)> Facts(AlertFacts alert, Audience audience)
    {
        var facts = new List<(string, string?)>
        {
            ("Ticket", alert.IsAboutTicket ? alert.TicketId : null),
            ("Client", alert.ClientName is { Length: > 0 } name ? $"{name} ({alert.ClientId})" : alert.ClientId),
            ("Subject", alert.Subject),
            ("Requester", alert.Requester),
            ("Priority", alert.Priority),
            ("Kind", AlertKinds.Label(alert.Kind)),
            ("Due", alert.DueAt is { } due ? DueText(due, alert.TimeZone) : null),
            ("For", audience.Label()),
            ("At", alert.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)),
        };
        return facts.Where(f => !string.IsNullOrWhiteSpace(f.Item2)).Select(f => (f.Item1, Bound(TextRules.SingleLine(f.Item2!), 200)));
    }

    private static JsonObject Envelope(JsonArray body, JsonArray? actions)
    {
        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["msteams"] = new JsonObject { ["width"] = "Full" },
            ["body"] = body,
        };
        if (actions is not null) card["actions"] = actions;
        return new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray
            {
                new JsonObject { ["contentType"] = "application/vnd.microsoft.card.adaptive", ["contentUrl"] = null, ["content"] = card },
            },
        };
    }

    private static JsonObject Headline(string text, bool urgent)
    {
        var block = new JsonObject { ["type"] = "TextBlock", ["text"] = Markdown(text), ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true };
        if (urgent) block["color"] = "Attention";
        return block;
    }

    private static JsonObject TextBlock(string text, bool subtle = false)
    {
        var block = new JsonObject { ["type"] = "TextBlock", ["text"] = text, ["wrap"] = true };
        if (subtle) block["isSubtle"] = true;
        return block;
    }

    private static JsonObject OpenUrl(string title, string url) => new() { ["type"] = "Action.OpenUrl", ["title"] = title, ["url"] = url };

    private static JsonArray FactArray(IEnumerable<(string Title, string Value)> facts) =>
        [.. facts.Select(f => (JsonNode)new JsonObject { ["title"] = f.Title, ["value"] = Markdown(f.Value) })];

    private static string Bound(string text, int max) => text.Length > max ? $"{text[..(max - 1)]}…" : text;

    /// <summary>
    /// A markdown link (<c>[text](url)</c>) broken up, so a requester's subject quoted on a card
    /// cannot turn into a link in the engineers' channel.
    /// </summary>
    private static string Markdown(string text) => text.Replace("](", "] (", StringComparison.Ordinal);
}
