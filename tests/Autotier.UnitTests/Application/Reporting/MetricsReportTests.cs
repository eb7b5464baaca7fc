using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Autotier.Application.Metrics;
using Autotier.Application.Reporting;
using Autotier.Domain.Clients;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Metrics;
using Xunit;

namespace Autotier.UnitTests.Application.Reporting;

/// <summary>
/// The report's CSV and HTML (a port of tests/unit/domain/report.test.ts, same inputs and rows),
/// and issue #34 fix 4: first response from arrival to the first answer (not the acknowledgement),
/// charts that show what was measured, major incidents, the MSP's and the client's names, logos
/// and contacts.
/// </summary>
public sealed partial class MetricsReportTests
{
    private static readonly BusinessHours Hours = new("UTC", [1, 2, 3, 4, 5], "09:00", "17:00");
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset From = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = new(2026, 3, 16, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = new(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A 1x1 PNG.</summary>
    private const string Png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

    private static TicketOutcomes Ticket(string id, DateTimeOffset receivedAt, params (TimeSpan After, OutcomeEvent Fact)[] steps) =>
        steps.Select((s, i) => s.Fact with
        {
            ClientId = "acme",
            TicketId = id,
            ReceivedAt = receivedAt,
            Step = $"{s.Fact.Kind}-{i}",
            At = receivedAt + s.After,
        }).Aggregate((TicketOutcomes?)null, TicketOutcomes.Apply)!;

    private static OutcomeEvent Fact(string kind) => new("", "", default, "", default, kind);

    private static TicketOutcomes Summary(int n, string category, bool confirmed) =>
        Ticket($"T-{n}", T0 + TimeSpan.FromDays(n),
            (TimeSpan.Zero, Fact(OutcomeKinds.Classified) with { Category = category, Priority = "P3", Tier = 1, Route = "auto" }),
            (TimeSpan.FromMinutes(1), Fact(OutcomeKinds.Responded) with { By = "automation", Via = "guide" }),
            (TimeSpan.FromMinutes(10), confirmed
                ? Fact(OutcomeKinds.Resolved) with { By = "requester", Cycle = 0 }
                : Fact(OutcomeKinds.Escalated) with { Tier = 1, Reason = "no", Cycle = 0 }),
            (TimeSpan.FromDays(8), Fact(OutcomeKinds.Closed)));

    private static ClientMetrics Compute(params TicketOutcomes[] summaries) =>
        MetricsCalculator.Compute(new MetricsInput("acme", From, To, Now, Hours, summaries, [], 0));

    private static readonly ClientMetrics Metrics = Compute(
        Summary(0, "printer_peripheral", true),
        Summary(1, "printer_peripheral", false),
        Summary(8, "vpn_remote_access", true));

    private static string Html(ClientMetrics metrics, ClientProfile? client = null, IReadOnlyList<MajorIncident>? incidents = null) =>
        MetricsHtml.Write(new ReportInput(metrics, client ?? new ClientProfile("acme", "Acme"), incidents ?? [], new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.Zero)));

    [Fact]
    public void Csv_has_one_row_per_week_and_category_every_category_in_every_week_plus_the_weeks_totals()
    {
        var rows = MetricsCsv.Write(Metrics).TrimEnd().Split("\r\n");
        Assert.Equal(1 + 2 * 3, rows.Length);
        Assert.Equal("week,category,tickets,verified_deflections,verified_deflection_rate,confirmed,unconfirmed,escalated,reopened,first_response_p50_minutes,resolution_p50_minutes,engineer_interruptions,csat_responses,csat_average", rows[0]);
        Assert.Equal(
        [
            "2026-03-02,all,2,1,0.5,1,0,1,0,1,10,0,0,",
            "2026-03-02,printer_peripheral,2,1,0.5,1,0,1,,,,,,",
            "2026-03-02,vpn_remote_access,0,0,0,0,0,0,,,,,,",
            "2026-03-09,all,1,1,1,1,0,0,0,1,10,0,0,",
            "2026-03-09,printer_peripheral,0,0,0,0,0,0,,,,,,",
            "2026-03-09,vpn_remote_access,1,1,1,1,0,0,,,,,,",
        ], rows[1..]);
    }

    [Fact]
    public void Csv_quotes_a_category_that_needs_it()
    {
        var metrics = Compute(Summary(0, "odd, \"quoted\"", true));
        Assert.Contains("2026-03-02,\"odd, \"\"quoted\"\"\",1,", MetricsCsv.Write(metrics), StringComparison.Ordinal);
    }

    [Fact]
    public void Html_is_one_file_with_svg_charts_nothing_fetched_and_names_encoded()
    {
        var html = Html(Metrics, new ClientProfile("acme", "Dr <Smith> & Partners"));
        Assert.Contains("<h1>Support outcomes: Dr &lt;Smith&gt; &amp; Partners</h1>", html, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(html, "<h1[ >]"));
        Assert.Equal(4, Regex.Count(html, "<svg "));
        Assert.Equal(4, Regex.Count(html, "role=\"img\" aria-labelledby=\"[a-z-]+-t\" aria-describedby=\"[a-z-]+-d\""));
        Assert.Contains("<b>66.7%</b><span>resolved by automation and confirmed by the requester (2 of 3)</span>", html, StringComparison.Ordinal);
        Assert.DoesNotMatch("<script|<link|<img|src=|url\\(|style=", html);
        Assert.Contains("2 March 2026 to 15 March 2026", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_allows_its_own_stylesheet_by_hash_and_nothing_else()
    {
        var html = Html(Metrics);
        var style = StyleOf().Match(html).Groups[1].Value;
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style)));
        Assert.Contains(
            $"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;; style-src &#39;sha256-{hash}&#39;; img-src data:;",
            html, StringComparison.Ordinal);
        Assert.Single(StyleOf().Matches(html));
    }

    [Fact]
    public void Durations_read_as_people_say_them()
    {
        long?[] values = [null, 45_000, 12 * 60_000, 3 * 3_600_000 + 20 * 60_000, 2 * 86_400_000L + 4 * 3_600_000, 86_400_000];
        Assert.Equal(["–", "45 s", "12 min", "3 h 20 min", "2 days 4 h", "1 day"], values.Select(ReportText.Duration));
    }

    [Fact]
    public void First_response_is_the_first_answer_three_minutes_after_arrival_not_the_acknowledgement()
    {
        // Acknowledged after 2 s, escalated, the engineer's public plan 3 minutes after arrival.
        var answered = Ticket("T-1", T0,
            (TimeSpan.FromSeconds(2), Fact(OutcomeKinds.Acknowledged)),
            (TimeSpan.FromSeconds(3), Fact(OutcomeKinds.Classified) with { Category = "engineering", Priority = "P2", Route = "escalate" }),
            (TimeSpan.FromSeconds(3), Fact(OutcomeKinds.Escalated) with { Tier = 1, Reason = "engineering", Cycle = 0 }),
            (TimeSpan.FromMinutes(3), Fact(OutcomeKinds.Responded) with { By = "person", Via = "plan" }));
        var metrics = Compute(answered);
        Assert.Equal(180_000, metrics.FirstResponseMs.P50);

        var html = Html(metrics);
        Assert.Contains("<b>3 min</b><span>typical time to a first real answer (median)</span>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><th scope=\"row\">First response</th><td>3 min</td>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><th scope=\"row\">Acknowledgement</th><td>2 s</td>", html, StringComparison.Ordinal);
        Assert.Contains("<b>3 min</b><span>typical time to a first answer by an engineer, when a person answered first (median)</span>", html, StringComparison.Ordinal);
        // The chart draws a bar of 3 (minutes), says so over it, and its text equivalent says 3 min.
        var chart = Chart(html, "first-response");
        Assert.Contains("Time to first response by week (median, minutes)", chart, StringComparison.Ordinal);
        Assert.Matches("<rect [^>]*height=\"[1-9][0-9.]*\"[^>]*><title>2 Mar: First response 3 min</title>", chart);
        Assert.Contains("2 Mar: 3 min; 9 Mar: no answer yet.</desc>", chart, StringComparison.Ordinal);
    }

    [Fact]
    public void An_engineers_first_answer_is_shown_apart_from_automations_instant_guides()
    {
        var guided = Ticket("T-1", T0, (TimeSpan.FromSeconds(20), Fact(OutcomeKinds.Responded) with { By = "automation", Via = "guide" }));
        var escalated = Ticket("T-2", T0.AddHours(1),
            (TimeSpan.FromSeconds(5), Fact(OutcomeKinds.Escalated) with { Tier = 1, Reason = "r", Cycle = 0 }),
            (TimeSpan.FromMinutes(3), Fact(OutcomeKinds.Responded) with { By = "person", Via = "plan" }),
            // A later answer of the same ticket's is not its first.
            (TimeSpan.FromMinutes(50), Fact(OutcomeKinds.Responded) with { By = "person", Via = "resolution" }));
        var metrics = Compute(guided, escalated);
        Assert.Equal((20_000L, 180_000L), (metrics.FirstResponseMs.P50!.Value, metrics.FirstResponseMs.P95!.Value));
        Assert.Equal(180_000L, metrics.PersonFirstResponseMs.P50);
        var html = Html(metrics);
        Assert.Contains("<b>20 s</b><span>typical time to a first real answer (median)</span>", html, StringComparison.Ordinal);
        Assert.Contains("<b>3 min</b><span>typical time to a first answer by an engineer", html, StringComparison.Ordinal);
        Assert.Contains("<tr><th scope=\"row\">First response by an engineer</th><td>3 min</td><td>3 min</td>", html, StringComparison.Ordinal);
        Assert.Contains("\"personFirstResponseMs\":{\"p50\":180000,\"p95\":180000}",
            System.Text.Json.JsonSerializer.Serialize(metrics, Autotier.Application.Json.AutotierJson.Options), StringComparison.Ordinal);
    }

    [Fact]
    public void A_ticket_only_acknowledged_has_no_first_response_and_the_chart_says_so()
    {
        var waiting = Ticket("T-1", T0, (TimeSpan.FromSeconds(2), Fact(OutcomeKinds.Acknowledged)));
        var html = Html(Compute(waiting));
        Assert.Contains("<b>–</b><span>typical time to a first real answer (median)</span>", html, StringComparison.Ordinal);
        var chart = Chart(html, "first-response");
        Assert.DoesNotContain("<rect", chart, StringComparison.Ordinal);
        Assert.Contains("2 Mar: no answer yet; 9 Mar: no answer yet.", chart, StringComparison.Ordinal);
    }

    [Fact]
    public void Answers_within_a_minute_are_charted_in_seconds_not_as_an_empty_chart()
    {
        var guided = Ticket("T-1", T0, (TimeSpan.FromSeconds(20), Fact(OutcomeKinds.Responded) with { By = "automation", Via = "guide" }));
        var chart = Chart(Html(Compute(guided)), "first-response");
        Assert.Contains("(median, seconds)", chart, StringComparison.Ordinal);
        Assert.Matches("<rect [^>]*height=\"[1-9][0-9.]*\"", chart);
        Assert.Contains(">20 s</text>", chart, StringComparison.Ordinal);
    }

    [Fact]
    public void Major_incidents_are_listed_with_their_tickets_and_state_in_words()
    {
        var incidents = new[]
        {
            new MajorIncident("I-1", "security:ransomware", "T-7", T0, T0.AddMinutes(20), 3, ["T-7", "T-8", "T-9"], Closed: false),
            new MajorIncident("I-2", "outage", "T-12", T0.AddDays(2), T0.AddDays(2), 2, ["T-12", "T-13"], Closed: true),
        };
        var html = Html(Metrics, incidents: incidents);
        Assert.Contains("<b>2</b><span>major incidents</span>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><th scope=\"row\">2 March 2026, 10:00 UTC</th><td>Security incident (ransomware)</td><td class=\"n\">3</td><td>T-7</td><td><span class=\"open\">Still open</span></td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<td>Outage</td><td class=\"n\">2</td><td>T-12</td><td>Closed</td>", html, StringComparison.Ordinal);

        Assert.Contains("<p>No major incidents in this period.</p>", Html(Metrics), StringComparison.Ordinal);
    }

    [Fact]
    public void The_msp_and_the_client_are_named_with_their_logos_and_contacts_encoded()
    {
        var client = new ClientProfile("acme", "Acme & Co")
        {
            Branding = new Branding
            {
                MspName = "Contoso <IT>",
                MspLogo = Png,
                MspContact = "help@contoso.example, +44 20 7946 0000",
                ClientLogo = Png,
                ClientContact = "\"Office\" manager: ops@acme.example",
            },
        };
        var html = Html(Metrics, client);
        Assert.Contains($"<img src=\"{Png}\" alt=\"Contoso &lt;IT&gt; logo\">", html, StringComparison.Ordinal);
        Assert.Contains($"<img src=\"{Png}\" alt=\"Acme &amp; Co logo\">", html, StringComparison.Ordinal);
        Assert.Contains("<b>Contoso &lt;IT&gt;</b><span>help@contoso.example, +44 20 7946 0000</span>", html, StringComparison.Ordinal);
        Assert.Contains("<span>&quot;Office&quot; manager: ops@acme.example</span>", html, StringComparison.Ordinal);
        Assert.Contains("Prepared by Contoso &lt;IT&gt; for Acme &amp; Co. Questions about this report: help@contoso.example, +44 20 7946 0000.", html, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(html, "<h1[ >]"));
    }

    [Theory]
    [InlineData("https://contoso.example/logo.png")]
    [InlineData("data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=")]
    [InlineData("javascript:alert(1)")]
    public void A_logo_that_is_not_an_inline_picture_is_left_out(string logo)
    {
        var client = new ClientProfile("acme", "Acme") { Branding = new Branding { MspName = "Contoso", MspLogo = logo } };
        var html = Html(Metrics, client);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.Contains("<b>Contoso</b>", html, StringComparison.Ordinal);
    }

    private static string Chart(string html, string id)
    {
        var start = html.IndexOf($"<figcaption id=\"{id}-title\">", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no chart {id}");
        return html[start..html.IndexOf("</figure>", start, StringComparison.Ordinal)];
    }

    [GeneratedRegex("<style>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex StyleOf();
}
