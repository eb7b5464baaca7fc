using System.Text.Json.Nodes;
using Autotier.Adapters.Mail;
using Autotier.Domain.Mail;
using Autotier.TestSupport.Azurite;
using Azure.Data.Tables;
using Xunit;

namespace Autotier.IntegrationTests.Mail;

[Collection(AzuriteFixture.Collection)]
public sealed class AcsEmailSenderTests(AzuriteFixture azurite)
{
    private static readonly MailMessage Mail = new("sam@contoso.example", "[#T-1042] We have your request", "Hello Sam", "<p>Hello Sam</p>");

    private async Task<TableSendLedger> LedgerAsync()
    {
        var ledger = new TableSendLedger(new TableServiceClient(azurite.ConnectionString).GetTableClient(AzuriteNames.Table("sentmail")));
        await ledger.EnsureCreatedAsync(default);
        return ledger;
    }

    private static AcsEmailSender Sender(FakeAcs acs, TableSendLedger ledger, byte[]? key = null, int maxRetries = 5)
    {
        var endpoint = AcsEndpoint.Parse(acs.ConnectionString);
        var options = new AcsOptions { PollFor = TimeSpan.FromSeconds(10) };
        options.Retry.Delay = TimeSpan.FromMilliseconds(20);
        options.Retry.MaxRetries = maxRetries;
        return AcsEmailSender.WithAccessKey(endpoint.Endpoint, key ?? endpoint.AccessKey!, ledger, "DoNotReply@msp.example", "support@msp.example", TimeProvider.System, options);
    }

    [Fact]
    public void The_operation_id_is_the_typescript_apps_for_the_same_key()
    {
        // Golden values from src/adapters/email/acsEmailSender.ts operationIdFor.
        Assert.Equal("cf7e6f6e-3ca7-5eb9-99be-52e15a76f388", AcsEmailSender.OperationIdFor("T-1042.acknowledge"));
        Assert.Equal("bca1587f-868c-5e0e-9f60-103839ec6d6c", AcsEmailSender.OperationIdFor("alert.T-1.k.email"));
    }

    [Fact(Timeout = 60_000)]
    public async Task Sends_the_documented_request_signed_polls_until_succeeded_and_a_second_run_sends_nothing()
    {
        var acs = await FakeAcs.StartAsync();
        await using var _ = acs.Server;
        acs.RunningReads = 2;
        var ledger = await LedgerAsync();
        var sender = Sender(acs, ledger);

        var first = await sender.SendAsync(Mail, "T-1042.acknowledge", default);
        Assert.False(first.Duplicate);
        Assert.Empty(acs.SignatureProblems);
        var send = Assert.Single(acs.Sends);
        Assert.Equal("/emails:send?api-version=2023-03-31", send.PathAndQuery);
        Assert.Equal("cf7e6f6e-3ca7-5eb9-99be-52e15a76f388", send.Header("operation-id"));
        var body = JsonNode.Parse(send.Body)!;
        Assert.Equal("DoNotReply@msp.example", (string?)body["senderAddress"]);
        Assert.Equal("sam@contoso.example", (string?)body["recipients"]!["to"]![0]!["address"]);
        Assert.Equal("[#T-1042] We have your request", (string?)body["content"]!["subject"]);
        Assert.Equal("Hello Sam", (string?)body["content"]!["plainText"]);
        Assert.Equal("<p>Hello Sam</p>", (string?)body["content"]!["html"]);
        Assert.Equal("support@msp.example", (string?)body["replyTo"]![0]!["address"]);
        Assert.Equal(3, acs.Server.Requests.Count(r => r.Method == "GET" && r.PathAndQuery.StartsWith("/emails/operations/cf7e6f6e-3ca7-5eb9-99be-52e15a76f388", StringComparison.Ordinal)));
        Assert.Equal("T-1042.acknowledge", await ledger.KeyOfAsync("cf7e6f6e-3ca7-5eb9-99be-52e15a76f388", default));

        var requests = acs.Server.Requests.Count;
        Assert.True((await sender.SendAsync(Mail, "T-1042.acknowledge", default)).Duplicate);
        Assert.Equal(requests, acs.Server.Requests.Count);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_429_is_waited_out_as_retry_after_says_with_the_same_operation_id()
    {
        var acs = await FakeAcs.StartAsync();
        await using var _ = acs.Server;
        acs.ThrottleFirst = 1;
        await Sender(acs, await LedgerAsync()).SendAsync(Mail, "T-1043.acknowledge", default);
        var sends = acs.Sends.ToList();
        Assert.Equal(2, sends.Count);
        Assert.Equal(sends[0].Header("operation-id"), sends[1].Header("operation-id"));
        // Retry-After: 1 (the pipeline's own delay is 20 ms here).
        Assert.True(sends[1].At - sends[0].At >= TimeSpan.FromMilliseconds(900), $"retried after {(sends[1].At - sends[0].At).TotalMilliseconds} ms");
        // Each try is signed afresh.
        Assert.Empty(acs.SignatureProblems);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_send_that_failed_is_retried_later_under_the_same_operation_id()
    {
        var acs = await FakeAcs.StartAsync();
        await using var _ = acs.Server;
        acs.FailFirst = 2;
        var ledger = await LedgerAsync();
        var error = await Assert.ThrowsAsync<MailSendException>(() => Sender(acs, ledger, maxRetries: 1).SendAsync(Mail, "T-1044.escalated", default));
        Assert.Equal(500, error.Status);
        Assert.Contains("HTTP 500 (InternalServerError)", error.Message, StringComparison.Ordinal);

        await Sender(acs, ledger).SendAsync(Mail, "T-1044.escalated", default);
        var ids = acs.Sends.Select(s => s.Header("operation-id")).Distinct().ToList();
        Assert.Equal([AcsEmailSender.OperationIdFor("T-1044.escalated")], ids);
        Assert.Equal(3, acs.Sends.Count());
    }

    [Fact(Timeout = 60_000)]
    public async Task A_refused_or_failed_send_is_surfaced_without_the_recipient_and_not_recorded()
    {
        var acs = await FakeAcs.StartAsync();
        await using var _ = acs.Server;
        var ledger = await LedgerAsync();
        acs.RejectSend = true;
        var refused = await Assert.ThrowsAsync<MailSendException>(() => Sender(acs, ledger).SendAsync(Mail, "T-1045.a", default));
        Assert.Equal($"ACS did not accept mail {AcsEmailSender.OperationIdFor("T-1045.a")}: HTTP 400 (BadRequest)", refused.Message);

        acs.RejectSend = false;
        acs.FinalStatus = "Failed";
        var failed = await Assert.ThrowsAsync<MailSendException>(() => Sender(acs, ledger).SendAsync(Mail, "T-1045.b", default));
        Assert.Equal($"ACS could not send mail {AcsEmailSender.OperationIdFor("T-1045.b")}: Failed (EmailDroppedAllRecipientsSuppressed)", failed.Message);
        Assert.DoesNotContain("@", failed.Message + refused.Message, StringComparison.Ordinal);
        Assert.False(await ledger.HasAsync("T-1045.a", default));
        Assert.False(await ledger.HasAsync("T-1045.b", default));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_wrong_key_is_refused_by_the_signature_check()
    {
        var acs = await FakeAcs.StartAsync();
        await using var _ = acs.Server;
        var ledger = await LedgerAsync();
        var error = await Assert.ThrowsAsync<MailSendException>(() =>
            Sender(acs, ledger, key: "another-key"u8.ToArray()).SendAsync(Mail, "T-1046.a", default));
        Assert.Equal(401, error.Status);
        Assert.Equal(["the signature does not match"], acs.SignatureProblems.Distinct());
    }

    [Theory]
    [InlineData("https://acs-one.communication.azure.com", false)]
    [InlineData("endpoint=https://acs-one.communication.azure.com/;accesskey=c2VjcmV0", true)]
    public void The_endpoint_setting_is_a_url_for_the_identity_or_a_connection_string_for_a_key(string value, bool keyed)
    {
        var parsed = AcsEndpoint.Parse(value);
        Assert.Equal("acs-one.communication.azure.com", parsed.Endpoint.Host);
        Assert.Equal(keyed, parsed.AccessKey is not null);
        Assert.DoesNotContain("c2VjcmV0", parsed.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://acs.example", "AUTOTIER_ACS_ENDPOINT: the endpoint must be an https URL")]
    [InlineData("endpoint=https://acs.example/", "AUTOTIER_ACS_ENDPOINT: a connection string needs endpoint and accesskey")]
    [InlineData("endpoint=https://acs.example/;accesskey=not*base64!", "AUTOTIER_ACS_ENDPOINT: accesskey is not base64")]
    public void A_bad_endpoint_setting_is_named_without_its_key(string value, string expected)
    {
        var error = Assert.Throws<FormatException>(() => AcsEndpoint.Parse(value));
        Assert.Equal(expected, error.Message);
    }
}
