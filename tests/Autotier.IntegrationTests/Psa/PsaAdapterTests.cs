using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Autotier.Adapters.Psa;
using Autotier.Application.Ports;
using Autotier.Application.Psa;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Psa;
using Autotier.Domain.Tickets;
using Autotier.TestSupport.Fakes;
using Autotier.TestSupport.Psa;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Autotier.IntegrationTests.Psa;

/// <summary>
/// The real ConnectWise, Autotask and HaloPSA clients against a local server that speaks each API
/// (<see cref="FakePsaServer"/>: paths, auth headers, JSON shapes), through the write-back and the
/// PSA-changes use case: a ticket opened once under retries, notes once, status and close, 429
/// waited out within its bound, refused credentials an alert rather than a crash.
/// </summary>
public sealed class PsaAdapterTests : IAsyncLifetime, IDisposable
{
    private static readonly PsaMapping Mapping = PsaMapping.Parse("""
        {"companies": {"42": "demo"}, "tiers": {"1": "11", "2": "12"},
         "statuses": {"new": "1", "in_progress": "2", "waiting_on_requester": "3", "resolved": "5", "closed": "6"}, "selfIds": ["autotier-api"]}
        """);

    private readonly InMemoryTicketStore tickets = new();
    private readonly InMemoryTicketLinks links = new();
    private readonly RecordingNotifier alerts = new();
    private readonly RecordingWorkflow workflow = new();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly ConcurrentQueue<TimeSpan> waits = new();
    private readonly HttpClient http = new();
    private FakePsaServer server = null!;

    public async Task InitializeAsync() => server = await FakePsaServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    public void Dispose() => http.Dispose();

    private PsaHttpOptions Options => new()
    {
        Timeout = TimeSpan.FromSeconds(10),
        MaxDelay = TimeSpan.FromSeconds(5),
        Delay = (wait, _) =>
        {
            waits.Enqueue(wait);
            return Task.CompletedTask;
        },
    };

    private ConnectWiseApi ConnectWise(string privateKey = FakePsaServer.CwPrivateKey) =>
        new ConnectWiseApi(new ConnectWiseSettings(server.Url, FakePsaServer.CwCompany, FakePsaServer.CwPublicKey, privateKey, FakePsaServer.CwClientId), http, Options);

    private AutotaskApi Autotask(string secret = FakePsaServer.AtSecret) =>
        new AutotaskApi(new AutotaskSettings(server.Url, FakePsaServer.AtIntegrationCode, FakePsaServer.AtUserName, secret), http, Options);

    private HaloApi Halo(string secret = FakePsaServer.HaloClientSecret) =>
        new HaloApi(new HaloSettings(server.Url, FakePsaServer.HaloClientId, secret), http, Options, time);

    private PsaWriteBack WriteBack(IPsaApi api) => new(new PsaConnection(api, Mapping), tickets, links, alerts, time, NullLogger<PsaWriteBack>.Instance);

    private PsaChanges Changes(IPsaApi api) => new(tickets, links, new InMemoryPsaSeen(), alerts, time, NullLogger<PsaChanges>.Instance, new PsaConnection(api, Mapping));

    private async Task<Ticket> FileAsync(string body = "Outlook crashes <script>alert(1)</script> when I open the calendar.") =>
        (await tickets.CreateAsync(new NewTicket("demo", new Requester("Sam Lee", "sam@demo.example"), "Outlook keeps crashing", body, null, Channel.Api), time.GetUtcNow(), default)).Ticket;

    private static EscalationPackage Package(Ticket ticket, int tier = 2) =>
        EscalationPackage.Build(ticket, "Demo Dental", tier, "the requester said the guide did not help", RequesterAnswers.No, null, ticket.CreatedAt);

    private int Count(string method, string path) => server.Requests.Count(r => r.Method == method && r.Path.Split('?')[0] == path);

    [Fact(Timeout = 30_000)]
    public async Task ConnectWise_opens_the_ticket_once_with_its_contact_posts_internal_notes_once_and_moves_board_and_status()
    {
        server.Contacts["connectwise:31"] = new JsonObject
        {
            ["id"] = 31,
            ["company"] = new JsonObject { ["id"] = 42 },
            ["communicationItems"] = new JsonArray(new JsonObject { ["communicationType"] = "Email", ["value"] = "Sam@Demo.example" }),
        };
        var psa = WriteBack(ConnectWise());
        var ticket = await FileAsync();

        var opened = await psa.OpenAsync(ticket.TicketId, default);
        await psa.OpenAsync(ticket.TicketId, default);
        await psa.EscalateAsync(Package((await tickets.GetAsync(ticket.TicketId, default))!), "escalate-0-1", default);
        await psa.EscalateAsync(Package((await tickets.GetAsync(ticket.TicketId, default))!), "escalate-0-1", default);

        var stored = Assert.Single(server.Tickets.Values);
        Assert.Equal(opened!.Id, stored["id"]!.ToString());
        Assert.Equal($"Outlook keeps crashing (autotier {ticket.TicketId})", stored["summary"]!.ToString());
        Assert.Equal(42, (int)stored["company"]!["id"]!);
        Assert.Equal(31, (int)stored["contact"]!["id"]!);
        Assert.Equal("sam@demo.example", stored["contactEmailAddress"]!.ToString());
        Assert.Equal(12, (int)stored["board"]!["id"]!); // tier 1's board at first, tier 2's after the escalation
        Assert.Equal(2, (int)stored["status"]!["id"]!);
        Assert.Equal(1, Count("POST", "/service/tickets"));
        Assert.DoesNotContain("<script>", stored["initialDescription"]!.ToString(), StringComparison.Ordinal);
        var note = Assert.Single(server.NotesOf(PsaVendors.ConnectWise, opened.Id), n => n["internalAnalysisFlag"] is not null);
        Assert.True((bool)note["internalAnalysisFlag"]!);
        Assert.False((bool)note["detailDescriptionFlag"]!);
        Assert.EndsWith($"[autotier {ticket.TicketId} escalate-0-1]", note["text"]!.ToString(), StringComparison.Ordinal);
        Assert.All(server.Requests, r =>
        {
            Assert.StartsWith("Basic ", r.Headers["authorization"], StringComparison.Ordinal);
            Assert.Equal(FakePsaServer.CwClientId, r.Headers["clientid"]);
        });
    }

    [Fact(Timeout = 30_000)]
    public async Task A_create_the_psa_took_but_answered_with_an_error_is_not_repeated_and_the_retry_finds_it_by_its_tag()
    {
        var psa = WriteBack(ConnectWise());
        var ticket = await FileAsync();
        server.Fail(new PsaFault(500, AfterHandling: true, Method: "POST", PathPrefix: "/service/tickets"));

        var failed = await Assert.ThrowsAsync<PsaApiException>(() => psa.OpenAsync(ticket.TicketId, default));
        Assert.Equal(500, failed.Status);
        Assert.Equal(1, Count("POST", "/service/tickets")); // a create is not retried blindly
        var retried = await psa.OpenAsync(ticket.TicketId, default);

        var stored = Assert.Single(server.Tickets.Values);
        Assert.Equal(stored["id"]!.ToString(), retried!.Id);
        Assert.Equal(retried.Id, (await tickets.GetAsync(ticket.TicketId, default))!.PsaTicket!.Id);
    }

    [Fact(Timeout = 30_000)]
    public async Task Throttling_is_waited_out_as_retry_after_says_within_the_bound_and_an_outage_gives_up_after_the_last_attempt()
    {
        var api = ConnectWise();
        server.Tickets["connectwise:601"] = new JsonObject { ["id"] = 601, ["summary"] = "Printer", ["company"] = new JsonObject { ["id"] = 42 } };
        server.Fail(new PsaFault(429, "2"), new PsaFault(429, "120"));
        Assert.Equal("Printer", (await api.GetTicketAsync("601", default))!.Summary);
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5)], waits);

        // A create is retried when throttled: the PSA said it did not take it.
        server.Fail(new PsaFault(429, "1", Method: "POST"));
        await api.AddNoteAsync("601", "note", default);
        Assert.Single(server.NotesOf(PsaVendors.ConnectWise, "601"));

        server.Fail(new PsaFault(503), new PsaFault(503), new PsaFault(503), new PsaFault(503));
        var outage = await Assert.ThrowsAsync<PsaApiException>(() => api.GetTicketAsync("601", default));
        Assert.Equal(503, outage.Status);
        Assert.Equal("connectwise GET /service/tickets/601 answered 503", outage.Message);
        Assert.All(waits, w => Assert.True(w <= TimeSpan.FromSeconds(5)));
    }

    [Fact(Timeout = 30_000)]
    public async Task Refused_credentials_become_an_alert_not_a_crash_and_no_message_carries_a_secret()
    {
        var psa = WriteBack(ConnectWise("wrong-private-key"));
        var ticket = await FileAsync();
        await psa.EscalateAsync(Package(ticket), "escalate-0-1", default);

        var alert = Assert.Single(alerts.Alerts);
        Assert.Contains("ConnectWise refused autotier's credentials (401)", alert.Message, StringComparison.Ordinal);
        Assert.Empty(server.Tickets);
        var direct = await Assert.ThrowsAsync<PsaApiException>(() => Autotask("wrong-secret").GetTicketAsync("1", default));
        Assert.True(direct.IsAuthFailure);
        var halo = await Assert.ThrowsAsync<PsaApiException>(() => Halo("wrong-secret").GetTicketAsync("1", default));
        Assert.True(halo.IsAuthFailure);
        foreach (var message in new[] { alert.Message, direct.Message, halo.Message })
        {
            Assert.DoesNotContain("wrong-", message, StringComparison.Ordinal);
            Assert.DoesNotContain(FakePsaServer.CwPublicKey, message, StringComparison.Ordinal);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task ConnectWise_close_with_notes_and_time_entries_comes_back_as_the_engineers_resolution()
    {
        var psa = WriteBack(ConnectWise());
        var ticket = await FileAsync();
        var opened = (await psa.OpenAsync(ticket.TicketId, default))!;
        await psa.AddNoteAsync(ticket.TicketId, "Requester replied: still crashing", "reply-1", default);
        var member = new JsonObject { ["id"] = 178, ["identifier"] = "alex", ["name"] = "Alex Tech" };
        server.AddNote(PsaVendors.ConnectWise, opened.Id, new JsonObject
        {
            ["id"] = 50, ["text"] = "Outlook repaired, please try again.", ["detailDescriptionFlag"] = true, ["internalAnalysisFlag"] = false, ["resolutionFlag"] = false, ["member"] = member.DeepClone(),
        });
        server.AddTimeEntry(PsaVendors.ConnectWise, opened.Id, new JsonObject { ["id"] = 7, ["notes"] = "Ran Office repair", ["member"] = member.DeepClone() });
        server.Tickets[$"connectwise:{opened.Id}"]["closedFlag"] = true;

        var result = await Changes(ConnectWise()).ApplyAsync(new PsaChange(PsaVendors.ConnectWise, opened.Id, "alex"), workflow, default);

        Assert.Equal([TicketEvent.Resolved], result.Delivered);
        var resolved = Assert.Single(workflow.Raised).Event;
        Assert.Equal(("Alex Tech", "Ran Office repair", "Outlook repaired, please try again."), (resolved.By, resolved.Note, resolved.PublicNote));
    }

    [Fact(Timeout = 30_000)]
    public async Task Autotask_opens_with_its_contact_and_ticket_number_writes_internal_only_notes_and_reads_published_notes_as_public()
    {
        server.Contacts["31"] = new JsonObject { ["id"] = 31, ["companyID"] = 42, ["emailAddress"] = "sam@demo.example", ["firstName"] = "Sam", ["lastName"] = "Lee" };
        var api = Autotask();
        var psa = WriteBack(api);
        var ticket = await FileAsync();

        var opened = (await psa.OpenAsync(ticket.TicketId, default))!;
        await psa.EscalateAsync(Package((await tickets.GetAsync(ticket.TicketId, default))!), "escalate-0-1", default);
        await psa.EscalateAsync(Package((await tickets.GetAsync(ticket.TicketId, default))!), "escalate-0-1", default);

        var stored = server.Tickets[$"autotask:{opened.Id}"];
        Assert.StartsWith("T20260302.", opened.Number, StringComparison.Ordinal);
        Assert.Equal((42, 31, 2, 2, 12), ((int)stored["companyID"]!, (int)stored["contactID"]!, (int)stored["priority"]!, (int)stored["status"]!, (int)stored["queueID"]!));
        var note = Assert.Single(server.NotesOf(PsaVendors.Autotask, opened.Id));
        Assert.Equal((2, 1), ((int)note["publish"]!, (int)note["noteType"]!));
        Assert.All(server.Requests, r => Assert.Equal((FakePsaServer.AtIntegrationCode, FakePsaServer.AtUserName), (r.Headers["apiintegrationcode"], r.Headers["username"])));

        server.AddNote(PsaVendors.Autotask, opened.Id, new JsonObject { ["id"] = 70, ["title"] = "Update", ["description"] = "We are replacing your laptop battery.", ["publish"] = 1, ["creatorResourceID"] = 29682885 });
        server.AddNote(PsaVendors.Autotask, opened.Id, new JsonObject { ["id"] = 71, ["title"] = "Co-managed", ["description"] = "Client IT informed.", ["publish"] = 3, ["creatorResourceID"] = 29682885 });
        server.AddTimeEntry(PsaVendors.Autotask, opened.Id, new JsonObject { ["id"] = 80, ["ticketID"] = int.Parse(opened.Id, System.Globalization.CultureInfo.InvariantCulture), ["summaryNotes"] = "Diagnosed battery", ["resourceID"] = 29682885 });
        var changes = Changes(api);
        var first = await changes.ApplyAsync(new PsaChange(PsaVendors.Autotask, opened.Id, "29682885"), workflow, default);
        Assert.Equal([TicketEvent.Update, TicketEvent.Plan, TicketEvent.Plan, TicketEvent.Waiting], first.Delivered);
        Assert.Equal("We are replacing your laptop battery.", workflow.Raised.First().Event.Text);

        server.Tickets[$"autotask:{opened.Id}"]["status"] = 5;
        server.Tickets[$"autotask:{opened.Id}"]["resolution"] = "Battery replaced";
        var closed = await changes.ApplyAsync(new PsaChange(PsaVendors.Autotask, opened.Id, "29682885"), workflow, default);
        Assert.Equal([TicketEvent.Resolved], closed.Delivered);
        Assert.Equal("Battery replaced", workflow.Raised.Last().Event.Note);
    }

    [Fact(Timeout = 30_000)]
    public async Task Halo_uses_one_token_until_it_is_revoked_writes_html_safe_private_notes_and_reads_visible_actions_as_public()
    {
        server.Contacts["halopsa:5"] = new JsonObject { ["id"] = 5, ["emailaddress"] = "sam@demo.example", ["client_id"] = 42 };
        var api = Halo();
        var psa = WriteBack(api);
        var ticket = await FileAsync("Tom & Jerry's <b>printer</b>");

        var opened = (await psa.OpenAsync(ticket.TicketId, default))!;
        await psa.AddNoteAsync(ticket.TicketId, "Requester replied: <img src=x onerror=alert(1)> & more", "reply-1", default);
        await psa.AddNoteAsync(ticket.TicketId, "Requester replied: <img src=x onerror=alert(1)> & more", "reply-1", default);
        Assert.Equal(1, server.HaloTokensIssued);

        var stored = server.Tickets[$"halopsa:{opened.Id}"];
        Assert.Equal((42, 5, "11"), ((int)stored["client_id"]!, (int)stored["user_id"]!, stored["team"]!.ToString()));
        var note = Assert.Single(server.NotesOf(PsaVendors.HaloPsa, opened.Id));
        Assert.True((bool)note["hiddenfromuser"]!);
        var html = note["note"]!.ToString();
        Assert.DoesNotContain('<', html.Replace("<br>", "", StringComparison.Ordinal));
        Assert.Contains("&amp; more", html, StringComparison.Ordinal);
        Assert.Contains("<br><br>[autotier ", html, StringComparison.Ordinal);

        server.RevokeHaloTokens();
        server.AddNote(PsaVendors.HaloPsa, opened.Id, new JsonObject { ["id"] = 300, ["note"] = "Driver reinstalled, print a test page please.", ["hiddenfromuser"] = false, ["who"] = "Jo Agent", ["who_agentid"] = 7, ["ticket_id"] = int.Parse(opened.Id, System.Globalization.CultureInfo.InvariantCulture) });
        server.AddNote(PsaVendors.HaloPsa, opened.Id, new JsonObject { ["id"] = 301, ["note"] = "Thanks!", ["hiddenfromuser"] = false, ["who"] = "Sam Lee", ["who_agentid"] = 0 });
        var result = await Changes(api).ApplyAsync(new PsaChange(PsaVendors.HaloPsa, opened.Id, "7"), workflow, default);

        Assert.Equal(2, server.HaloTokensIssued);
        Assert.Equal([TicketEvent.Update, TicketEvent.Waiting], result.Delivered);
        Assert.Equal(("Jo Agent", "Driver reinstalled, print a test page please."), (workflow.Raised.First().Event.By, workflow.Raised.First().Event.Text));

        server.Tickets[$"halopsa:{opened.Id}"]["status_id"] = 6;
        var closed = await Changes(api).ApplyAsync(new PsaChange(PsaVendors.HaloPsa, opened.Id, "7"), workflow, default);
        Assert.Equal([TicketEvent.Resolved], closed.Delivered);
    }

    /// <summary>
    /// A ticket and notes in the full shape ConnectWise's REST API 3.0 answers (nested references
    /// with <c>_info</c> links, <c>status</c> as an object with <c>Sort</c>, notes with member and
    /// flags), values our own; the shape as in ConnectWise's API reference and public sample events
    /// (e.g. PipedreamHQ/pipedream components/connectwise_psa test events). Fields autotier does not
    /// read are ignored, and odd values (a null text, a member that is a string, a note with no id)
    /// never break the round trip.
    /// </summary>
    [Fact(Timeout = 30_000)]
    public async Task ConnectWise_answers_in_their_full_shape_and_odd_values_in_them_are_read_without_a_crash()
    {
        server.Tickets["connectwise:493"] = JsonNode.Parse("""
            {"id": 493, "summary": "Check Remote Backup", "recordType": "ServiceTicket",
             "board": {"id": 1, "name": "Professional Services", "_info": {"board_href": "https://api-staging.example.net/v4_6_release/apis/3.0/service/boards/1"}},
             "status": {"id": 16, "name": "New (not responded)", "Sort": 0, "_info": {"status_href": "https://api-staging.example.net/v4_6_release/apis/3.0/service/boards/1/statuses/16"}},
             "company": {"id": 42, "identifier": "DemoDental", "name": "Demo Dental, Inc.", "_info": {"company_href": "https://api-staging.example.net/v4_6_release/apis/3.0/company/companies/42", "mobileGuid": "00000000-0000-0000-0000-000000000042"}},
             "site": {"id": 20, "name": "Main"}, "siteName": "Main",
             "contact": {"id": 48, "name": "Sam Lee", "_info": {"contact_href": "https://api-staging.example.net/v4_6_release/apis/3.0/company/contacts/48"}},
             "contactName": "Sam Lee", "contactPhoneNumber": "5550100", "contactEmailAddress": "sam@demo.example",
             "type": {"id": 14, "name": "Proactive"}, "priority": {"id": 4, "name": "Priority 3 - Normal Response", "sort": 6},
             "severity": "Medium", "impact": "Medium", "closedFlag": false, "approved": true, "estimatedExpenseCost": 0.0,
             "_info": {"lastUpdated": "2026-03-02T09:00:00Z", "updatedBy": "alex", "notes_href": "https://api-staging.example.net/v4_6_release/apis/3.0/service/tickets/493/notes"}}
            """)!.AsObject();
        server.Notes["connectwise:493"] =
        [
            JsonNode.Parse("""{"id": 1, "ticketId": 493, "text": "Backups failed since Friday.", "detailDescriptionFlag": true, "internalAnalysisFlag": false, "resolutionFlag": false, "contact": {"id": 48, "name": "Sam Lee"}, "dateCreated": "2026-03-02T08:00:00Z", "createdBy": "sam", "internalFlag": false, "externalFlag": false}""")!.AsObject(),
            JsonNode.Parse("""{"id": 2, "ticketId": 493, "text": "Re-seeded the backup job.", "detailDescriptionFlag": false, "internalAnalysisFlag": true, "resolutionFlag": false, "member": {"id": 178, "identifier": "alex", "name": "Alex Tech", "_info": {"member_href": "x"}}, "dateCreated": "2026-03-02T09:00:00Z", "createdBy": "alex", "internalFlag": true, "externalFlag": false}""")!.AsObject(),
            JsonNode.Parse("""{"id": 3, "text": null, "member": {"id": 178, "identifier": "alex"}}""")!.AsObject(),
            JsonNode.Parse("""{"text": "a note with no id", "member": {"identifier": "alex"}}""")!.AsObject(),
            JsonNode.Parse("""{"id": "4", "text": 12345, "member": "not an object", "detailDescriptionFlag": "yes"}""")!.AsObject(),
        ];
        var api = ConnectWise();

        var ticket = (await api.GetTicketAsync("493", default))!;
        Assert.Equal(("Check Remote Backup", "sam@demo.example", "Sam Lee"), (ticket.Summary, ticket.ContactEmail, ticket.ContactName));
        Assert.Equal(["42", "DemoDental", "Demo Dental, Inc."], ticket.CompanyKeys);
        var state = (await api.TicketStateAsync("493", default))!;
        Assert.Equal(("16", false), (state.Status, state.Closed));
        Assert.Equal(["1", "2", "3", "4"], state.Activity.Select(a => a.Id));
        Assert.False(state.Activity[0].ByEngineer); // the contact's own description
        Assert.Equal((true, false, "alex", "Alex Tech"), (state.Activity[1].ByEngineer, state.Activity[1].Public, state.Activity[1].AuthorId, state.Activity[1].AuthorName));

        var fromPsa = (await tickets.CreateAsync(new NewTicket("demo", new Requester("Sam Lee", "sam@demo.example"), ticket.Summary, "Backups failed since Friday.", "connectwise:493", Channel.ConnectWise), time.GetUtcNow(), default)).Ticket;
        await links.LinkAsync("demo", "connectwise:493", fromPsa.TicketId, default);
        var result = await Changes(api).ApplyAsync(new PsaChange(PsaVendors.ConnectWise, "493", "alex"), workflow, default);
        Assert.Equal([TicketEvent.Plan, TicketEvent.Waiting], result.Delivered);
        Assert.Equal("Internal note in ConnectWise: Re-seeded the backup job.", workflow.Raised.First().Event.Note);
    }
}
