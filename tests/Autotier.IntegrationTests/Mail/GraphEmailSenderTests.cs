using System.Text.Json.Nodes;
using Autotier.Adapters.Mail;
using Autotier.Domain.Mail;
using Autotier.IntegrationTests.Alerts;
using Autotier.TestSupport.Azurite;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Http;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;
using Xunit;

namespace Autotier.IntegrationTests.Mail;

[Collection(AzuriteFixture.Collection)]
public sealed class GraphEmailSenderTests(AzuriteFixture azurite)
{
    private static readonly MailMessage Mail = new("sam@contoso.example", "[#T-1042] Your password", "Hello Sam", "<p>Hello Sam</p>");

    private async Task<(GraphEmailSender Sender, TableSendLedger Ledger)> SenderAsync(FakeHttpServer graph)
    {
        var ledger = new TableSendLedger(new TableServiceClient(azurite.ConnectionString).GetTableClient(AzuriteNames.Table("sentmail")));
        await ledger.EnsureCreatedAsync(default);
        var client = new GraphServiceClient(new AnonymousAuthenticationProvider(), new Uri(graph.BaseAddress, "v1.0").ToString());
        return (new GraphEmailSender(client, "support@msp.example", ledger, TimeProvider.System), ledger);
    }

    [Fact(Timeout = 60_000)]
    public async Task Sends_from_the_support_mailbox_through_the_sdk_once_per_key()
    {
        await using var graph = await FakeHttpServer.StartAsync((_, context) => { context.Response.StatusCode = 202; return Task.CompletedTask; });
        var (sender, ledger) = await SenderAsync(graph);

        Assert.False((await sender.SendAsync(Mail, "T-1042.password", default)).Duplicate);
        Assert.True((await sender.SendAsync(Mail, "T-1042.password", default)).Duplicate);

        var request = Assert.Single(graph.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1.0/users/support@msp.example/sendMail", Uri.UnescapeDataString(request.PathAndQuery));
        var body = JsonNode.Parse(request.Body)!;
        // The SDK names the action's parameters as Graph's metadata does (Message, SaveToSentItems); Graph reads them case-insensitively.
        Assert.Equal("[#T-1042] Your password", (string?)body["Message"]!["subject"]);
        Assert.Equal("html", (string?)body["Message"]!["body"]!["contentType"]);
        Assert.Equal("<p>Hello Sam</p>", (string?)body["Message"]!["body"]!["content"]);
        Assert.Equal("sam@contoso.example", (string?)body["Message"]!["toRecipients"]![0]!["emailAddress"]!["address"]);
        Assert.Equal("support@msp.example", (string?)body["Message"]!["replyTo"]![0]!["emailAddress"]!["address"]);
        Assert.True((bool?)body["SaveToSentItems"]);
        Assert.True(await ledger.HasAsync("T-1042.password", default));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_429_is_retried_by_the_sdk_and_a_refusal_is_surfaced_with_status_and_code_only()
    {
        var throttled = 1;
        await using var graph = await FakeHttpServer.StartAsync(async (request, context) =>
        {
            if (Interlocked.Decrement(ref throttled) >= 0)
            {
                context.Response.StatusCode = 429;
                context.Response.Headers["Retry-After"] = "1";
                return;
            }
            if (request.Body.Contains("refuse@", StringComparison.Ordinal))
            {
                context.Response.StatusCode = 403;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("""{"error": {"code": "ErrorAccessDenied", "message": "Access is denied for support@msp.example."}}""");
                return;
            }
            context.Response.StatusCode = 202;
        });
        var (sender, ledger) = await SenderAsync(graph);

        await sender.SendAsync(Mail, "T-1043.a", default);
        Assert.Equal(2, graph.Requests.Count);

        var error = await Assert.ThrowsAsync<MailSendException>(() => sender.SendAsync(Mail with { To = "refuse@contoso.example" }, "T-1043.b", default));
        Assert.Equal(403, error.Status);
        Assert.Equal("Graph did not send mail: HTTP 403 (ErrorAccessDenied)", error.Message);
        Assert.False(await ledger.HasAsync("T-1043.b", default));
    }
}
