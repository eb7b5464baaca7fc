using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Autotier.Domain.Webhooks;

/// <summary>Why a delivery was refused: logged (never the secret), never told to the caller.</summary>
public enum AuthFailure
{
    None,
    NoSecretConfigured,
    NotSigned,
    StaleTimestamp,
    BadSignature,
    KeyUrlRefused,
    KeyUnavailable,
}

/// <summary>
/// Webhook authenticity checks, one per source, as the TypeScript app's webhookAuth: each compares
/// in constant time, accepts any of the connection's current secrets (so a secret can be rotated
/// with overlap), and hashes the raw bytes exactly as received, never re-serialised JSON.
/// </summary>
public static partial class WebhookAuth
{
    public const int ReplayWindowSeconds = 300;

    /// <summary>
    /// Base64 exactly as encoded (the standard alphabet, padded): anything a lenient decoder would
    /// also take (<c>&lt;signature&gt;junk</c>, missing padding, stray bits) is refused.
    /// </summary>
    public static byte[]? StrictBase64(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length % 4 != 0) return null;
        var bytes = new byte[text.Length / 4 * 3];
        if (!Convert.TryFromBase64String(text, bytes, out var written)) return null;
        var exact = bytes[..written];
        return Convert.ToBase64String(exact) == text ? exact : null;
    }

    private static bool AnySecret(IReadOnlyList<string> secrets, Func<string, bool> matches)
    {
        var any = false;
        // Every secret is tried, so the time taken does not say which one matched.
        foreach (var s in secrets) any |= matches(s);
        return any;
    }

    /// <summary>Our generic webhook (the Zendesk/OWASP shape): base64(HMAC-SHA256(secret, timestamp + body)) within five minutes.</summary>
    public static AuthFailure VerifyGeneric(ReadOnlySpan<byte> raw, string? timestamp, string? signature, IReadOnlyList<string> secrets, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        if (secrets.Count == 0) return AuthFailure.NoSecretConfigured;
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature)) return AuthFailure.NotSigned;
        if (!UnixSeconds().IsMatch(timestamp) || !long.TryParse(timestamp, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ts)
            || Math.Abs(now.ToUnixTimeMilliseconds() / 1000.0 - ts) > ReplayWindowSeconds)
            return AuthFailure.StaleTimestamp;
        var given = StrictBase64(signature);
        if (given is null) return AuthFailure.BadSignature;
        var prefix = Encoding.UTF8.GetBytes(timestamp);
        var signed = new byte[prefix.Length + raw.Length];
        prefix.CopyTo(signed, 0);
        raw.CopyTo(signed.AsSpan(prefix.Length));
        return AnySecret(secrets, s => CryptographicOperations.FixedTimeEquals(given, HMACSHA256.HashData(Encoding.UTF8.GetBytes(s), signed)))
            ? AuthFailure.None : AuthFailure.BadSignature;
    }

    public static string SignGeneric(ReadOnlySpan<byte> raw, string timestamp, string secret)
    {
        ArgumentNullException.ThrowIfNull(timestamp);
        ArgumentNullException.ThrowIfNull(secret);
        var prefix = Encoding.UTF8.GetBytes(timestamp);
        var signed = new byte[prefix.Length + raw.Length];
        prefix.CopyTo(signed, 0);
        raw.CopyTo(signed.AsSpan(prefix.Length));
        return Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>Autotask: <c>X-Hook-Signature: sha1=&lt;base64(HMAC-SHA1(SecretKey, body))&gt;</c>.</summary>
    public static AuthFailure VerifyAutotask(ReadOnlySpan<byte> raw, string? header, IReadOnlyList<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        if (secrets.Count == 0) return AuthFailure.NoSecretConfigured;
        if (header is null || !header.StartsWith("sha1=", StringComparison.Ordinal) || header.Length == 5) return AuthFailure.NotSigned;
        var given = StrictBase64(header[5..]);
        if (given is null) return AuthFailure.BadSignature;
        var body = raw.ToArray();
#pragma warning disable CA5350 // HMAC-SHA1 is what Autotask signs with; we only verify it.
        return AnySecret(secrets, s => CryptographicOperations.FixedTimeEquals(given, HMACSHA1.HashData(Encoding.UTF8.GetBytes(s), body)))
#pragma warning restore CA5350
            ? AuthFailure.None : AuthFailure.BadSignature;
    }

    /// <summary>HaloPSA sends Basic auth; each connection has its own <c>user:secret</c> pair.</summary>
    public static AuthFailure VerifyBasic(string? authorization, IReadOnlyList<string> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Count == 0) return AuthFailure.NoSecretConfigured;
        if (authorization is null || authorization.Length <= 6 || !authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            return AuthFailure.NotSigned;
        var given = StrictBase64(authorization[6..]);
        if (given is null) return AuthFailure.BadSignature;
        return AnySecret(pairs, p => CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(p))) ? AuthFailure.None : AuthFailure.BadSignature;
    }

    /// <summary>
    /// ConnectWise: key = SHA256(signing key); signature = base64(HMAC-SHA256(key, body)) in
    /// <c>x-content-signature</c>.
    /// </summary>
    public static bool VerifyConnectWise(ReadOnlySpan<byte> raw, byte[] signature, string signingKey)
    {
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(signingKey);
        var key = SHA256.HashData(Encoding.UTF8.GetBytes(signingKey));
        return CryptographicOperations.FixedTimeEquals(signature, HMACSHA256.HashData(key, raw));
    }

    /// <summary>
    /// A ConnectWise signature as it can be checked before any key is known: canonical base64 of
    /// exactly 32 bytes (an HMAC-SHA256). Anything else is refused without a fetch.
    /// </summary>
    public static byte[]? ConnectWiseSignature(string? header) =>
        StrictBase64(header) is { Length: 32 } bytes ? bytes : null;

    public static string SignConnectWise(ReadOnlySpan<byte> raw, string signingKey)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        return Convert.ToBase64String(HMACSHA256.HashData(SHA256.HashData(Encoding.UTF8.GetBytes(signingKey)), raw));
    }

    /// <summary>
    /// The key a ConnectWise callback names in its (not yet trusted) <c>Metadata.key_url</c>, when
    /// that URL is one ConnectWise serves keys from on the configured site: https, the API base URL's
    /// own host and port, no user info, the callback-key page
    /// (<c>/v4_6_release/system/callbackkey/index.rails</c> or a dated <c>/v2025_1/</c> path) and a
    /// query of <c>id=&lt;key id&gt;</c> (and optionally <c>companyName</c>), nothing else. The fetch
    /// carries the API credentials, so nobody can aim it elsewhere; the key id is the cache key, so a
    /// new query string cannot defeat the cache. Null when refused.
    /// </summary>
    public static ConnectWiseKeyRef? ConnectWiseKeyUrl(string keyUrl, string apiBaseUrl)
    {
        if (!Uri.TryCreate(keyUrl, UriKind.Absolute, out var u) || !Uri.TryCreate(apiBaseUrl, UriKind.Absolute, out var b)) return null;
        if (u.Scheme != Uri.UriSchemeHttps || b.Scheme != Uri.UriSchemeHttps) return null;
        if (u.UserInfo.Length > 0 || !u.IsDefaultPort || u.Port != b.Port || u.Fragment.Length > 0) return null;
        if (!string.Equals(u.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)) return null;
        // The path as sent (Uri would resolve dot segments away): no dots, encoded slashes or backslashes.
        var rawPath = RawPath(keyUrl);
        if (rawPath is null || !KeyPath().IsMatch(rawPath)) return null;
        string? id = null;
        string? company = null;
        foreach (var part in u.Query.TrimStart('?').Split('&'))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) return null;
            var (name, value) = (part[..eq], Uri.UnescapeDataString(part[(eq + 1)..]));
            if (name == "id" && id is null && KeyId().IsMatch(value)) id = value;
            else if (name == "companyName" && company is null && CompanyName().IsMatch(value)) company = value;
            else return null;
        }
        if (id is null) return null;
        var query = company is null ? $"id={id}" : $"companyName={Uri.EscapeDataString(company)}&id={id}";
        return new ConnectWiseKeyRef(id, new Uri($"https://{u.Authority}{rawPath}?{query}"));
    }

    private static string? RawPath(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal);
        if (start < 0) return null;
        var slash = url.IndexOf('/', start + 3);
        if (slash < 0) return null;
        var end = url.IndexOfAny(['?', '#'], slash);
        return end < 0 ? url[slash..] : url[slash..end];
    }

    [GeneratedRegex(@"^/v(4_6_release|20[0-9]{2}_[0-9]{1,2})/{1,2}system/callbackkey/index\.rails\z", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPath();

    [GeneratedRegex(@"^[A-Za-z0-9_.-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex CompanyName();

    // ConnectWise's key ids are GUIDs; letters, digits and hyphens are all that is taken.
    [GeneratedRegex(@"^[A-Za-z0-9-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex KeyId();

    [GeneratedRegex(@"^-?[0-9]{1,15}\z", RegexOptions.CultureInvariant)]
    private static partial Regex UnixSeconds();
}

/// <summary>A ConnectWise signing key: its id (the cache key) and the URL to fetch it from.</summary>
public sealed record ConnectWiseKeyRef(string KeyId, Uri FetchUrl);
