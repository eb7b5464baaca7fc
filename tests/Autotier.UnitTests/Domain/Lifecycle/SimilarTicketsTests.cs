using Autotier.Domain.Classification;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Resolutions;
using Xunit;

namespace Autotier.UnitTests.Domain.Lifecycle;

/// <summary>Similar past tickets (similar.test.ts, one for one).</summary>
public sealed class SimilarTicketsTests
{
    private static readonly DateTimeOffset At = new(2025, 1, 6, 9, 0, 0, TimeSpan.Zero);

    private static ResolutionRecord Past(string ticketId, string subject, string summary, string category, bool? reopened = null) =>
        new(ticketId, "acme", category, Outcomes.ResolvedByEngineer, subject, summary, At, Reopened: reopened);

    private static readonly ResolutionRecord[] PastTickets =
    [
        Past("T-1", "Printer offline at reception", "Power-cycled the HP, re-added the queue", Categories.PrinterPeripheral),
        Past("T-2", "VPN will not connect", "FortiClient profile re-imported", Categories.VpnRemoteAccess),
        Past("T-3", "Reception printer jammed", "Cleared a paper jam in tray 2", Categories.PrinterPeripheral),
        Past("T-4", "Locked out of Outlook", "Self-service reset link", Categories.PasswordReset),
    ];

    /// <summary>The escalation that showed "Locked out" and "Need Visio" as similar tickets.</summary>
    private const string VpnEscalation =
        "VPN keeps disconnecting. Hi team, since this morning my VPN drops every hour or so and I have to " +
        "reconnect. I am on FortiClient on my Dell laptop. Thanks, Sam";

    private static readonly ResolutionRecord[] VpnPast =
    [
        Past("T-10", "Locked out", "Unlocked the account in AD and reset the password", Categories.PasswordReset),
        Past("T-11", "Need Visio", "Assigned a Visio Plan 2 licence", Categories.SoftwareAccess),
        Past("T-12", "VPN drops every hour", "Reinstalled FortiClient", Categories.VpnRemoteAccess),
    ];

    private static string[] Ids(IEnumerable<SimilarTicket> tickets) => [.. tickets.Select(x => x.TicketId)];

    private static string? FirstId(IReadOnlyList<SimilarTicket> tickets) => tickets.Count > 0 ? tickets[0].TicketId : null;

    [Fact(Timeout = 10_000)]
    public async Task Offers_the_VPN_fix_for_a_VPN_escalation_with_an_absolute_score_and_leaves_out_unrelated_tickets()
    {
        await Task.Yield();
        var r = SimilarTickets.Find(VpnEscalation, Categories.VpnRemoteAccess, VpnPast, 3);
        Assert.Equal(["T-12"], Ids(r));
        Assert.Equal("Reinstalled FortiClient", r[0].Resolution);
        Assert.True(r[0].Score > 0.4 && r[0].Score < 0.9, $"a clear but not identical match: {r[0].Score}");
        // the same without a category: relevance alone keeps them out
        Assert.Equal(["T-12"], Ids(SimilarTickets.Find(VpnEscalation, null, VpnPast, 3)));
    }

    [Fact(Timeout = 10_000)]
    public async Task Ranks_the_closest_solved_tickets_of_the_category_first_with_how_they_were_solved()
    {
        await Task.Yield();
        var r = SimilarTickets.Find("The reception printer shows offline again", Categories.PrinterPeripheral, PastTickets, 3);
        Assert.Equal(["T-1", "T-3"], Ids(r));
        Assert.Equal("Power-cycled the HP, re-added the queue", r[0].Resolution);
        Assert.True(r[0].Score > r[1].Score);
        Assert.True(r[0].Score < 1, "a good match is not a duplicate");
    }

    [Fact(Timeout = 10_000)]
    public async Task Tolerates_typos_and_word_forms()
    {
        await Task.Yield();
        Assert.Equal("T-2", FirstId(SimilarTickets.Find("forticlent vpn disconnects", Categories.VpnRemoteAccess, PastTickets, 3)));
        var forms = SimilarTickets.Find("printers jamming", null, PastTickets, 3);
        Assert.Equal("T-3", FirstId(forms));
    }

    [Fact(Timeout = 10_000)]
    public async Task Finds_nothing_when_nothing_is_alike()
    {
        await Task.Yield();
        Assert.Empty(SimilarTickets.Find("quarterly budget spreadsheet", Categories.Engineering, PastTickets, 3));
        Assert.Empty(SimilarTickets.Find("printer", Categories.PrinterPeripheral, [], 3));
        Assert.Empty(SimilarTickets.Find("", Categories.PrinterPeripheral, PastTickets, 3));
        Assert.Empty(SimilarTickets.Find("Hi team, thanks!", Categories.PrinterPeripheral, PastTickets, 3));
    }

    [Fact(Timeout = 10_000)]
    public async Task Never_offers_a_ticket_that_was_reopened_as_how_it_was_solved()
    {
        await Task.Yield();
        ResolutionRecord[] reopened = [.. VpnPast.Select(p => p.TicketId == "T-12" ? p with { Reopened = true } : p)];
        Assert.Empty(SimilarTickets.Find(VpnEscalation, Categories.VpnRemoteAccess, reopened, 3));
        // solved again after the reopen: the newest record is the one that counts
        ResolutionRecord[] solvedAgain = [VpnPast[2] with { Summary = "Replaced the Wi-Fi adapter driver" }, .. reopened];
        var r = SimilarTickets.Find(VpnEscalation, Categories.VpnRemoteAccess, solvedAgain, 3);
        Assert.Equal([("T-12", "Replaced the Wi-Fi adapter driver")], r.Select(x => (x.TicketId, x.Resolution)));
    }

    // the score
    private const string Text = "Excel crashes when opening large files from SharePoint";

    private static readonly ResolutionRecord[] Pool =
    [
        Past("T-20", Text, "Repaired Office", Categories.SoftwareError),
        Past("T-21", "Excel crashes on startup", "Disabled add-ins", Categories.SoftwareError),
        Past("T-22", "SharePoint files missing", "Restored them from the recycle bin", Categories.SoftwareAccess),
        Past("T-23", "Monitor flickers", "New cable", Categories.PrinterPeripheral),
    ];

    private static Dictionary<string, double> Scores(string? category, IReadOnlyList<ResolutionRecord>? tickets = null) =>
        SimilarTickets.Find(Text, category, tickets ?? Pool, 10).ToDictionary(x => x.TicketId, x => x.Score);

    [Fact(Timeout = 10_000)]
    public async Task The_score_is_near_1_for_a_near_duplicate_well_below_for_a_partial_match_and_nothing_for_an_unrelated_ticket()
    {
        await Task.Yield();
        var s = Scores(null);
        Assert.True(s["T-20"] >= 0.9, $"near-duplicate: {s["T-20"]}");
        Assert.True(s["T-21"] < 0.5, $"partial: {s["T-21"]}");
        Assert.True(s["T-22"] < 0.5, $"one shared word: {s["T-22"]}");
        Assert.False(s.ContainsKey("T-23"));
        foreach (var score in s.Values) Assert.True(score >= SimilarTickets.MinSimilarity && score <= 1);
    }

    [Fact(Timeout = 10_000)]
    public async Task The_score_does_not_depend_on_how_well_the_best_ticket_matches()
    {
        await Task.Yield();
        var withBest = Scores(null);
        var withoutBest = Scores(null, [.. Pool.Where(p => p.TicketId != "T-20")]);
        Assert.True(withoutBest["T-21"] < 0.5, "the best remaining hit is not promoted to 1");
        Assert.True(Math.Abs(withoutBest["T-21"] - withBest["T-21"]) < 0.1, "only word rarity shifts it a little");
    }

    [Fact(Timeout = 10_000)]
    public async Task The_score_puts_relevant_tickets_of_the_category_first_and_another_category_needs_to_be_nearly_the_same()
    {
        await Task.Yield();
        // T-22 shares a word or two, which is not enough from another category
        Assert.Equal(["T-20", "T-21"], Ids(SimilarTickets.Find(Text, Categories.SoftwareError, Pool, 10)));
        var misfiled = SimilarTickets.Find(Text, Categories.SoftwareAccess, Pool, 10);
        // the category first, then a near-duplicate filed elsewhere
        Assert.Equal(["T-22", "T-20"], Ids(misfiled));
        Assert.True(misfiled[1].Score >= SimilarTickets.CrossCategorySimilarity && misfiled[1].Score > misfiled[0].Score);
    }

    [Fact(Timeout = 10_000)]
    public async Task The_score_counts_a_ticket_listed_twice_once_and_honours_the_limit()
    {
        await Task.Yield();
        ResolutionRecord[] twice = [Pool[0], Pool[0], Pool[1]];
        Assert.Equal(["T-20", "T-21"], Ids(SimilarTickets.Find(Text, Categories.SoftwareError, twice, 10)));
        Assert.Single(SimilarTickets.Find(Text, Categories.SoftwareError, Pool, 1));
    }
}
