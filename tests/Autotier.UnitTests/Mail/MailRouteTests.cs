using System.Text;
using Autotier.Application.Mail;
using Autotier.Functions.Mail;
using Autotier.TestSupport.Fakes;
using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Autotier.UnitTests.Mail;

/// <summary>
/// The mail routes when storage is down (issue #33: 503 with Retry-After, and nothing lost: a mail
/// is acknowledged only once it is stored and queued, so a retry of the same mail lands once).
/// </summary>
public sealed class MailRouteTests
{
    private sealed class FlakyStore(int failures, Exception error) : IMailStore
    {
        private int left = failures;
        public Dictionary<string, byte[]> Blobs { get; } = [];

        public Task<string> PutRawAsync(ReadOnlyMemory<byte> mime, CancellationToken cancellationToken)
        {
            if (left-- > 0) throw error;
            var name = "raw/" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(mime.Span)) + ".eml";
            Blobs[name] = mime.ToArray();
            return Task.FromResult(name);
        }

        public Task<byte[]?> GetRawAsync(string blob, CancellationToken cancellationToken) => Task.FromResult(Blobs.GetValueOrDefault(blob));

        public Task<string> PutAttachmentAsync(string ticketId, Autotier.Domain.Mail.MailAttachment attachment, CancellationToken cancellationToken) =>
            Task.FromResult($"attachments/{ticketId}/{attachment.Filename}");
    }

    private sealed class FlakyInbox(int failures) : IMailInbox
    {
        private int left = failures;
        public List<MailIntakeMessage> Sent { get; } = [];

        public Task EnqueueAsync(MailIntakeMessage message, CancellationToken cancellationToken)
        {
            if (left-- > 0) throw new RequestFailedException(503, "Server busy");
            Sent.Add(message);
            return Task.CompletedTask;
        }
    }

    private sealed class NoSubscriptions : IGraphSubscriptionStore
    {
        public Task<GraphSubscription?> GetAsync(CancellationToken cancellationToken) => Task.FromResult<GraphSubscription?>(null);
        public Task PutAsync(GraphSubscription subscription, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private static MailFunctions Functions(IMailStore store, IMailInbox inbox)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-03-02T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var graph = new GraphMailSettings(["state"], "http://127.0.0.1:7071");
        return new MailFunctions(
            new MailRouteSettings(["inbound:secret"], graph), store, inbox,
            new GraphNotifications(graph, inbox, new GraphSubscriptionKeeper(null, new NoSubscriptions(), graph, time), time, NullLogger<GraphNotifications>.Instance),
            new DeliveryReports(null, new InMemoryTicketStore(), new RecordingNotifier(), time, NullLogger<DeliveryReports>.Instance),
            time, NullLogger<MailFunctions>.Instance);
    }

    private static HttpRequest Request(string path, string body, string type = "message/rfc822", string? auth = "inbound:secret")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Path = path;
        context.Request.ContentType = type;
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        if (auth is not null) context.Request.Headers.Authorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(auth));
        return context.Request;
    }

    private const string Mail = "From: kim@demo.example\r\nSubject: Printer offline\r\nMessage-ID: <x@demo.example>\r\n\r\nThe printer is offline.";

    [Theory(Timeout = 10_000)]
    [InlineData(1, 0)]
    [InlineData(0, 1)]
    public async Task Storage_down_answers_503_with_Retry_After_and_the_retry_is_taken_once(int storeFailures, int queueFailures)
    {
        var store = new FlakyStore(storeFailures, new RequestFailedException(503, "Server busy"));
        var inbox = new FlakyInbox(queueFailures);
        var functions = Functions(store, inbox);

        var first = Request("/api/mail/inbound", Mail);
        var refused = Assert.IsType<ContentResult>(await functions.Inbound(first, CancellationToken.None));
        Assert.Equal(503, refused.StatusCode);
        Assert.Equal("30", first.HttpContext.Response.Headers.RetryAfter.ToString());
        Assert.Contains("\"error\"", refused.Content, StringComparison.Ordinal);
        Assert.Empty(inbox.Sent);

        var retried = Assert.IsType<ContentResult>(await functions.Inbound(Request("/api/mail/inbound", Mail), CancellationToken.None));
        Assert.Equal(202, retried.StatusCode);
        var queued = Assert.Single(inbox.Sent);
        Assert.Equal(Mail, Encoding.UTF8.GetString(store.Blobs[queued.Blob!]));
    }

    [Fact(Timeout = 10_000)]
    public async Task Storage_that_cannot_be_reached_after_the_sdks_retries_is_a_503_too()
    {
        var store = new FlakyStore(1, new AggregateException("Retry failed after 4 tries.", new RequestFailedException("Connection refused")));
        var request = Request("/api/mail/inbound", Mail);
        var refused = Assert.IsType<ContentResult>(await Functions(store, new FlakyInbox(0)).Inbound(request, CancellationToken.None));
        Assert.Equal(503, refused.StatusCode);
        Assert.Equal("30", request.HttpContext.Response.Headers.RetryAfter.ToString());
    }

    [Fact(Timeout = 10_000)]
    public async Task A_Graph_notification_that_cannot_be_queued_is_a_503_so_Graph_delivers_it_again()
    {
        var inbox = new FlakyInbox(1);
        var functions = Functions(new FlakyStore(0, new InvalidOperationException()), inbox);
        const string body = """{"value":[{"clientState":"state","changeType":"created","resource":"Users/x/Messages/AAMk1","resourceData":{"id":"AAMk1"}}]}""";
        var request = Request("/api/mail/graph", body, "application/json");
        var refused = Assert.IsType<ContentResult>(await functions.GraphNotification(request, CancellationToken.None));
        Assert.Equal(503, refused.StatusCode);
        Assert.Equal("30", request.HttpContext.Response.Headers.RetryAfter.ToString());
        var again = await functions.GraphNotification(Request("/api/mail/graph", body, "application/json"), CancellationToken.None);
        Assert.Equal(202, Assert.IsType<StatusCodeResult>(again).StatusCode);
        Assert.Equal("AAMk1", Assert.Single(inbox.Sent).GraphMessageId);
    }
}
