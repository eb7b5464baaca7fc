using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Autotier.Application.Webhooks;
using Autotier.Domain.Webhooks;
using Autotier.Functions.Webhooks;
using Autotier.TestSupport.Fakes;
using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Autotier.UnitTests.Functions;

/// <summary>The webhook trigger on a plain HttpContext: storage down answers 503 with Retry-After and takes nothing.</summary>
public sealed class WebhookFunctionsTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryDeliveryIds ids = new();
    private readonly InMemoryDeliveryInbox inbox = new();

    private WebhookFunctions Functions() => new(new WebhookIntake(
        new WebhookSettings(["secret"], null, null, [], PsaIntakeMapping.Empty), ids, inbox,
        new ConnectWiseKeyCache(new FakeConnectWiseKeys(), time), time, NullLogger<WebhookIntake>.Instance));

    private HttpRequest Request(string raw, string contentType = "application/json")
    {
        var context = new DefaultHttpContext();
        var bytes = Encoding.UTF8.GetBytes(raw);
        var ts = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        context.Request.Method = "POST";
        context.Request.ContentType = contentType;
        context.Request.ContentLength = bytes.Length;
        context.Request.Body = new MemoryStream(bytes);
        context.Request.Headers["x-autotier-timestamp"] = ts;
        context.Request.Headers["x-autotier-signature"] = WebhookAuth.SignGeneric(bytes, ts, "secret");
        return context.Request;
    }

    private const string Raw = """{"eventId":"e-1","clientId":"demo","requester":{"email":"a@demo.example"},"subject":"s","body":"b"}""";

    public static TheoryData<Exception> Outages => new()
    {
        new RequestFailedException(503, "Server Busy"),
        new RequestFailedException(0, "send failed", new HttpRequestException("connection refused", new SocketException(111))),
        new AggregateException(new RequestFailedException(500, "timeout", "OperationTimedOut", null)),
    };

    [Theory(Timeout = 10_000)]
    [MemberData(nameof(Outages))]
    public async Task Storage_down_answers_503_with_retry_after_and_lets_the_event_id_go(Exception outage)
    {
        inbox.Failure = outage;
        var request = Request(Raw);

        var result = Assert.IsType<ContentResult>(await Functions().Generic(request, default));

        Assert.Equal(503, result.StatusCode);
        Assert.Equal("30", request.HttpContext.Response.Headers.RetryAfter.ToString());
        Assert.Contains("nothing was taken", result.Content, StringComparison.Ordinal);
        Assert.Empty(ids.Claimed);

        inbox.Failure = null;
        Assert.Equal(202, Assert.IsType<ContentResult>(await Functions().Generic(Request(Raw), default)).StatusCode);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_bug_is_not_dressed_up_as_an_outage()
    {
        inbox.Failure = new InvalidOperationException("bug");
        await Assert.ThrowsAsync<InvalidOperationException>(() => Functions().Generic(Request(Raw), default));
        Assert.Empty(ids.Claimed);
    }

    [Theory(Timeout = 10_000)]
    [InlineData("text/plain", 415)]
    [InlineData("multipart/form-data; boundary=x", 415)]
    [InlineData("application/json; charset=utf-8", 202)]
    [InlineData("application/cloudevents+json", 202)]
    public async Task The_generic_webhook_takes_json_only(string contentType, int status) =>
        Assert.Equal(status, Assert.IsType<ContentResult>(await Functions().Generic(Request(Raw, contentType), default)).StatusCode);
}
