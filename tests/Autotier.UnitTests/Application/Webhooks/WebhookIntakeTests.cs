using System.Text;
using System.Text.Json;
using Autotier.Application.Webhooks;
using Autotier.Domain.Webhooks;
using Autotier.TestSupport.Fakes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Autotier.UnitTests.Application.Webhooks;

/// <summary>The webhook intake path (src/intake/webhookIntake.ts and psaWebhook.ts), with issue #33's fixes 1 and 8.</summary>
public sealed class WebhookIntakeTests
{
    private const string Secret = "test-webhook-secret-new";
    private const string Site = "https://api-na.myconnectwise.net/v4_6_release/apis/3.0";
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryDeliveryIds ids = new();
    private readonly InMemoryDeliveryInbox inbox = new();
    private readonly FakeConnectWiseKeys cwKeys = new();
    private readonly CapturingLogger<WebhookIntake> log = new();

    private WebhookIntake Intake(string? vendor = null, params string[] psaSecrets) => new(
        new WebhookSettings([Secret, "test-webhook-secret-old"], vendor, vendor == PsaVendors.ConnectWise ? Site : null, psaSecrets, PsaIntakeMapping.Empty),
        ids, inbox, new ConnectWiseKeyCache(cwKeys, time), time, log);

    private static byte[] Event(string eventId = "evt-1", string clientId = "demo") => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        eventId, clientId, requester = new { email = "sam@demo.example" }, subject = "VPN drops", body = "It drops.",
    }));

    private Func<string, string?> Signed(byte[] body, string secret = Secret, int skew = 0)
    {
        var ts = (time.GetUtcNow().ToUnixTimeSeconds() + skew).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var sig = WebhookAuth.SignGeneric(body, ts, secret);
        return h => h switch { "x-autotier-timestamp" => ts, "x-autotier-signature" => sig, _ => null };
    }

    [Fact(Timeout = 10_000)]
    public async Task A_signed_event_is_queued_once_and_a_replay_is_answered_duplicate()
    {
        var intake = Intake();
        var body = Event();

        Assert.Equal(AuthFailure.None, intake.BeforeBody(WebhookIntake.Generic, Signed(body)));
        Assert.Equal(new WebhookResult.Accepted("evt-1"), await intake.ReceiveAsync(WebhookIntake.Generic, body, Signed(body), "1.2.3.4", default));
        Assert.Equal(new WebhookResult.Duplicate("evt-1"), await intake.ReceiveAsync(WebhookIntake.Generic, body, Signed(body), "1.2.3.4", default));
        // A replay under the same id with another body is not processed either.
        Assert.Equal(new WebhookResult.Duplicate("evt-1"), await intake.ReceiveAsync(WebhookIntake.Generic, Event(clientId: "other"), Signed(Event(clientId: "other")), "", default));

        var queued = Assert.Single(inbox.Sent);
        Assert.Equal(("generic", "evt-1", Encoding.UTF8.GetString(body), "2026-12-07T12:00:00.000Z"), (queued.Source, queued.EventId, queued.Raw, queued.ReceivedAt));
        Assert.True(ids.Claimed.ContainsKey("webhook:generic:evt-1"));
    }

    [Fact(Timeout = 10_000)]
    public async Task When_queuing_fails_the_claim_is_let_go_so_the_senders_retry_is_taken()
    {
        var intake = Intake();
        var body = Event();
        inbox.Failure = new InvalidOperationException("queue down");

        await Assert.ThrowsAsync<InvalidOperationException>(() => intake.ReceiveAsync(WebhookIntake.Generic, body, Signed(body), "", default));
        Assert.Empty(ids.Claimed);

        inbox.Failure = null;
        Assert.IsType<WebhookResult.Accepted>(await intake.ReceiveAsync(WebhookIntake.Generic, body, Signed(body), "", default));
    }

    [Fact(Timeout = 10_000)]
    public async Task Unsigned_stale_and_badly_signed_requests_are_refused_and_the_log_says_why_never_the_secret()
    {
        var intake = Intake();
        var body = Event();

        Assert.Equal(AuthFailure.NotSigned, intake.BeforeBody(WebhookIntake.Generic, _ => null));
        Assert.Equal(AuthFailure.StaleTimestamp, intake.BeforeBody(WebhookIntake.Generic, Signed(body, skew: -301)));
        Assert.Equal(AuthFailure.BadSignature, intake.BeforeBody(WebhookIntake.Generic, h => h == "x-autotier-signature" ? "abc" : Signed(body)(h)));
        Assert.Equal(new WebhookResult.Unauthorized(AuthFailure.BadSignature), await intake.ReceiveAsync(WebhookIntake.Generic, body, Signed(body, "guess"), "", default));
        Assert.Equal(new WebhookResult.Unauthorized(AuthFailure.BadSignature), await intake.ReceiveAsync(WebhookIntake.Generic, Event("evt-2"), Signed(body), "", default));

        Assert.Contains(log.Lines, l => l.Contains("the request is not signed", StringComparison.Ordinal));
        Assert.Contains(log.Lines, l => l.Contains("more than 5 minutes", StringComparison.Ordinal));
        Assert.Contains(log.Lines, l => l.Contains("the signature does not match", StringComparison.Ordinal));
        Assert.DoesNotContain(log.Lines, l => l.Contains("secret-new", StringComparison.Ordinal) || l.Contains("secret-old", StringComparison.Ordinal));
        Assert.Empty(inbox.Sent);
        Assert.Empty(ids.Claimed);
    }

    [Fact]
    public void Without_a_secret_configured_every_generic_delivery_is_refused_and_the_log_says_so()
    {
        var intake = new WebhookIntake(new WebhookSettings([], null, null, [], PsaIntakeMapping.Empty), ids, inbox, new ConnectWiseKeyCache(cwKeys, time), time, log);
        Assert.Equal(AuthFailure.NoSecretConfigured, intake.BeforeBody(WebhookIntake.Generic, Signed(Event())));
        Assert.Contains(log.Lines, l => l.Contains("no secret is configured", StringComparison.Ordinal));
    }

    [Fact(Timeout = 10_000)]
    public async Task A_bad_field_is_refused_with_its_name_after_authentication_and_nothing_is_claimed()
    {
        var intake = Intake();
        var body = Encoding.UTF8.GetBytes("""{"eventId":"e","clientId":"demo","requester":{"email":"a@demo.example","role":"x"},"subject":"s","body":"b"}""");
        Assert.Equal(new WebhookResult.Invalid("unknown field: requester.role"), await intake.ReceiveAsync(WebhookIntake.Generic, body, Signed(body), "", default));
        Assert.Empty(ids.Claimed);
    }

    [Fact]
    public void Only_the_configured_psa_has_a_webhook()
    {
        var intake = Intake(PsaVendors.HaloPsa, "autotier:pw");
        Assert.Null(intake.NotConfigured(WebhookIntake.Generic));
        Assert.Null(intake.NotConfigured(PsaVendors.HaloPsa));
        Assert.Equal("no connectwise connection is configured", intake.NotConfigured(PsaVendors.ConnectWise));
    }

    [Fact(Timeout = 10_000)]
    public async Task Halo_basic_credentials_are_checked_before_the_body()
    {
        var intake = Intake(PsaVendors.HaloPsa, "autotier:pw");
        string? Auth(string pair) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(pair));
        Assert.Equal(AuthFailure.BadSignature, intake.BeforeBody(PsaVendors.HaloPsa, h => h == "authorization" ? Auth("autotier:guess") : null));
        Assert.Equal(AuthFailure.None, intake.BeforeBody(PsaVendors.HaloPsa, h => h == "authorization" ? Auth("autotier:pw") : null));
        var body = Encoding.UTF8.GetBytes("""{"id":"h1","event":"New Ticket Logged","ticket":{"id":5}}""");
        Assert.Equal(new WebhookResult.Accepted("h1"), await intake.ReceiveAsync(PsaVendors.HaloPsa, body, h => h == "authorization" ? Auth("autotier:pw") : null, "", default));
    }

    private static byte[] CwCallback(string keyId, string messageId = "m1", string host = "api-na.myconnectwise.net") => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        MessageId = messageId, Action = "added", Type = "ticket", ID = 42,
        Metadata = new { key_url = $"https://{host}/v4_6_release/system/callbackkey/index.rails?id={keyId}" },
    }));

    private static Func<string, string?> CwSigned(byte[] body, string key) =>
        h => h == "x-content-signature" ? WebhookAuth.SignConnectWise(body, key) : null;

    [Fact(Timeout = 10_000)]
    public async Task ConnectWise_fetches_a_key_once_per_id_and_serves_it_from_the_cache_after()
    {
        var intake = Intake(PsaVendors.ConnectWise);
        cwKeys.Keys["k1"] = "cw-key-1";

        for (var i = 0; i < 3; i++)
        {
            var body = CwCallback("k1", $"m{i}");
            Assert.IsType<WebhookResult.Accepted>(await intake.ReceiveAsync(PsaVendors.ConnectWise, body, CwSigned(body, "cw-key-1"), "10.0.0.1", default));
        }
        var asked = Assert.Single(cwKeys.Asked);
        Assert.Equal("https://api-na.myconnectwise.net/v4_6_release/system/callbackkey/index.rails?id=k1", asked.AbsoluteUri);
    }

    [Fact(Timeout = 10_000)]
    public async Task An_unsigned_flood_spends_no_fetch_and_a_forged_flood_cannot_block_genuine_callbacks()
    {
        var intake = Intake(PsaVendors.ConnectWise);
        cwKeys.Keys["genuine"] = "cw-key";
        var first = CwCallback("genuine", "m0");
        Assert.IsType<WebhookResult.Accepted>(await intake.ReceiveAsync(PsaVendors.ConnectWise, first, CwSigned(first, "cw-key"), "cw", default));
        var fetchesBefore = cwKeys.Asked.Count;

        // Unsigned, malformed signatures, foreign key URLs: refused before any fetch.
        for (var i = 0; i < 200; i++)
        {
            var forged = CwCallback($"forged-{i}", $"f{i}");
            Assert.NotEqual(AuthFailure.None, intake.BeforeBody(PsaVendors.ConnectWise, _ => null));
            Assert.IsType<WebhookResult.Unauthorized>(await intake.ReceiveAsync(PsaVendors.ConnectWise, forged, h => h == "x-content-signature" ? "bm90IGEgc2lnbmF0dXJl" : null, "stranger", default));
            var elsewhere = CwCallback($"e-{i}", $"e{i}", host: "evil.example");
            Assert.IsType<WebhookResult.Unauthorized>(await intake.ReceiveAsync(PsaVendors.ConnectWise, elsewhere, CwSigned(elsewhere, "mine"), "stranger", default));
        }
        Assert.Equal(fetchesBefore, cwKeys.Asked.Count);

        // Well-formed signatures over forged ids: the stranger's own budget is spent, 10 a minute.
        for (var i = 0; i < 200; i++)
        {
            var forged = CwCallback($"forged-{i}", $"g{i}");
            Assert.IsType<WebhookResult.Unauthorized>(await intake.ReceiveAsync(PsaVendors.ConnectWise, forged, CwSigned(forged, "guess"), "stranger", default));
        }
        Assert.Equal(fetchesBefore + ConnectWiseKeyCache.MissesPerCallerPerMinute, cwKeys.Asked.Count);

        // ConnectWise's own callbacks go through: a held key at once, and a new key id is still fetched.
        var again = CwCallback("genuine", "m1");
        Assert.IsType<WebhookResult.Accepted>(await intake.ReceiveAsync(PsaVendors.ConnectWise, again, CwSigned(again, "cw-key"), "cw", default));
        cwKeys.Keys["rotated"] = "cw-key-2";
        var rotated = CwCallback("rotated", "m2");
        Assert.IsType<WebhookResult.Accepted>(await intake.ReceiveAsync(PsaVendors.ConnectWise, rotated, CwSigned(rotated, "cw-key-2"), "cw", default));
    }

    [Fact(Timeout = 10_000)]
    public async Task A_forged_key_id_that_could_not_be_had_is_not_asked_for_again_for_ten_minutes()
    {
        var intake = Intake(PsaVendors.ConnectWise);
        for (var i = 0; i < 5; i++)
        {
            var body = CwCallback("nope", $"n{i}");
            Assert.Equal(new WebhookResult.Unauthorized(AuthFailure.KeyUnavailable), await intake.ReceiveAsync(PsaVendors.ConnectWise, body, CwSigned(body, "x"), $"ip{i}", default));
        }
        Assert.Single(cwKeys.Asked);
        time.Advance(TimeSpan.FromMinutes(11));
        var later = CwCallback("nope", "n9");
        await intake.ReceiveAsync(PsaVendors.ConnectWise, later, CwSigned(later, "x"), "ip9", default);
        Assert.Equal(2, cwKeys.Asked.Count);
    }

    [Fact(Timeout = 10_000)]
    public async Task Autotask_deliveries_are_named_by_guid_and_sequence_number()
    {
        var intake = Intake(PsaVendors.Autotask, "at-secret");
        var body = Encoding.UTF8.GetBytes("""{"Action":"Create","Guid":"g-1","EntityType":"Ticket","Id":9,"SequenceNumber":7}""");
#pragma warning disable CA5350 // Autotask signs with HMAC-SHA1.
        var sig = "sha1=" + Convert.ToBase64String(System.Security.Cryptography.HMACSHA1.HashData("at-secret"u8.ToArray(), body));
#pragma warning restore CA5350
        Assert.Equal(AuthFailure.None, intake.BeforeBody(PsaVendors.Autotask, h => h == "x-hook-signature" ? sig : null));
        Assert.Equal(new WebhookResult.Accepted("g-1:7"), await intake.ReceiveAsync(PsaVendors.Autotask, body, h => h == "x-hook-signature" ? sig : null, "", default));
        Assert.True(ids.Claimed.ContainsKey("webhook:autotask:g-1:7"));
    }
}

/// <summary>Log lines as formatted, to check what a refusal logs.</summary>
public sealed class CapturingLogger<T> : ILogger<T>
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> lines = new();

    public IReadOnlyCollection<string> Lines => lines;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        lines.Enqueue(formatter(state, exception));
    }
}
