using Autotier.Domain.Lifecycle;
using Autotier.Domain.Psa;
using Xunit;

namespace Autotier.UnitTests.Domain.Psa;

/// <summary>The round trip's rules (TypeScript psa.test.ts and psaRoundTrip.test.ts): mapping, summaries, plain notes, what a PSA change means.</summary>
public sealed class PsaRoundTripTests
{
    private static readonly PsaMapping Mapping = PsaMapping.Parse("""
        {"companies": {"42": "demo", "DemoDental": "demo", "77": "other"},
         "tiers": {"1": 11, "2": "12"},
         "statuses": {"new": 1, "in_progress": 2, "waiting_on_requester": 3, "resolved": 5, "closed": 6},
         "selfIds": ["autotier-api"]}
        """);

    [Fact]
    public void The_mapping_reads_ids_as_numbers_or_strings_and_companies_both_ways()
    {
        Assert.Equal("11", Mapping.Tier(1));
        Assert.Equal("12", Mapping.Tier(2));
        Assert.Null(Mapping.Tier(3));
        Assert.Equal("3", Mapping.Status(PsaStatus.WaitingOnRequester));
        Assert.Equal("42", PsaRoundTrip.CompanyForClient(PsaVendors.Autotask, Mapping, "demo"));
        Assert.Equal("demo", PsaRoundTrip.ClientForCompany(Mapping, ["999", "DemoDental"]));
        Assert.Null(PsaRoundTrip.CompanyForClient(PsaVendors.Autotask, PsaMapping.Parse("""{"companies": {"DemoDental": "demo"}}"""), "demo"));
        Assert.Equal("DemoDental", PsaRoundTrip.CompanyForClient(PsaVendors.ConnectWise, PsaMapping.Parse("""{"companies": {"DemoDental": "demo"}}"""), "demo"));
        Assert.Same(PsaMapping.Empty, PsaMapping.Parse(null));
    }

    [Theory]
    [InlineData("{not json", "is not valid JSON")]
    [InlineData("""{"companies": {"42": "no spaces allowed"}}""", "companies.42: must be a client id")]
    [InlineData("""{"tiers": {"4": 1}}""", "tiers: unknown tier 4")]
    [InlineData("""{"statuses": {"open": 1}}""", "statuses: unknown status open")]
    [InlineData("""{"secret": "hunter2"}""", "unknown field secret")]
    public void A_bad_mapping_names_the_setting_and_the_field_never_a_value(string json, string expected)
    {
        var e = Assert.Throws<FormatException>(() => PsaMapping.Parse(json));
        Assert.Equal($"AUTOTIER_PSA_MAPPING: {expected}", e.Message);
        Assert.DoesNotContain("hunter2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_summary_keeps_the_reference_tag_whole_within_the_psas_limit_and_carries_no_markup()
    {
        var summary = PsaRoundTrip.Summary(PsaVendors.ConnectWise, new string('x', 300) + "<b>", "T-1042");
        Assert.Equal(100, summary.Length);
        Assert.EndsWith(" (autotier T-1042)", summary, StringComparison.Ordinal);
        Assert.Equal("T-1042", PsaRoundTrip.TicketIdInSummary(summary));
        var marked = PsaRoundTrip.Summary(PsaVendors.HaloPsa, "Printer <img src=x onerror=alert(1)>\r\nBcc: x", "T-7");
        Assert.DoesNotContain('<', marked);
        Assert.DoesNotContain('\n', marked);
    }

    [Fact]
    public void Ticket_text_in_a_note_never_becomes_markup_nor_a_forged_marker()
    {
        var note = PsaRoundTrip.PlainNote("<script>alert(1)</script> [click](javascript:alert(1)) [autotier T-1 escalate-1-1]\u0007 done\nline two");
        Assert.DoesNotContain('<', note);
        Assert.DoesNotContain('>', note);
        Assert.DoesNotContain("](", note, StringComparison.Ordinal);
        Assert.DoesNotContain("[autotier", note, StringComparison.Ordinal);
        Assert.DoesNotContain('\u0007', note);
        Assert.Contains("\nline two", note, StringComparison.Ordinal);
        var marked = PsaRoundTrip.MarkedNote(new string('a', 100_000), "T-1", "escalate-0-1");
        Assert.True(marked.Length <= PsaRoundTrip.MaxNoteChars);
        Assert.EndsWith("\n\n[autotier T-1 escalate-0-1]", marked, StringComparison.Ordinal);
    }

    private static PsaTicketState State(string? status, params PsaActivity[] activity) => new(status, false, null, activity);

    private static IReadOnlyList<PsaRoundTrip.WorkflowEvent> Events(string vendor, PsaTicketState state, PsaMapping? mapping = null) =>
        PsaRoundTrip.Events(vendor, mapping ?? Mapping, state, PsaRoundTrip.Candidates(vendor, mapping ?? Mapping, "601", state), "member-9");

    [Fact]
    public void A_close_is_resolved_by_the_engineer_with_their_internal_notes_as_the_note_and_their_public_ones_as_the_public_note()
    {
        var events = Events(PsaVendors.ConnectWise, State("5",
            new PsaActivity("1", PsaActivityKind.Note, "Unlocked in AD", false, true, "alex", "Alex Tech"),
            new PsaActivity("2", PsaActivityKind.Note, "Your account works again.", true, true, "alex", "Alex Tech")));
        var resolved = Assert.Single(events);
        Assert.Equal(TicketEvent.Resolved, resolved.Event.Kind);
        Assert.Equal("Alex Tech", resolved.Event.By);
        Assert.Equal("Unlocked in AD", resolved.Event.Note);
        Assert.Equal("Your account works again.", resolved.Event.PublicNote);
        Assert.True(resolved.Event.FromPsa);
        Assert.Equal(["psa.connectwise.601.note.1", "psa.connectwise.601.note.2"], resolved.Keys);
    }

    [Fact]
    public void Unmapped_done_statuses_are_autotasks_complete_and_halos_closed_and_connectwise_closes_by_its_flag()
    {
        var none = PsaMapping.Empty;
        Assert.Equal(PsaRoundTrip.StatusMeaning.Resolved, PsaRoundTrip.MeaningOf(PsaVendors.Autotask, none, State("5")));
        Assert.Equal(PsaRoundTrip.StatusMeaning.Resolved, PsaRoundTrip.MeaningOf(PsaVendors.HaloPsa, none, State("9")));
        Assert.Equal(PsaRoundTrip.StatusMeaning.Open, PsaRoundTrip.MeaningOf(PsaVendors.ConnectWise, none, State("5")));
        Assert.Equal(PsaRoundTrip.StatusMeaning.Resolved, PsaRoundTrip.MeaningOf(PsaVendors.ConnectWise, none, new PsaTicketState("17", true, null, [])));
        var closed = Assert.Single(Events(PsaVendors.Autotask, new PsaTicketState("5", false, "Replaced the toner", []), none));
        Assert.Equal("Replaced the toner", closed.Event.Note);
        Assert.Equal("member-9", closed.Event.By);
    }

    [Fact]
    public void Open_tickets_turn_public_notes_into_updates_internal_notes_and_time_into_plans_and_the_status_into_waiting_or_not()
    {
        var events = Events(PsaVendors.ConnectWise, State("3",
            new PsaActivity("1", PsaActivityKind.Note, "I'll call you at 2pm.", true, true, "alex"),
            new PsaActivity("2", PsaActivityKind.Note, "Looks like a bad cable", false, true, "alex"),
            new PsaActivity("7", PsaActivityKind.Time, "Remote session", false, true, "alex")));
        Assert.Collection(events,
            e => Assert.Equal((TicketEvent.Update, "I'll call you at 2pm."), (e.Event.Kind, e.Event.Text)),
            e => Assert.Equal((TicketEvent.Plan, "Internal note in ConnectWise: Looks like a bad cable"), (e.Event.Kind, e.Event.Note)),
            e => Assert.Equal((TicketEvent.Plan, "Time entry in ConnectWise: Remote session"), (e.Event.Kind, e.Event.Note)),
            e => Assert.Equal((TicketEvent.Waiting, true), (e.Event.Kind, e.Event.IsWaiting)));
        Assert.False(Assert.Single(Events(PsaVendors.ConnectWise, State("2"))).Event.IsWaiting);
    }

    [Fact]
    public void Autotiers_own_notes_and_the_contacts_and_systems_never_count()
    {
        var state = State("2",
            new PsaActivity("1", PsaActivityKind.Note, "Escalated...\n\n[autotier T-5 escalate-0-1]", false, true, "someone"),
            new PsaActivity("2", PsaActivityKind.Note, "written by autotier's API member", false, true, "autotier-api"),
            new PsaActivity("3", PsaActivityKind.Note, "the requester's own note", true, false),
            new PsaActivity("4", PsaActivityKind.Note, "   ", false, true, "alex"));
        Assert.Empty(PsaRoundTrip.Candidates(PsaVendors.ConnectWise, Mapping, "601", state));
    }

    [Fact]
    public void The_escalation_note_opens_with_the_quoted_briefing_and_ends_with_the_similar_solved_tickets()
    {
        var at = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        var ticket = new Autotier.Domain.Tickets.Ticket("T-1001", "demo", new Autotier.Domain.Tickets.Requester("Sam", "sam@demo.example"), "VPN drops", "FortiClient drops hourly", null, Autotier.Domain.Tickets.Channel.Api, Autotier.Domain.Tickets.Stage.Classified, at, at);
        var package = EscalationPackage.Build(ticket, "Demo Dental", 1, "the requester said the guide did not fix it", RequesterAnswers.No, null, at)
            .WithSimilar([new SimilarTicket("T-0900", "VPN drops every hour", "vpn_remote_access", "Raised the DPD timeout on the firewall", 0.61)])
            with { Briefing = new Autotier.Domain.Assistant.Briefing(Autotier.Domain.Assistant.BriefingText.Label, "The VPN drops hourly.", ["Check the DPD timeout"]) };

        var note = PsaRoundTrip.EscalationNote(package);

        Assert.StartsWith("Briefing. Machine-written", note, StringComparison.Ordinal);
        Assert.Contains("Suggested step 1: \"Check the DPD timeout\"", note, StringComparison.Ordinal);
        Assert.Contains("- T-0900 (61% alike): VPN drops every hour. Solved: Raised the DPD timeout on the firewall", note, StringComparison.Ordinal);
        Assert.StartsWith(BriefingTextWithheld(), PsaRoundTrip.EscalationNote(package with { Briefing = null, BriefingWithheld = BriefingTextWithheld() }), StringComparison.Ordinal);
    }

    [Fact]
    public void The_escalation_package_and_note_carry_the_clients_system_profile_bounded()
    {
        var at = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        var ticket = new Autotier.Domain.Tickets.Ticket("T-1002", "demo", new Autotier.Domain.Tickets.Requester("Sam", "sam@demo.example"), "Printer jams", "The Riverside printer jams", null, Autotier.Domain.Tickets.Channel.Api, Autotier.Domain.Tickets.Stage.Classified, at, at);
        var profile = new Autotier.Domain.Clients.SystemProfile
        {
            Devices = ["20 Windows 11 laptops", .. Enumerable.Range(0, 40).Select(i => $"kiosk {i}")],
            Software = ["Dentrix"],
            VpnProduct = "FortiClient",
            Printers = new Dictionary<string, string> { ["Riverside"] = "Brother HL-L2350DW" },
            RecentChanges = ["Moved to Microsoft 365 MFA in October"],
        };
        var package = EscalationPackage.Build(ticket, "Demo Dental", 2, "printer", RequesterAnswers.No, null, at).WithSystemProfile(profile);

        Assert.Equal("Demo Dental", package.SystemProfile!.Client);
        Assert.Equal(EscalationPackage.MaxProfileItems, package.SystemProfile.Devices.Count);
        Assert.Equal("Brother HL-L2350DW", package.SystemProfile.Printers!["Riverside"]);
        var note = PsaRoundTrip.EscalationNote(package);
        Assert.Contains("System profile (Demo Dental): 20 Windows 11 laptops, kiosk 0,", note, StringComparison.Ordinal);
        Assert.Contains("Printers: Riverside: Brother HL-L2350DW", note, StringComparison.Ordinal);
        Assert.Contains("Recent changes: Moved to Microsoft 365 MFA in October", note, StringComparison.Ordinal);
        Assert.DoesNotContain("System profile", PsaRoundTrip.EscalationNote(package with { SystemProfile = null }), StringComparison.Ordinal);
        Assert.Contains("none on file", PsaRoundTrip.EscalationNote(EscalationPackage.Build(ticket, "Demo Dental", 2, "printer", RequesterAnswers.No, null, at).WithSystemProfile(new Autotier.Domain.Clients.SystemProfile())), StringComparison.Ordinal);
    }

    private static string BriefingTextWithheld() => Autotier.Domain.Assistant.BriefingText.InjectedTicket;
}
