using System.Text.Json.Nodes;
using Autotier.Domain.Alerts;
using Xunit;

namespace Autotier.UnitTests.Domain.Alerts;

public sealed class AlertMessagesTests
{
    private static readonly AlertFacts Breach = new(
        "sla-breach-resolution", "T-1042", "contoso", 3, AlertKinds.SlaBreach, "The resolution deadline passed.",
        new DateTimeOffset(2026, 12, 7, 14, 20, 0, TimeSpan.Zero))
    {
        ClientName = "Contoso Ltd",
        Subject = "Server down [click](https://evil.example)",
        Requester = "Sam Lee <sam@contoso.example>",
        Priority = "P1",
        Summary = "File server FS01 is unreachable for the whole office.\n\nUsers cannot open shared drives.\nThird line is not shown.",
        DueAt = new DateTimeOffset(2026, 12, 7, 14, 15, 0, TimeSpan.Zero),
        TimeZone = "America/New_York",
    };

    [Fact]
    public void The_card_links_to_the_ops_page_not_the_json_api()
    {
        var card = AlertMessages.Card(Breach, Audience.OnCall, "https://autotier.example/");
        var action = Content(card)["actions"]![0]!;
        Assert.Equal("Action.OpenUrl", (string?)action["type"]);
        Assert.Equal("https://autotier.example/api/ops/tickets/T-1042", (string?)action["url"]);
        Assert.DoesNotContain("/api/tickets/", card.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_card_shows_client_subject_requester_priority_two_summary_lines_and_due_time_in_the_clients_zone()
    {
        var content = Content(AlertMessages.Card(Breach, Audience.OnCall, "https://autotier.example"));
        var facts = content["body"]!.AsArray().Single(b => (string?)b!["type"] == "FactSet")!["facts"]!.AsArray()
            .ToDictionary(f => (string)f!["title"]!, f => (string)f!["value"]!);
        Assert.Equal("Contoso Ltd (contoso)", facts["Client"]);
        Assert.Equal("Sam Lee <sam@contoso.example>", facts["Requester"]);
        Assert.Equal("P1", facts["Priority"]);
        // 14:15 UTC is 09:15 in New York in December (EST, UTC-5).
        Assert.Equal("Mon 7 Dec 09:15 (America/New_York)", facts["Due"]);
        Assert.Equal("on call", facts["For"]);
        // A link typed into a subject is broken up, so it cannot become a link in the channel.
        Assert.Equal("Server down [click] (https://evil.example)", facts["Subject"]);
        var texts = content["body"]!.AsArray().Where(b => (string?)b!["type"] == "TextBlock").Select(b => (string)b!["text"]!).ToList();
        Assert.Contains("File server FS01 is unreachable for the whole office.", texts);
        Assert.Contains("Users cannot open shared drives.", texts);
        Assert.DoesNotContain(texts, t => t.Contains("Third line", StringComparison.Ordinal));
        Assert.Equal("SLA breached: T-1042 (P1)", texts[0]);
        Assert.Equal("Attention", (string?)content["body"]![0]!["color"]);
    }

    [Fact]
    public void An_unknown_zone_shows_utc_named()
    {
        Assert.Equal("Mon 7 Dec 14:15 (UTC)", AlertMessages.DueText(Breach.DueAt!.Value, "Mars/Olympus"));
        Assert.Equal("Mon 7 Dec 14:15 (Europe/London)", AlertMessages.DueText(Breach.DueAt!.Value, "Europe/London"));
    }

    [Fact]
    public void A_system_alert_has_no_ticket_link()
    {
        var alert = new AlertFacts("poison-1", "_intake", "-", 1, AlertKinds.IntakePoison, "3 messages", Breach.At);
        var card = AlertMessages.Card(alert, Audience.Tier1, "https://autotier.example");
        Assert.Null(Content(card)["actions"]);
        Assert.DoesNotContain("Open the ticket", AlertMessages.Mail(alert, Audience.Tier1, "https://a.example", "t1@msp.example").Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_mail_carries_the_same_facts_and_link_and_no_ticket_token_in_its_subject()
    {
        var mail = AlertMessages.Mail(Breach, Audience.Tier3, "https://autotier.example", "tier3@msp.example");
        Assert.Equal("tier3@msp.example", mail.To);
        Assert.Equal("autotier tier 3: SLA breached: T-1042 (P1) (Contoso Ltd)", mail.Subject);
        Assert.DoesNotContain("[#", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("Open the ticket: https://autotier.example/api/ops/tickets/T-1042", mail.Text, StringComparison.Ordinal);
        Assert.Contains("Due: Mon 7 Dec 09:15 (America/New_York)", mail.Text, StringComparison.Ordinal);
        Assert.Contains("Requester: Sam Lee &lt;sam@contoso.example&gt;", mail.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_digest_lists_each_alert_with_its_ops_link_and_counts_the_rest()
    {
        var alerts = Enumerable.Range(1, 3).Select(i => Breach with { Key = $"k{i}", TicketId = $"T-{1000 + i}" }).ToList();
        var digest = new AlertDigestBatch("digest.tier3.1", Breach.At, Breach.At.AddMinutes(5), alerts, More: 4);
        var content = Content(AlertMessages.DigestCard(digest, Audience.Tier3, "https://autotier.example"));
        var texts = content["body"]!.AsArray().Select(b => (string)b!["text"]!).ToList();
        Assert.Equal("7 alerts for tier 3", texts[0]);
        Assert.Contains(texts, t => t.StartsWith("[T-1002](https://autotier.example/api/ops/tickets/T-1002) T-1002 P1 Contoso Ltd: SLA breached", StringComparison.Ordinal));
        Assert.Equal("and 4 more", texts[^1]);
        var mail = AlertMessages.DigestMail(digest, Audience.Tier3, "https://autotier.example", "t3@msp.example");
        Assert.Equal("autotier tier 3: 7 alerts for tier 3", mail.Subject);
        Assert.Contains("https://autotier.example/api/ops/tickets/T-1003", mail.Text, StringComparison.Ordinal);
    }

    private static JsonNode Content(JsonObject card)
    {
        Assert.Equal("message", (string?)card["type"]);
        var attachment = card["attachments"]![0]!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)attachment["contentType"]);
        return attachment["content"]!;
    }
}
