using System.Text.Json.Nodes;
using Autotier.Adapters.Notify;
using Autotier.Application.Ports;
using Autotier.Domain.Alerts;
using Xunit;

namespace Autotier.IntegrationTests.Alerts;

public sealed class WorkflowsWebhookTests
{
    private static readonly AlertFacts Alert = new("p1-page", "T-1042", "contoso", 1, AlertKinds.P1Page, "Server down", DateTimeOffset.UnixEpoch) { ClientName = "Contoso Ltd" };

    [Fact(Timeout = 30_000)]
    public async Task Posts_the_card_as_json_and_takes_202_as_delivered()
    {
        await using var teams = await FakeHttpServer.StartAsync((_, context) => { context.Response.StatusCode = 202; return Task.CompletedTask; });
        using var http = new HttpClient();
        var url = new Uri(teams.BaseAddress, "workflows/1/triggers/manual/paths/invoke?api-version=1&sig=SECRET");
        await new WorkflowsWebhook(http).PostAsync(url, AlertMessages.Card(Alert, Audience.OnCall, "https://a.example"), default);

        var request = Assert.Single(teams.Requests);
        Assert.Equal("POST", request.Method);
        Assert.StartsWith("application/json", request.Header("content-type"), StringComparison.Ordinal);
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal("message", (string?)body["type"]);
        Assert.Equal("https://a.example/api/ops/tickets/T-1042", (string?)body["attachments"]![0]!["content"]!["actions"]![0]!["url"]);
        Assert.Contains("sig=SECRET", request.PathAndQuery, StringComparison.Ordinal);
    }

    [Theory(Timeout = 30_000)]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(500)]
    [InlineData(503)]
    public async Task A_4xx_or_5xx_is_surfaced_with_its_status_and_without_the_url(int status)
    {
        await using var teams = await FakeHttpServer.StartAsync((_, context) => { context.Response.StatusCode = status; return Task.CompletedTask; });
        using var http = new HttpClient();
        var error = await Assert.ThrowsAsync<ChatWebhookException>(() =>
            new WorkflowsWebhook(http).PostAsync(new Uri(teams.BaseAddress, "hook?sig=SECRET"), new JsonObject(), default));
        Assert.Equal(status, error.Status);
        Assert.Equal($"the webhook answered HTTP {status}", error.Message);
    }

    [Fact(Timeout = 30_000)]
    public async Task An_unreachable_or_slow_webhook_is_surfaced_without_the_url()
    {
        using var http = new HttpClient();
        // A port nothing listens on: the fake server's, after it stopped.
        Uri closed;
        await using (var gone = await FakeHttpServer.StartAsync((_, _) => Task.CompletedTask)) closed = new Uri(gone.BaseAddress, "hook?sig=SECRET");
        var unreachable = await Assert.ThrowsAsync<ChatWebhookException>(() => new WorkflowsWebhook(http).PostAsync(closed, new JsonObject(), default));
        Assert.StartsWith("the webhook could not be reached", unreachable.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", unreachable.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", unreachable.Message, StringComparison.Ordinal);

        await using var slow = await FakeHttpServer.StartAsync((_, context) => Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted));
        var timedOut = await Assert.ThrowsAsync<ChatWebhookException>(() =>
            new WorkflowsWebhook(http, TimeSpan.FromMilliseconds(300)).PostAsync(new Uri(slow.BaseAddress, "hook"), new JsonObject(), default));
        Assert.Equal("the webhook did not answer within 0.3 s", timedOut.Message);
    }
}
