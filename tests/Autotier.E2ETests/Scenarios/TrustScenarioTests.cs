using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Autotier.E2ETests.Support;
using Azure.Data.Tables;
using Xunit;
using static Autotier.E2ETests.Support.ClockHostFixture;

namespace Autotier.E2ETests.Scenarios;

/// <summary>
/// tests/e2e/trust.test.ts on the local host with the virtual clock (docs/cutover-e2e-map.md gaps 2
/// to 4): unclear replies get one clarifying question, typed secrets are masked before anything
/// stores, mails or pages them, and engineers' internal notes never reach a requester.
/// </summary>
public sealed partial class TrustScenarioTests : IAsyncLifetime
{
    // A host per test (as LifecycleScenarioTests): each open ticket's timers slow every later advance
    // of a shared clock. The alerts fixture, so the masking test can read the Teams cards too.
    private readonly AlertsHostFixture host = new();

    /// <summary>Every requester this test mails: at its end none of their mails may carry an internal note.</summary>
    private readonly HashSet<string> requesters = new(StringComparer.OrdinalIgnoreCase);

    public Task InitializeAsync() => host.InitializeAsync();

    public Task DisposeAsync() => host.DisposeAsync();

    private Task<string> FileAsync(string email, string subject, string body)
    {
        requesters.Add(email);
        return host.FileAsync(email, subject, body);
    }

    private static JsonElement.ArrayEnumerator Timeline(JsonElement view) => view.GetProperty("timeline").EnumerateArray();

    private static bool TimelineSays(JsonElement view, string pattern) =>
        Timeline(view).Any(e => Regex.IsMatch(e.GetProperty("note").GetString() + " " + e.GetProperty("step").GetString(), pattern, RegexOptions.IgnoreCase));

    private static string? ResolvedBy(JsonElement view) =>
        view.GetProperty("resolution") is { ValueKind: JsonValueKind.Object } r ? r.GetProperty("by").GetString() : null;

    private static string Html(JsonElement mail) => mail.TryGetProperty("html", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString()! : "";

    private static async Task<string> ErrorOfAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString()!;

    /// <summary>The knowledge base's rows as stored (less the storage's own timestamp), to tell whether a guide was credited.</summary>
    private async Task<string[]> KbAsync()
    {
        var table = new TableClient(host.StorageConnection, host.Prefix + "Kb");
        var rows = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>())
            rows.Add(string.Join(";", row.Where(p => p.Key is not ("Timestamp" or "odata.etag")).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")));
        return [.. rows.Order(StringComparer.Ordinal)];
    }

    /// <summary>The TypeScript file's last test, run at the end of each: no mail to any requester of this run, text or HTML, carries an internal note.</summary>
    private async Task NoRequesterMailCarriesAnInternalNoteAsync(params string[] internalNotes)
    {
        Assert.NotEmpty(requesters);
        var mails = 0;
        foreach (var email in requesters)
            foreach (var mail in await host.OutboxAsync(email))
            {
                mails++;
                foreach (var part in new[] { ("text", Text(mail)), ("html", Html(mail)) })
                {
                    Assert.DoesNotMatch("INTERNAL-|ITGlue", part.Item2);
                    foreach (var note in internalNotes)
                        Assert.False(part.Item2.Contains(note, StringComparison.Ordinal), $"{Subject(mail)} ({part.Item1}) carries the internal note \"{note}\"");
                }
            }
        Assert.True(mails >= requesters.Count, "each requester was mailed at least once");
    }

    [Fact(Timeout = 280_000)]
    public async Task Unclear_replies_ok_and_a_question_mark_get_one_clarifying_question_then_go_to_a_person()
    {
        const string email = "unclear@demo.example";
        var id = await FileAsync(email, "Mouse not working", "My wireless mouse stopped working");
        await host.MailAsync(email, id, m => Text(m).Contains("answer=yes", StringComparison.Ordinal), "guide");

        Assert.Equal(HttpStatusCode.Accepted, (await host.EventAsync(id, new { type = "reply", from = email, text = "ok" })).StatusCode);
        var question = await host.MailAsync(email, id, m => Bare(m).StartsWith("Just checking: did the steps work?", StringComparison.Ordinal), "the clarifying question");
        Assert.Equal("awaiting_confirmation", await host.StageOfAsync(id));
        Link(question, "answer=yes");
        Link(question, "answer=no");
        Assert.Empty(await host.AlertsAsync(id));

        Assert.Equal(HttpStatusCode.Accepted, (await host.EventAsync(id, new { type = "reply", from = email, text = "?" })).StatusCode);
        var view = await host.StageAsync(id, "escalated");
        Assert.Contains("a person should read it", view.GetProperty("escalation").GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Single(await host.MailsAsync(email, id), m => Bare(m).StartsWith("Just checking", StringComparison.Ordinal));
        await host.AlertsWhenAsync(id, a => a.Contains("escalation@tier1"), "the escalation alert");
        await host.ResolveIfOpenAsync(id);
    }

    [Fact(Timeout = 280_000)]
    public async Task A_typed_password_or_code_is_masked_in_the_ticket_the_timeline_the_durable_history_every_mail_and_alert()
    {
        // Each secret is typed in one place: the ticket, a mail reply, a portal reply, a rating comment.
        // "sspr" is known to the demo tenant, so the lockout gets a guide and the "No." escalates it.
        const string email = "sspr@demo.example";
        var id = await FileAsync(email, "Can't sign in", "My new password Summer2024! doesn't work and the code was 483920. I'm locked out.");
        await host.MailAsync(email, id, m => Text(m).Contains("answer=no", StringComparison.Ordinal), "guide");
        Assert.Equal(HttpStatusCode.Accepted, (await host.EventAsync(id, new { type = "reply", from = email, text = "No. password: Hunter2$ still fails" })).StatusCode);
        var view = await host.StageAsync(id, "escalated");
        // The engineer sees that one was given and removed. The C# package carries the ticket's body
        // as escalation.ticket.body (the TypeScript one made it the first conversation entry).
        var escalation = view.GetProperty("escalation");
        var said = string.Join("\n", escalation.GetProperty("conversation").EnumerateArray().Select(c => c.GetProperty("text").GetString()).Prepend(escalation.GetProperty("ticket").GetProperty("body").GetString()));
        Assert.Contains("password [password removed] doesn't work", said, StringComparison.Ordinal);
        Assert.Contains("[code removed]", said, StringComparison.Ordinal);
        Assert.Contains("password: [password removed] still fails", said, StringComparison.Ordinal);
        await host.AlertsWhenAsync(id, a => a.Contains("escalation@tier1"), "the escalation alert");

        // The portal: a ticket filed on the form, then a reply typed on its status page.
        const string portalEmail = "portal-secret@demo.example";
        requesters.Add(portalEmail);
        using var portal = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.App.BaseAddress, Timeout = host.Http.Timeout };
        var form = await portal.GetStringAsync(new Uri("api/portal/demo", UriKind.Relative));
        var formToken = WebUtility.HtmlDecode(FormToken().Match(form).Groups[1].Value);
        Assert.NotEmpty(formToken);
        using var filed = await portal.PostAsync(new Uri("api/portal/demo/tickets", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["form"] = formToken, ["email"] = portalEmail, ["subject"] = "File server down", ["description"] = "The file server is down and nobody can open the shared drive",
        }));
        Assert.Equal(HttpStatusCode.SeeOther, filed.StatusCode);
        var statusUrl = filed.Headers.Location!.ToString();
        var portalId = PortalTicket().Match(statusUrl).Groups[1].Value;
        await host.RestAsync(portalId);
        using var replied = await portal.PostAsync(new Uri(statusUrl), new FormUrlEncodedContent(new Dictionary<string, string> { ["action"] = "reply", ["text"] = "Tried again, my new password is Tulip88! and it fails too" }));
        Assert.Equal(HttpStatusCode.OK, replied.StatusCode);
        await host.App.VirtualClock!.SettledAsync();
        // The ticket view carries no conversation (the C# package is built at the escalation, before
        // this reply): the status page shows it, as the workflow recorded it.
        await host.ViewWhenAsync(portalId, v => TimelineSays(v, "reply from the requester"), "the portal reply on the timeline");
        var statusPage = WebUtility.HtmlDecode(await portal.GetStringAsync(new Uri(statusUrl)));
        Assert.Contains("my new password is [password removed] and it fails too", statusPage, StringComparison.Ordinal);

        // A rating comment on a mouse ticket the guide fixed.
        const string rater = "rater@demo.example";
        requesters.Add(rater);
        var rated = await host.FixedMouseAsync(rater);
        var closing = await host.MailAsync(rater, rated, m => Text(m).Contains("/rate?score=", StringComparison.Ordinal), "the rating link");
        using var rating = await host.Http.PostAsync(new Uri(Link(closing, "/rate?score=4")), new FormUrlEncodedContent(new Dictionary<string, string> { ["score"] = "5", ["comment"] = "Quick! My password is Rate2024x! by the way" }));
        Assert.Equal(HttpStatusCode.OK, rating.StatusCode);
        var ratedView = await host.ViewWhenAsync(rated, v => TimelineSays(v, "rated the support"), "the rating on the timeline");
        Assert.Contains("[password removed]", ratedView.ToString(), StringComparison.Ordinal);

        // Let every timer and queue delivery this run started finish (the alert cards, the outbox).
        await host.AdvanceAsync(TimeSpan.FromMinutes(5));

        var secrets = new Regex("Summer2024|483920|Hunter2|Tulip88|Rate2024x");
        var tickets = new[] { id, portalId, rated };
        foreach (var ticket in tickets)
        {
            var shown = await host.ViewAsync(ticket);
            Assert.False(secrets.IsMatch(shown.ToString()), $"the view of {ticket}: {shown}");
        }
        // The Durable history and everything else the app stored: every table and blob of the account.
        var stored = await StorageScan.AllAsync(host.StorageConnection, CancellationToken.None);
        Assert.Contains(stored, s => s.Where.StartsWith($"table {host.Prefix}History ", StringComparison.OrdinalIgnoreCase) && s.Text.Contains(id, StringComparison.Ordinal));
        Assert.Contains(stored, s => s.Where.StartsWith($"table {host.Prefix}Tickets ", StringComparison.OrdinalIgnoreCase) && s.Text.Contains("[password removed]", StringComparison.Ordinal));
        Assert.Empty(stored.Where(s => secrets.IsMatch(s.Text)).Select(s => s.Where));
        // Every mail: to the requesters and to tier 1 (the alert mail).
        foreach (var to in requesters.Append("tier1@msp.example"))
            foreach (var mail in await host.OutboxAsync(to))
                Assert.False(secrets.IsMatch(Subject(mail) + Text(mail) + Html(mail)), $"mail to {to}: {Subject(mail)}");
        Assert.NotEmpty(await host.OutboxAsync("tier1@msp.example"));
        // The alerts as they went out: the Teams cards.
        Assert.NotEmpty(host.Teams.Posts);
        foreach (var post in host.Teams.Posts)
            Assert.False(secrets.IsMatch(post.Body.GetRawText()), $"Teams card to {post.Path}");
        await host.ResolveIfOpenAsync(id, portalId);
    }

    [GeneratedRegex("name=\"form\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();

    [GeneratedRegex(@"/tickets/(T-\d+)\?token=")]
    private static partial Regex PortalTicket();

    [Fact(Timeout = 280_000)]
    public async Task An_engineers_fix_while_the_requester_has_the_guide_is_the_engineers_resolution_not_the_requesters_yes()
    {
        const string email = "fixed-by-priya@demo.example";
        var id = await FileAsync(email, "Printer offline", "The reception printer shows offline");
        var guide = await host.MailAsync(email, id, m => Text(m).Contains("Did this resolve your issue?", StringComparison.Ordinal), "guide");
        Assert.Equal("awaiting_confirmation", await host.StageOfAsync(id));
        var kb = await KbAsync();
        Assert.NotEmpty(kb);

        var res = await host.EventAsync(id, new
        {
            type = "resolved", by = "Priya",
            note = "INTERNAL-1 power-cycled the print server; admin pw is in ITGlue",
            publicNote = "We restarted the printer from our side; it is back online.",
        });
        Assert.Equal(HttpStatusCode.Accepted, res.StatusCode);
        await host.StageAsync(id, "resolved");
        var view = await host.ViewWhenAsync(id, v => ResolvedBy(v) is not null, "the resolution");
        Assert.Equal("engineer", ResolvedBy(view));
        Assert.Contains("INTERNAL-1", view.GetProperty("resolution").GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.False(TimelineSays(view, "resolved confirmed|requester confirmed"), view.ToString());
        Assert.True(TimelineSays(view, "resolved by (the )?engineer|resolved by Priya"), view.ToString());
        Assert.Equal(kb, await KbAsync());

        var last = await host.MailAsync(email, id, m => Subject(m) == $"[#{id}] Resolved: Printer offline", "the resolution mail");
        Assert.Contains("We restarted the printer from our side", Text(last), StringComparison.Ordinal);
        Assert.DoesNotMatch("What fixed it: .*Printer", Text(last));
        Assert.DoesNotContain(guide.GetProperty("subject").GetString()!.Split("] ")[1], Text(last), StringComparison.Ordinal);
        await NoRequesterMailCarriesAnInternalNoteAsync("power-cycled the print server");
    }

    [Fact(Timeout = 280_000)]
    public async Task A_plan_while_the_ticket_awaits_confirmation_answers_409_and_changes_nothing()
    {
        const string email = "early-plan@demo.example";
        var id = await FileAsync(email, "Mouse not working", "My wireless mouse stopped working");
        await host.MailAsync(email, id, m => Text(m).Contains("answer=yes", StringComparison.Ordinal), "guide");
        var mails = (await host.MailsAsync(email, id)).Length;
        var before = await host.ViewAsync(id);

        var res = await host.EventAsync(id, new { type = "plan", by = "Priya", note = "INTERNAL-E checking the receiver logs" });
        Assert.Equal(HttpStatusCode.Conflict, res.StatusCode);
        Assert.Matches("awaiting confirmation; a plan is recorded only while it is escalated", await ErrorOfAsync(res));
        var view = await host.ViewAsync(id);
        Assert.Equal("awaiting_confirmation", view.GetProperty("stage").GetString());
        Assert.False(TimelineSays(view, "Plan recorded"), view.ToString());
        Assert.Equal(Timeline(before).Count(), Timeline(view).Count());
        Assert.Equal(before.GetProperty("tier").GetRawText(), view.GetProperty("tier").GetRawText());
        Assert.Equal(mails, (await host.MailsAsync(email, id)).Length);
        await NoRequesterMailCarriesAnInternalNoteAsync("checking the receiver logs");
    }

    [Fact(Timeout = 280_000)]
    public async Task Internal_notes_reach_the_timeline_the_requester_reads_only_public_notes_through_a_reopen()
    {
        const string email = "notes@demo.example";
        var id = await FileAsync(email, "Shared drive slow", "The file server share is very slow today");
        var escalated = await host.StageAsync(id, "escalated");
        var tier = escalated.GetProperty("tier").GetInt32();

        // A plan with no public note: the requester hears that someone picked it up, and nothing more.
        Assert.Equal(HttpStatusCode.Accepted, (await host.EventAsync(id, new { type = "plan", by = "Priya", note = "INTERNAL-A local admin pw is in ITGlue" })).StatusCode);
        var pickedUp = await host.MailAsync(email, id, m => Bare(m).StartsWith("We're working on it", StringComparison.Ordinal), "the picked-up mail");
        Assert.Contains("An engineer has picked up your request", Text(pickedUp), StringComparison.Ordinal);
        Assert.Equal(tier, (await host.ViewAsync(id)).GetProperty("tier").GetInt32());

        Assert.Equal(HttpStatusCode.Accepted, (await host.EventAsync(id, new { type = "plan", by = "Priya", note = "INTERNAL-B check RAID", publicNote = "PUBLIC-B We are checking the disks tonight." })).StatusCode);
        await host.MailAsync(email, id, m => Text(m).Contains("PUBLIC-B We are checking the disks tonight.", StringComparison.Ordinal), "the public note");
        var view = await host.ViewWhenAsync(id, v => TimelineSays(v, "INTERNAL-B"), "the second plan on the timeline");
        Assert.True(TimelineSays(view, "INTERNAL-A"), "internal notes are on the timeline");

        Assert.Equal(HttpStatusCode.Accepted, (await host.EventAsync(id, new { type = "resolved", by = "Priya", note = "INTERNAL-C replaced disk 3" })).StatusCode);
        await host.MailAsync(email, id, m => Bare(m) == "Resolved: Shared drive slow", "the resolution mail");
        Assert.Equal("engineer", ResolvedBy(await host.ViewWhenAsync(id, v => ResolvedBy(v) is not null, "the resolution")));

        // Reopened, past the tier's time limit, resolved again with a public note.
        Assert.Equal(HttpStatusCode.Accepted, (await host.EventAsync(id, new { type = "reply", from = email, text = "It is broken again" })).StatusCode);
        await host.StageAsync(id, "escalated");
        await host.MailAsync(email, id, m => Bare(m).StartsWith("Reopened", StringComparison.Ordinal), "the reopened mail");
        await host.AdvanceAsync(TimeSpan.FromHours(3));
        Assert.Equal(HttpStatusCode.Accepted, (await host.EventAsync(id, new
        {
            type = "resolved", by = "Sam", note = "INTERNAL-D moved the share to the new NAS", publicNote = "PUBLIC-D The share now lives on a faster disk.",
        })).StatusCode);
        await host.MailAsync(email, id, m => Text(m).Contains("PUBLIC-D", StringComparison.Ordinal), "the second resolution's public note");
        Assert.Contains("PUBLIC-D", Text((await host.MailsAsync(email, id))[^1]), StringComparison.Ordinal);
        await NoRequesterMailCarriesAnInternalNoteAsync("check RAID", "replaced disk 3", "moved the share to the new NAS");
    }
}
