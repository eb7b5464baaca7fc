using System.Security.Cryptography;
using System.Text;
using Autotier.Domain.Webhooks;
using Xunit;

namespace Autotier.UnitTests.Domain.Webhooks;

/// <summary>tests/unit/domain/webhookAuth.test.ts, with issue #33's ConnectWise key URL fix.</summary>
public sealed class WebhookAuthTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"eventId":"e1","subject":"x"}""");
    private static readonly string[] Secrets = ["new-secret", "old-secret"];

    private static string Ts(int offsetSeconds = 0) => (Now.ToUnixTimeSeconds() + offsetSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Generic_accepts_the_current_or_the_previous_secret_and_nothing_else()
    {
        var ts = Ts();
        Assert.Equal(AuthFailure.None, WebhookAuth.VerifyGeneric(Body, ts, WebhookAuth.SignGeneric(Body, ts, "new-secret"), Secrets, Now));
        Assert.Equal(AuthFailure.None, WebhookAuth.VerifyGeneric(Body, ts, WebhookAuth.SignGeneric(Body, ts, "old-secret"), Secrets, Now));
        Assert.Equal(AuthFailure.BadSignature, WebhookAuth.VerifyGeneric(Body, ts, WebhookAuth.SignGeneric(Body, ts, "guess"), Secrets, Now));
        // The timestamp is signed too: the same signature under another timestamp fails.
        Assert.Equal(AuthFailure.BadSignature, WebhookAuth.VerifyGeneric(Body, Ts(1), WebhookAuth.SignGeneric(Body, ts, "new-secret"), Secrets, Now));
        Assert.Equal(AuthFailure.NotSigned, WebhookAuth.VerifyGeneric(Body, ts, null, Secrets, Now));
        Assert.Equal(AuthFailure.NoSecretConfigured, WebhookAuth.VerifyGeneric(Body, ts, WebhookAuth.SignGeneric(Body, ts, ""), [], Now));
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    [InlineData(-86_400)]
    public void Generic_refuses_timestamps_outside_five_minutes_either_way(int offset)
    {
        var ts = Ts(offset);
        Assert.Equal(AuthFailure.StaleTimestamp, WebhookAuth.VerifyGeneric(Body, ts, WebhookAuth.SignGeneric(Body, ts, "new-secret"), Secrets, Now));
        var edge = Ts(Math.Sign(offset) * 300);
        Assert.Equal(AuthFailure.None, WebhookAuth.VerifyGeneric(Body, edge, WebhookAuth.SignGeneric(Body, edge, "new-secret"), Secrets, Now));
    }

    [Theory]
    [InlineData("1.5e9")]
    [InlineData("0x10")]
    [InlineData(" 1")]
    [InlineData("abc")]
    public void Generic_refuses_a_timestamp_that_is_not_whole_seconds(string ts) =>
        Assert.Equal(AuthFailure.StaleTimestamp, WebhookAuth.VerifyGeneric(Body, ts, WebhookAuth.SignGeneric(Body, ts, "new-secret"), Secrets, Now));

    [Fact]
    public void Only_canonical_base64_is_accepted()
    {
        var ts = Ts();
        var good = WebhookAuth.SignGeneric(Body, ts, "new-secret");
        foreach (var bad in new[] { good + "junk", good.TrimEnd('='), " " + good, good + "\n", good.Replace('+', '-').Replace('/', '_') })
        {
            if (bad == good) continue;
            Assert.Equal(AuthFailure.BadSignature, WebhookAuth.VerifyGeneric(Body, ts, bad, Secrets, Now));
        }
        Assert.Null(WebhookAuth.StrictBase64("YQ"));
        Assert.Null(WebhookAuth.StrictBase64("YR=="));   // stray bits: decodes to "a" but is not how "a" is encoded
        Assert.Equal("a"u8.ToArray(), WebhookAuth.StrictBase64("YQ=="));
    }

    [Fact]
    public void Autotask_signs_sha1_base64_of_the_raw_body()
    {
#pragma warning disable CA5350 // Autotask signs with HMAC-SHA1.
        var sig = "sha1=" + Convert.ToBase64String(HMACSHA1.HashData("at-secret"u8.ToArray(), Body));
#pragma warning restore CA5350
        Assert.Equal(AuthFailure.None, WebhookAuth.VerifyAutotask(Body, sig, ["at-secret"]));
        Assert.Equal(AuthFailure.BadSignature, WebhookAuth.VerifyAutotask(Body, sig, ["other"]));
        Assert.Equal(AuthFailure.NotSigned, WebhookAuth.VerifyAutotask(Body, sig[5..], ["at-secret"]));
        Assert.Equal(AuthFailure.BadSignature, WebhookAuth.VerifyAutotask(Body, sig + "x", ["at-secret"]));
        Assert.Equal(AuthFailure.BadSignature, WebhookAuth.VerifyAutotask("{}"u8, sig, ["at-secret"]));
    }

    [Fact]
    public void Halo_uses_basic_auth_with_the_connections_own_pair()
    {
        string Basic(string pair) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(pair));
        string[] pairs = ["autotier:pw-new", "autotier:pw-old"];
        Assert.Equal(AuthFailure.None, WebhookAuth.VerifyBasic(Basic("autotier:pw-new"), pairs));
        Assert.Equal(AuthFailure.None, WebhookAuth.VerifyBasic(Basic("autotier:pw-old"), pairs));
        Assert.Equal(AuthFailure.BadSignature, WebhookAuth.VerifyBasic(Basic("autotier:guess"), pairs));
        Assert.Equal(AuthFailure.NotSigned, WebhookAuth.VerifyBasic("Bearer x", pairs));
        Assert.Equal(AuthFailure.BadSignature, WebhookAuth.VerifyBasic(Basic("autotier:pw-new") + "!!", pairs));
        Assert.Equal(AuthFailure.NoSecretConfigured, WebhookAuth.VerifyBasic(Basic("autotier:pw-new"), []));
    }

    [Fact]
    public void ConnectWise_signs_with_hmac_sha256_keyed_by_sha256_of_the_signing_key()
    {
        var key = SHA256.HashData("cw-signing-key"u8.ToArray());
        var sig = Convert.ToBase64String(HMACSHA256.HashData(key, Body));
        Assert.Equal(sig, WebhookAuth.SignConnectWise(Body, "cw-signing-key"));
        var bytes = WebhookAuth.ConnectWiseSignature(sig)!;
        Assert.True(WebhookAuth.VerifyConnectWise(Body, bytes, "cw-signing-key"));
        Assert.False(WebhookAuth.VerifyConnectWise(Body, bytes, "other"));
        // Checked before any fetch: only canonical base64 of 32 bytes can be a signature at all.
        Assert.Null(WebhookAuth.ConnectWiseSignature("mismatching-signature-from-provider"));
        Assert.Null(WebhookAuth.ConnectWiseSignature(Convert.ToBase64String(new byte[20])));
        Assert.Null(WebhookAuth.ConnectWiseSignature(null));
    }

    private const string Site = "https://api-na.myconnectwise.net/v4_6_release/apis/3.0";

    [Theory]
    // NangoHQ/nango connectwise-psa-webhook-routing.unit.test.ts: the cloud shape.
    [InlineData("https://api-na.myconnectwise.net/v4_6_release/system/callbackkey/index.rails?id=test", "test",
        "https://api-na.myconnectwise.net/v4_6_release/system/callbackkey/index.rails?id=test")]
    // amp-labs/connectors providers/connectwise/internal/webhook: the dated release, a doubled slash, companyName.
    [InlineData("https://api-na.myconnectwise.net/v2025_1//system/callbackkey/index.rails?companyName=myCompany&id=89966c04-9889-46ad-8d5e-421103aca922",
        "89966c04-9889-46ad-8d5e-421103aca922",
        "https://api-na.myconnectwise.net/v2025_1//system/callbackkey/index.rails?companyName=myCompany&id=89966c04-9889-46ad-8d5e-421103aca922")]
    [InlineData("https://API-NA.myconnectwise.net/v4_6_release/system/callbackkey/index.rails?id=0f8fad5b-d9cb-469f-a165-70867728950e",
        "0f8fad5b-d9cb-469f-a165-70867728950e",
        "https://api-na.myconnectwise.net/v4_6_release/system/callbackkey/index.rails?id=0f8fad5b-d9cb-469f-a165-70867728950e")]
    public void ConnectWise_real_key_urls_on_the_configured_site_are_taken_with_their_key_id(string url, string keyId, string fetch)
    {
        var key = WebhookAuth.ConnectWiseKeyUrl(url, Site);
        Assert.NotNull(key);
        Assert.Equal(keyId, key.KeyId);
        Assert.Equal(fetch, key.FetchUrl.AbsoluteUri);
    }

    [Theory]
    [InlineData("http://api-na.myconnectwise.net/v4_6_release/system/callbackkey/index.rails?id=k1")]          // not https
    [InlineData("https://eu.myconnectwise.net/v4_6_release/system/callbackkey/index.rails?id=k1")]             // another ConnectWise host
    [InlineData("https://evil.example/v4_6_release/system/callbackkey/index.rails?id=k1")]
    [InlineData("https://api-na.myconnectwise.net.evil.example/v4_6_release/system/callbackkey/index.rails?id=k1")]
    [InlineData("https://user:pw@api-na.myconnectwise.net/v4_6_release/system/callbackkey/index.rails?id=k1")]
    [InlineData("https://api-na.myconnectwise.net:8443/v4_6_release/system/callbackkey/index.rails?id=k1")]
    [InlineData("https://api-na.myconnectwise.net/v4_6_release/apis/3.0/system/members")]                     // an API path: never
    [InlineData("https://api-na.myconnectwise.net/v4_6_release/system/callbackkey/index.rails")]              // no key id
    [InlineData("https://api-na.myconnectwise.net/v4_6_release/system/callbackkey/index.rails?id=k1&id=k2")]
    [InlineData("https://api-na.myconnectwise.net/v4_6_release/system/callbackkey/index.rails?id=k1&redirect=https://evil.example")]
    [InlineData("https://api-na.myconnectwise.net/v4_6_release/system/callbackkey/index.rails?id=../../x")]
    [InlineData("https://api-na.myconnectwise.net/v4_6_release/system/../apis/3.0/system/callbackkey/index.rails?id=k1")]
    [InlineData("https://api-na.myconnectwise.net/v4_6_release/system/%2e%2e/callbackkey/index.rails?id=k1")]
    [InlineData("https://api-na.myconnectwise.net/v4_6_release/system/callbackkey/index.rails?id=k1#x")]
    [InlineData("https://api-na.myconnectwise.net/v4_6_release\\system/callbackkey/index.rails?id=k1")]
    [InlineData("not a url")]
    public void ConnectWise_key_urls_elsewhere_are_refused_before_any_fetch(string url) =>
        Assert.Null(WebhookAuth.ConnectWiseKeyUrl(url, Site));

    [Fact]
    public void ConnectWise_key_urls_need_an_https_site() =>
        Assert.Null(WebhookAuth.ConnectWiseKeyUrl(
            "https://api-na.myconnectwise.net/v4_6_release/system/callbackkey/index.rails?id=k1", "http://api-na.myconnectwise.net/v4_6_release/apis/3.0"));
}
