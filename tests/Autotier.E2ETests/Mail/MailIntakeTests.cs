using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Autotier.Adapters.Mail;
using Autotier.Application.Ports;
using Autotier.LocalHost;
using Autotier.TestSupport.Mail;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Xunit.Abstractions;

namespace Autotier.E2ETests.Mail;

/// <summary>
/// The TypeScript tests/e2e/mail.test.ts against the local host over HTTP: raw MIME, SendGrid
/// Inbound Parse, threading, review, and issue #33's fixes for mail (no mail can stall the app,
/// bodies bounded as they arrive, JSON or a wrong type refused, any text a ticket).
/// </summary>
[Collection(MailHostFixture.Collection)]
public sealed partial class MailIntakeTests(MailHostFixture host, ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    internal static string Fixture(string name) =>
        Encoding.Latin1.GetString(File.ReadAllBytes(Path.Combine(RepositoryRoot.Find(), "tests", "fixtures", "mail", name)));

    internal static string Basic(string pair) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(pair));

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(byte[] body, string? auth = "inbound:mail-secret-0", string type = "message/rfc822")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("api/mail/inbound", UriKind.Relative));
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
        if (auth is not null) request.Headers.TryAddWithoutValidation("Authorization", Basic(auth));
        using var response = await host.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonElement.Parse(text) : default);
    }

    private Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string mime, string? auth = "inbound:mail-secret-0", string type = "message/rfc822") =>
        PostAsync(Encoding.Latin1.GetBytes(mime), auth, type);

    private async Task<JsonElement[]> OutboxAsync(string to) =>
        (await host.Http.GetFromJsonAsync<JsonElement[]>(new Uri($"api/dev/outbox?to={Uri.EscapeDataString(to)}", UriKind.Relative)))!;

    /// <summary>The ticket id of the acknowledgement mailed to <paramref name="to"/> (waits for it).</summary>
    private async Task<string> AcknowledgedAsync(string to)
    {
        using var cts = new CancellationTokenSource(Bound);
        while (true)
        {
            var ack = (await OutboxAsync(to)).FirstOrDefault(m => m.GetProperty("subject").GetString()!.Contains("We've got your request", StringComparison.Ordinal));
            if (ack.ValueKind == JsonValueKind.Object) return TicketToken().Match(ack.GetProperty("subject").GetString()!).Groups[1].Value;
            await Task.Delay(100, cts.Token);
        }
    }

    private async Task<JsonElement> TicketAsync(string id) =>
        await host.Http.GetFromJsonAsync<JsonElement>(new Uri($"api/tickets/{id}", UriKind.Relative));

    private async Task StageAsync(string id, string stage)
    {
        using var cts = new CancellationTokenSource(Bound);
        while ((await TicketAsync(id)).GetProperty("stage").GetString() != stage) await Task.Delay(100, cts.Token);
    }

    private async Task<JsonElement> GuideAsync(string to, string id)
    {
        using var cts = new CancellationTokenSource(Bound);
        while (true)
        {
            var guide = (await OutboxAsync(to)).FirstOrDefault(m => m.GetProperty("subject").GetString()!.Contains(id, StringComparison.Ordinal)
                && m.GetProperty("text").GetString()!.Contains("Did this resolve your issue?", StringComparison.Ordinal));
            if (guide.ValueKind == JsonValueKind.Object) return guide;
            await Task.Delay(100, cts.Token);
        }
    }

    private async Task<List<string>> ReviewReasonsAsync()
    {
        var reasons = new List<string>();
        var table = host.Tables.GetTableClient("autotierReview");
        await foreach (var row in table.QueryAsync<TableEntity>()) reasons.Add(row.GetString("Reason"));
        return reasons;
    }

    private async Task WaitForReviewAsync(string reason)
    {
        using var cts = new CancellationTokenSource(Bound);
        while (!(await ReviewReasonsAsync()).Contains(reason)) await Task.Delay(100, cts.Token);
    }

    /// <summary>Waits until the mail queue is empty and stays so for a moment (every accepted mail handled).</summary>
    private async Task DrainAsync()
    {
        var queue = new QueueClient(host.App.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["AzureWebJobsStorage"], "autotier-intake-mail");
        using var cts = new CancellationTokenSource(Bound);
        var quiet = 0;
        while (quiet < 3)
        {
            var props = await queue.GetPropertiesAsync(cts.Token);
            quiet = props.Value.ApproximateMessagesCount == 0 ? quiet + 1 : 0;
            await Task.Delay(300, cts.Token);
        }
    }

    /// <summary>A requester of the demo client of its own per test, so tests do not see each other's mail.</summary>
    private static string Plain(string requester, string messageId) =>
        Fixture("plain.eml").Replace("Kim.Park@demo.example", requester, StringComparison.Ordinal).Replace("plain-001@demo.example", messageId, StringComparison.Ordinal);

    [Fact(Timeout = 120_000)]
    public async Task A_raw_MIME_mail_becomes_one_ticket_however_often_it_arrives()
    {
        var mail = Plain("kim.once@demo.example", "once-001@demo.example");
        var first = await PostAsync(mail);
        Assert.Equal(HttpStatusCode.Accepted, first.Status);
        Assert.True(first.Body.GetProperty("accepted").GetBoolean());
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(mail)).Status);
        var id = await AcknowledgedAsync("kim.once@demo.example");
        await DrainAsync();
        var acks = (await OutboxAsync("kim.once@demo.example")).Count(m => m.GetProperty("subject").GetString()!.Contains("We've got your request", StringComparison.Ordinal));
        Assert.Equal(1, acks);
        var ack = (await OutboxAsync("kim.once@demo.example")).First();
        Assert.Contains("Printer at reception shows offline", ack.GetProperty("subject").GetString(), StringComparison.Ordinal);
        var view = await TicketAsync(id);
        Assert.Equal("printer_peripheral", view.GetProperty("category").GetString());
        Assert.Equal("email", view.GetProperty("channel").GetString());
    }

    [Fact(Timeout = 180_000)]
    public async Task An_Outlook_reply_threads_by_In_Reply_To_onto_its_ticket_without_the_quoted_history()
    {
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(Plain("kim.outlook@demo.example", "outlook-001@demo.example"))).Status);
        var id = await AcknowledgedAsync("kim.outlook@demo.example");
        await GuideAsync("kim.outlook@demo.example", id);
        var reply = Fixture("reply-outlook.eml")
            .Replace("kim.park@demo.example", "kim.outlook@demo.example", StringComparison.Ordinal)
            .Replace("T-PLACEHOLDER", id, StringComparison.Ordinal)
            .Replace("REPLY-TO-PLACEHOLDER", "outlook-001@demo.example", StringComparison.Ordinal)
            .Replace($"Subject: RE: [#{id}]", "Subject: RE:", StringComparison.Ordinal); // no token: In-Reply-To alone must thread it
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(reply)).Status);
        await StageAsync(id, "escalated");
        // The same reply again (a redelivery): taken in once.
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(reply)).Status);
        await DrainAsync();
        Assert.Single((await TicketAsync(id)).GetProperty("timeline").EnumerateArray(),
            l => l.GetProperty("note").GetString()!.StartsWith("Reply from the requester", StringComparison.Ordinal));
        var ticket = await host.App.Services.GetRequiredService<ITicketStore>().GetAsync(id, CancellationToken.None);
        Assert.NotNull(ticket);
        var timeline = string.Join(" | ", (await TicketAsync(id)).GetProperty("timeline").EnumerateArray().Select(l => l.GetProperty("note").GetString()));
        Assert.DoesNotContain("Did this resolve your issue", timeline, StringComparison.Ordinal);
    }

    [Fact(Timeout = 180_000)]
    public async Task A_reply_threads_by_its_subject_token_when_the_headers_are_gone()
    {
        var mail = Plain("kim.token@demo.example", "token-001@demo.example");
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(mail)).Status);
        var id = await AcknowledgedAsync("kim.token@demo.example");
        await GuideAsync("kim.token@demo.example", id);
        var reply = Fixture("reply-gmail.eml")
            .Replace("kim.park@demo.example", "kim.token@demo.example", StringComparison.Ordinal)
            .Replace("T-PLACEHOLDER", id, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(reply)).Status);
        await StageAsync(id, "resolved");
    }

    [Fact(Timeout = 180_000)]
    public async Task A_colleague_the_requester_copied_may_answer_and_anyone_elses_reply_goes_to_review()
    {
        var original = Plain("lee.wong@demo.example", "cc-001@demo.example")
            .Replace("To: support@msp.example", "To: support@msp.example\r\nCc: Office Manager <Manager.cc@demo.example>", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(original)).Status);
        var id = await AcknowledgedAsync("lee.wong@demo.example");
        await GuideAsync("lee.wong@demo.example", id);
        string Reply(string from, string messageId, string text) => string.Join("\r\n",
            $"From: {from}", "To: support@msp.example", $"Subject: Re: [#{id}] Printer at reception shows offline",
            $"Message-ID: <{messageId}@demo.example>", "In-Reply-To: <cc-001@demo.example>", "Content-Type: text/plain; charset=utf-8", "", text);

        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(Reply("Pat <pat@demo.example>", "cc-stranger", "Thanks, fixed!"))).Status);
        await WaitForReviewAsync($"a reply to {id} from pat@demo.example, who is neither its requester nor on its thread");
        Assert.Equal("awaiting_confirmation", (await TicketAsync(id)).GetProperty("stage").GetString());

        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(Reply("manager.cc@demo.example", "cc-manager", "Thanks, all working now"))).Status);
        await StageAsync(id, "resolved");
    }

    [Fact(Timeout = 120_000)]
    public async Task Attachments_are_kept_in_Blob_storage_with_the_ticket()
    {
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(Fixture("attachments.eml"))).Status);
        var id = await AcknowledgedAsync("sam.lee@demo.example");
        using var cts = new CancellationTokenSource(Bound);
        JsonElement[] files;
        while ((files = [.. (await TicketAsync(id)).GetProperty("attachments").EnumerateArray()]).Length == 0) await Task.Delay(100, cts.Token);
        Assert.Equal(["invoice-2231.pdf"], files.Select(f => f.GetProperty("filename").GetString()));
        var container = new Azure.Storage.Blobs.BlobContainerClient(
            host.App.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["AzureWebJobsStorage"], "autotier-mail");
        var names = new List<string>();
        await foreach (var b in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, $"attachments/{id}/", CancellationToken.None)) names.Add(b.Name);
        var name = Assert.Single(names);
        var bytes = (await container.GetBlobClient(name).DownloadContentAsync()).Value.Content.ToArray();
        Assert.Equal("%PDF-"u8.ToArray(), bytes[..5]);
    }

    [Fact(Timeout = 120_000)]
    public async Task SendGrid_Inbound_Parse_raw_mode_takes_the_email_field_and_a_forward_keeps_its_content()
    {
        var boundary = "----autotierTestBoundary7MA4YWxk";
        var form = $"--{boundary}\r\nContent-Disposition: form-data; name=\"to\"\r\n\r\nsupport@msp.example\r\n"
            + $"--{boundary}\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\n{Fixture("forwarded.eml")}\r\n--{boundary}--\r\n";
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(form, type: $"multipart/form-data; boundary={boundary}")).Status);
        await AcknowledgedAsync("manager@demo.example");
        var subject = (await OutboxAsync("manager@demo.example"))[0].GetProperty("subject").GetString()!;
        Assert.Contains("Printer error 49.4C02", subject, StringComparison.Ordinal);
        Assert.DoesNotContain("Fwd", subject, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task SendGrids_own_sample_deliveries_with_boundary_xYzZY_case_and_all_are_taken_and_kept_for_review()
    {
        var ids = new List<string>();
        foreach (var sample in new[] { "raw_data.txt", "raw_data_with_attachments.txt" })
        {
            // Stored with LF line ends; on the wire a form uses CRLF.
            var body = LineEnds().Replace(File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "tests", "fixtures", "sendgrid", sample)), "\r\n");
            var (status, json) = await PostAsync(Encoding.UTF8.GetBytes(body), "inbound:mail-secret-1", "multipart/form-data; boundary=xYzZY");
            Assert.True(status == HttpStatusCode.Accepted, $"{sample}: {status} {json}");
            ids.Add(json.GetProperty("id").GetString()!);
        }
        await DrainAsync();
        // The samples come from example.com, which no client owns: kept whole for review, not lost.
        var review = host.Tables.GetTableClient("autotierReview");
        foreach (var id in ids)
        {
            var row = await review.GetEntityIfExistsAsync<TableEntity>("review", $"mail|{id}");
            Assert.True(row.HasValue, id);
            Assert.Equal("no client has the mail domain example.com", row.Value!.GetString("Reason"));
            Assert.StartsWith("raw/", row.Value.GetString("Blob"), StringComparison.Ordinal);
        }
        // A boundary in another case is another boundary: no email field found.
        var lower = LineEnds().Replace(File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "tests", "fixtures", "sendgrid", "raw_data.txt")), "\r\n");
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(Encoding.UTF8.GetBytes(lower), type: "multipart/form-data; boundary=xyzzy")).Status);
    }

    [Fact(Timeout = 180_000)]
    public async Task Real_world_mail_from_a_public_parser_test_suite_is_each_a_ticket_a_review_or_ignored()
    {
        var dir = Path.Combine(RepositoryRoot.Find(), "tests", "fixtures", "mail", "public");
        var files = Directory.GetFiles(dir, "*.eml");
        Assert.True(files.Length >= 9);
        foreach (var file in files)
        {
            var (status, body) = await PostAsync(File.ReadAllBytes(file));
            Assert.True(status is HttpStatusCode.Accepted or HttpStatusCode.BadRequest, $"{Path.GetFileName(file)}: {status} {body}");
        }
        await DrainAsync();
        var poison = new QueueClient(host.App.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["AzureWebJobsStorage"], "autotier-intake-mail-poison");
        Assert.False(await poison.ExistsAsync() && (await poison.GetPropertiesAsync()).Value.ApproximateMessagesCount > 0, "nothing went to poison");
    }

    [Fact(Timeout = 120_000)]
    public async Task Out_of_office_replies_are_left_alone_and_mail_from_an_unknown_domain_is_kept_for_review()
    {
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(Fixture("out-of-office.eml").Replace("kim.park@demo.example", "kim.away@demo.example", StringComparison.Ordinal))).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(Plain("someone@unknown.example", "stranger-001@unknown.example"))).Status);
        // Our own mail coming back (a loop): left alone, not even kept for review.
        var loop = Plain("support@msp.example", "loop-001@msp.example").Replace("To: support@msp.example", "To: kim.loop@demo.example", StringComparison.Ordinal);
        var (_, loopBody) = await PostAsync(loop);
        await WaitForReviewAsync("no client has the mail domain unknown.example");
        await DrainAsync();
        Assert.Empty(await OutboxAsync("someone@unknown.example"));
        Assert.Empty(await OutboxAsync("kim.away@demo.example"));
        Assert.False((await host.Tables.GetTableClient("autotierReview").GetEntityIfExistsAsync<TableEntity>("review", $"mail|{loopBody.GetProperty("id").GetString()!}")).HasValue);
    }

    [Fact(Timeout = 120_000)]
    public async Task Answers_401_without_the_secret_400_to_what_is_not_a_mail_415_to_JSON_or_a_wrong_type_and_413_over_25_MB()
    {
        var plain = Fixture("plain.eml");
        var unauthorized = await PostAsync(plain, auth: null);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.Status);
        Assert.Equal("unauthorized", unauthorized.Body.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(plain, auth: "inbound:guess")).Status);
        var notMail = await PostAsync("just some words", type: "text/plain");
        Assert.Equal(HttpStatusCode.BadRequest, notMail.Status);
        Assert.Contains("not a MIME message", notMail.Body.GetProperty("error").GetString(), StringComparison.Ordinal);
        // Issue #33, fix 6: JSON is not a mail, whatever type it claims.
        var json = "{\"from\":\"kim@demo.example\",\"subject\":\"x\",\"body\":\"y\"}";
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await PostAsync(json, type: "application/json")).Status);
        var jsonAsMail = await PostAsync(json, type: "message/rfc822");
        Assert.Equal(HttpStatusCode.BadRequest, jsonAsMail.Status);
        Assert.Contains("JSON", jsonAsMail.Body.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await PostAsync(plain, type: "image/png")).Status);
        var tooLarge = new byte[26 * 1024 * 1024];
        Array.Fill(tooLarge, (byte)'a');
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await PostAsync(tooLarge)).Status);
        // Without credentials nothing is read: 401, not 413.
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(tooLarge, auth: null)).Status);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_body_over_the_limit_without_a_length_is_refused_as_it_arrives()
    {
        // Chunked: no Content-Length to check first; the read stops at the limit.
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("api/mail/inbound", UriKind.Relative));
        request.Content = new StreamContent(new EndlessHeaders(26L * 1024 * 1024));
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "message/rfc822");
        request.Headers.TransferEncodingChunked = true;
        request.Headers.TryAddWithoutValidation("Authorization", Basic("inbound:mail-secret-0"));
        using var response = await host.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    /// <summary>Header lines, <paramref name="total"/> bytes of them, of no declared length.</summary>
    private sealed class EndlessHeaders(long total) : Stream
    {
        private long sent;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => sent; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (sent >= total) return 0;
            var line = "X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n"u8;
            var n = 0;
            while (n + line.Length <= count) { line.CopyTo(buffer.AsSpan(offset + n)); n += line.Length; }
            sent += n;
            return n;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static string HtmlMail(string from, string messageId, string subject, string html) => string.Join("\r\n",
        $"From: {from}", "To: support@msp.example", $"Subject: {subject}", $"Message-ID: <{messageId}>", "MIME-Version: 1.0",
        "Content-Type: text/html; charset=utf-8", "", html);

    /// <summary>
    /// Issue #33, fix 2: a 5.8 MB HTML table and a 1.1 MB nest of divs. The HTTP function only stores
    /// and queues; the mail queue parses within limits. Other routes keep answering meanwhile, and
    /// both mails become tickets whose text is cut with a note.
    /// </summary>
    [Fact(Timeout = 180_000)]
    public async Task No_mail_can_stall_the_app_a_huge_HTML_table_and_a_deep_nest_of_divs_still_become_tickets()
    {
        var table = HtmlMail("big.table@demo.example", "table-001@demo.example", "Printer log attached", PathologicalHtml.HugeTable(5_800_000));
        var divs = HtmlMail("deep.divs@demo.example", "divs-001@demo.example", "VPN keeps dropping", PathologicalHtml.DivNest(1_100_000));
        var clock = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(Encoding.UTF8.GetBytes(table))).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(Encoding.UTF8.GetBytes(divs))).Status);
        output.WriteLine($"both accepted in {clock.ElapsedMilliseconds} ms");

        // While the queue works on them, health and the ticket API answer.
        var slowest = TimeSpan.Zero;
        var tableId = (string?)null;
        var divsId = (string?)null;
        using var cts = new CancellationTokenSource(Bound);
        while (tableId is null || divsId is null)
        {
            var probe = Stopwatch.StartNew();
            using (var health = await host.Http.GetAsync(new Uri("api/health", UriKind.Relative), cts.Token)) Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            if (probe.Elapsed > slowest) slowest = probe.Elapsed;
            tableId ??= await AckOrNullAsync("big.table@demo.example");
            divsId ??= await AckOrNullAsync("deep.divs@demo.example");
            await Task.Delay(50, cts.Token);
        }
        output.WriteLine($"both tickets in {clock.ElapsedMilliseconds} ms; slowest health answer {slowest.TotalMilliseconds:F0} ms");
        Assert.True(slowest < TimeSpan.FromSeconds(2), $"health took {slowest}");
        var tickets = host.App.Services.GetRequiredService<ITicketStore>();
        var tableTicket = (await tickets.GetAsync(tableId, CancellationToken.None))!;
        Assert.StartsWith("The printer in room 4 is jammed", tableTicket.Body, StringComparison.Ordinal);
        Assert.True(tableTicket.Body.Length <= 20_000);
        var divsTicket = (await tickets.GetAsync(divsId, CancellationToken.None))!;
        Assert.StartsWith("VPN drops every hour.", divsTicket.Body, StringComparison.Ordinal);
        Assert.EndsWith(BoundedHtmlText.CutNote, divsTicket.Body, StringComparison.Ordinal);
    }

    private async Task<string?> AckOrNullAsync(string to)
    {
        var ack = (await OutboxAsync(to)).FirstOrDefault(m => m.GetProperty("subject").GetString()!.Contains("We've got your request", StringComparison.Ordinal));
        return ack.ValueKind == JsonValueKind.Object ? TicketToken().Match(ack.GetProperty("subject").GetString()!).Groups[1].Value : null;
    }

    [Fact(Timeout = 120_000)]
    public async Task Line_separators_in_a_body_still_make_a_ticket_and_control_and_bidi_characters_in_the_subject_and_name_are_replaced()
    {
        // Encoded words can carry anything: CR, LF, a right-to-left override, a line separator.
        static string Encoded(string s) => "=?utf-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(s)) + "?=";
        var mail = string.Join("\r\n",
            $"From: {Encoded("Eve\r\nBcc: all@demo.example \u202eNaive")} <eve.bidi@demo.example>", "To: support@msp.example",
            $"Subject: {Encoded("Printer\r\nBcc: x@y\u2028offline \u202egnp.exe")}", "Message-ID: <bidi-001@demo.example>", "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64", "",
            Convert.ToBase64String(Encoding.UTF8.GetBytes("The printer\u2028at reception\u2029shows offline since this morning.")));
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(mail)).Status);
        var id = await AcknowledgedAsync("eve.bidi@demo.example");
        var ticket = (await host.App.Services.GetRequiredService<ITicketStore>().GetAsync(id, CancellationToken.None))!;
        foreach (var field in new[] { ticket.Subject, ticket.Requester.Name ?? "" })
            Assert.DoesNotMatch(@"[\r\n\u2028\u2029\u202a-\u202e\u2066-\u2069]", field);
        Assert.Contains("Printer", ticket.Subject, StringComparison.Ordinal);
        Assert.Contains("shows offline", ticket.Body, StringComparison.Ordinal);
    }

    /// <summary>
    /// Seeded fuzz over the real fixtures (truncations, flipped bytes, inserted controls and
    /// separators, stray boundaries): every answer is a 202 or a 4xx with <c>{error}</c>, and every
    /// accepted mail is handled (none left retrying, none in poison).
    /// </summary>
    private static readonly string[] FuzzSeeds = ["plain.eml", "html-tracking.eml", "attachments.eml", "latin1.eml", "iso2022jp.eml", "reply-outlook.eml"];

    [Fact(Timeout = 300_000)]
    public async Task Seeded_fuzz_of_real_mail_gets_no_5xx_and_leaves_nothing_retrying()
    {
        var random = new Random(33);
        var seeds = FuzzSeeds.Select(f => Encoding.Latin1.GetBytes(Fixture(f).Replace("demo.example", "fuzz.example", StringComparison.Ordinal))).ToArray();
        byte[][] inserts = [[0], [(byte)'\r'], [0xE2, 0x80, 0xA8], [0xE2, 0x80, 0xAE], "\r\n--"u8.ToArray(), "=?utf-8?B?"u8.ToArray(), "<div>"u8.ToArray(), [0xFF, 0xFE]];
        for (var i = 0; i < 60; i++)
        {
            var mail = seeds[random.Next(seeds.Length)].ToList();
            switch (random.Next(4))
            {
                case 0:
                    mail = mail.Take(random.Next(1, mail.Count)).ToList();
                    break;
                case 1:
                    for (var k = 0; k < 20; k++) mail[random.Next(mail.Count)] = (byte)random.Next(256);
                    break;
                default:
                    for (var k = 0; k < 5; k++) mail.InsertRange(random.Next(mail.Count), inserts[random.Next(inserts.Length)]);
                    break;
            }
            var (status, body) = await PostAsync([.. mail]);
            Assert.True(status == HttpStatusCode.Accepted || ((int)status is >= 400 and < 500 && body.TryGetProperty("error", out _)), $"mutation {i}: {status}");
        }
        await DrainAsync();
        var poison = new QueueClient(host.App.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["AzureWebJobsStorage"], "autotier-intake-mail-poison");
        Assert.False(await poison.ExistsAsync() && (await poison.GetPropertiesAsync()).Value.ApproximateMessagesCount > 0, "nothing went to poison");
    }

    [GeneratedRegex(@"\[#(T-\d+)\]")]
    private static partial Regex TicketToken();

    [GeneratedRegex(@"\r?\n")]
    private static partial Regex LineEnds();
}
