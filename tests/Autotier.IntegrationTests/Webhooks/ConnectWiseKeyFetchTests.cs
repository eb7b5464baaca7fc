using System.Text;
using System.Text.Json;
using Autotier.Adapters.Webhooks;
using Autotier.Application.Webhooks;
using Autotier.Domain.Webhooks;
using Autotier.IntegrationTests.Alerts;
using Autotier.TestSupport.Fakes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Autotier.IntegrationTests.Webhooks;

/// <summary>
/// ConnectWise callbacks verified with keys fetched by the real client (<see cref="ConnectWiseKeyClient"/>)
/// from a local server speaking ConnectWise's callback-key API: the key URL shapes of real
/// callbacks (amp-labs/connectors' captures, NangoHQ/nango's tests), the API credentials on the
/// fetch, one fetch per key id, and nothing fetched for what can be refused first (issue #33, fix 1).
/// The configured site is https://api-na.myconnectwise.net; a handler sends its requests to the
/// local server instead, as the TypeScript test's fetch does.
/// </summary>
public sealed class ConnectWiseKeyFetchTests : IAsyncLifetime
{
    private const string Site = "https://api-na.myconnectwise.net/v4_6_release/apis/3.0";
    private static readonly Dictionary<string, string> Keys = new(StringComparer.Ordinal)
    {
        ["89966c04-9889-46ad-8d5e-421103aca922"] = "test-signing-key",
        ["0f8fad5b-d9cb-469f-a165-70867728950e"] = "cw-key-2",
    };

    private FakeHttpServer server = null!;
    private readonly InMemoryDeliveryInbox inbox = new();
    private WebhookIntake intake = null!;

    public async Task InitializeAsync()
    {
        server = await FakeHttpServer.StartAsync(async (request, context) =>
        {
            var id = context.Request.Query["id"].ToString();
            var authorized = request.Header("authorization") == "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("autotier+pub:priv"))
                && request.Header("clientid") == "client-guid";
            var path = context.Request.Path.Value ?? "";
            if (path == "/redirect")
            {
                context.Response.StatusCode = 302;
                context.Response.Headers.Location = "https://evil.example/steal";
                return;
            }
            if (!authorized) context.Response.StatusCode = 401;
            else if (!path.EndsWith("/system/callbackkey/index.rails", StringComparison.Ordinal) || !Keys.TryGetValue(id, out var key)) context.Response.StatusCode = 404;
            else await context.Response.WriteAsJsonAsync(new { signing_key = key });
        });
        var http = ConnectWiseKeyClient.CreateHttpClient(new ToLocal(server.BaseAddress));
        var client = new ConnectWiseKeyClient(http, "autotier", "pub", "priv", "client-guid");
        var settings = new WebhookSettings([], PsaVendors.ConnectWise, Site, [], PsaIntakeMapping.Empty);
        intake = new WebhookIntake(settings, new InMemoryDeliveryIds(), inbox, new ConnectWiseKeyCache(client, TimeProvider.System), TimeProvider.System, NullLogger<WebhookIntake>.Instance);
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    /// <summary>Sends what is meant for the configured site to the local server (path and query kept), and follows no redirect.</summary>
    private sealed class ToLocal(Uri local) : DelegatingHandler(new SocketsHttpHandler { AllowAutoRedirect = false })
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Assert.Equal("https", request.RequestUri!.Scheme);
            Assert.Equal("api-na.myconnectwise.net", request.RequestUri.Host);
            request.RequestUri = new Uri(local, request.RequestUri.PathAndQuery);
            return base.SendAsync(request, cancellationToken);
        }
    }

    private static byte[] Callback(string keyUrl, string messageId) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        MessageId = messageId, FromUrl = "api-na.myconnectwise.net", CompanyId = "autotier", MemberId = "jdoe", Action = "added", Type = "ticket", ID = 4711,
        Entity = "{\"id\":4711,\"summary\":\"Printer offline\"}", Metadata = new { key_url = keyUrl },
    }));

    private Task<WebhookResult> Send(byte[] body, string? signature, string caller = "cw") =>
        intake.ReceiveAsync(PsaVendors.ConnectWise, body, h => h == "x-content-signature" ? signature : null, caller, default);

    [Theory(Timeout = 30_000)]
    [InlineData("https://api-na.myconnectwise.net/v2025_1//system/callbackkey/index.rails?companyName=myCompany&id=89966c04-9889-46ad-8d5e-421103aca922",
        "/v2025_1//system/callbackkey/index.rails?companyName=myCompany&id=89966c04-9889-46ad-8d5e-421103aca922", "test-signing-key")]
    [InlineData("https://api-na.myconnectwise.net/v4_6_release/system/callbackkey/index.rails?id=0f8fad5b-d9cb-469f-a165-70867728950e",
        "/v4_6_release/system/callbackkey/index.rails?id=0f8fad5b-d9cb-469f-a165-70867728950e", "cw-key-2")]
    public async Task A_genuinely_signed_callback_is_verified_with_its_key_fetched_once_with_the_api_credentials(string keyUrl, string fetched, string key)
    {
        var first = Callback(keyUrl, "m-1");
        Assert.Equal(new WebhookResult.Accepted("m-1"), await Send(first, WebhookAuth.SignConnectWise(first, key)));
        var second = Callback(keyUrl, "m-2");
        Assert.Equal(new WebhookResult.Accepted("m-2"), await Send(second, WebhookAuth.SignConnectWise(second, key)));

        var request = Assert.Single(server.Requests);
        Assert.Equal(("GET", fetched), (request.Method, request.PathAndQuery));
        Assert.Equal("client-guid", request.Header("clientid"));
        Assert.Equal(2, inbox.Sent.Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_wrong_signature_an_unknown_key_and_a_refused_url_are_401_and_only_the_fetchable_one_costs_a_request()
    {
        var url = "https://api-na.myconnectwise.net/v4_6_release/system/callbackkey/index.rails?id=0f8fad5b-d9cb-469f-a165-70867728950e";
        var body = Callback(url, "m-1");
        Assert.Equal(new WebhookResult.Unauthorized(AuthFailure.BadSignature), await Send(body, WebhookAuth.SignConnectWise(body, "guess")));
        Assert.Equal(new WebhookResult.Unauthorized(AuthFailure.NotSigned), await Send(body, null));
        Assert.Equal(new WebhookResult.Unauthorized(AuthFailure.BadSignature), await Send(body, "mismatching-signature-from-provider"));

        var unknown = Callback("https://api-na.myconnectwise.net/v4_6_release/system/callbackkey/index.rails?id=11111111-2222-3333-4444-555555555555", "m-2");
        Assert.Equal(new WebhookResult.Unauthorized(AuthFailure.KeyUnavailable), await Send(unknown, WebhookAuth.SignConnectWise(unknown, "any")));

        foreach (var foreign in new[]
        {
            "https://evil.example/v4_6_release/system/callbackkey/index.rails?id=0f8fad5b-d9cb-469f-a165-70867728950e",
            "https://api-na.myconnectwise.net/v4_6_release/apis/3.0/system/members?id=x",
            "http://api-na.myconnectwise.net/v4_6_release/system/callbackkey/index.rails?id=0f8fad5b-d9cb-469f-a165-70867728950e",
        })
        {
            var b = Callback(foreign, "m-3");
            Assert.Equal(new WebhookResult.Unauthorized(AuthFailure.KeyUrlRefused), await Send(b, WebhookAuth.SignConnectWise(b, "any")));
        }
        // One request for the real key (the bad signature), one for the unknown id; none for the rest.
        Assert.Equal(2, server.Requests.Count);
        Assert.Empty(inbox.Sent);
    }

    [Fact(Timeout = 30_000)]
    public async Task The_key_client_follows_no_redirect_and_reads_only_signing_key()
    {
        var client = new ConnectWiseKeyClient(ConnectWiseKeyClient.CreateHttpClient(new ToLocal(server.BaseAddress)), "autotier", "pub", "priv", "client-guid");
        Assert.Null(await client.FetchAsync(new Uri("https://api-na.myconnectwise.net/redirect"), default));
        Assert.Equal("test-signing-key", await client.FetchAsync(
            new Uri("https://api-na.myconnectwise.net/v2025_1//system/callbackkey/index.rails?companyName=myCompany&id=89966c04-9889-46ad-8d5e-421103aca922"), default));
    }
}
