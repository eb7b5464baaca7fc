using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Autotier.Domain.Links;

/// <summary>
/// What a signed link binds: the ticket, a nonce (one per question asked, so single use is
/// enforced by recording the nonce when used) and the expiry.
/// </summary>
public sealed record LinkToken(string TicketId, string Nonce, DateTimeOffset ExpiresAt);

public enum LinkTokenProblem { None, Malformed, BadSignature, Expired, WrongTicket }

/// <summary>
/// Signed, expiring links ("Did this resolve your issue?", ratings): the TypeScript confirmLink.ts
/// format, <c>base64url(JSON [ticketId, nonce, expiresAtMs]) . base64url(HMAC-SHA256)</c>, so links
/// mailed by either app verify in the other. Written by hand: it is one HMAC over one string, and
/// the format is the TypeScript app's own.
/// </summary>
public static class LinkTokens
{
    /// <summary>How long "Did this resolve your issue?" links work.</summary>
    public static readonly TimeSpan ConfirmLifetime = TimeSpan.FromDays(14);

    /// <summary>Rating links live longer than the question: people rate when they get to it.</summary>
    public static readonly TimeSpan RatingLifetime = TimeSpan.FromDays(30);

    public static string Sign(LinkToken token, string key)
    {
        ArgumentNullException.ThrowIfNull(token);
        var json = JsonSerializer.Serialize(new object[] { token.TicketId, token.Nonce, token.ExpiresAt.ToUnixTimeMilliseconds() });
        var payload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
        return payload + "." + Base64Url.EncodeToString(Mac(key, payload));
    }

    public static (LinkToken? Token, LinkTokenProblem Problem) Verify(string text, string ticketId, string key, DateTimeOffset now)
    {
        var parts = (text ?? "").Split('.');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0) return (null, LinkTokenProblem.Malformed);
        var (payload, signature) = (parts[0], parts[1]);
        var given = Canonical(signature);
        if (given is null || !CryptographicOperations.FixedTimeEquals(given, Mac(key, payload))) return (null, LinkTokenProblem.BadSignature);
        var bytes = Canonical(payload);
        if (bytes is null) return (null, LinkTokenProblem.Malformed);
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() != 3
                || root[0].ValueKind != JsonValueKind.String || root[1].ValueKind != JsonValueKind.String
                || root[2].ValueKind != JsonValueKind.Number || !root[2].TryGetInt64(out var expires))
                return (null, LinkTokenProblem.Malformed);
            var token = new LinkToken(root[0].GetString()!, root[1].GetString()!, DateTimeOffset.FromUnixTimeMilliseconds(expires));
            if (!string.Equals(token.TicketId, ticketId, StringComparison.Ordinal)) return (null, LinkTokenProblem.WrongTicket);
            if (now > token.ExpiresAt) return (null, LinkTokenProblem.Expired);
            return (token, LinkTokenProblem.None);
        }
        catch (Exception e) when (e is JsonException or ArgumentOutOfRangeException)
        {
            return (null, LinkTokenProblem.Malformed);
        }
    }

    /// <summary>
    /// Rating links are signed with a key of their own, derived from the link signing key, so a
    /// rating token never answers "Did this resolve your issue?" and a confirmation token never rates.
    /// </summary>
    public static string RatingKey(string linkSigningKey) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(linkSigningKey), "autotier rating links v1"u8));

    /// <summary>Proof-of-ownership links have their own derived key too: a confirmation token never proves an address.</summary>
    public static string ProofKey(string linkSigningKey) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(linkSigningKey), "autotier proof links v1"u8));

    public static string Describe(LinkTokenProblem problem) => problem switch
    {
        LinkTokenProblem.BadSignature => "bad signature",
        LinkTokenProblem.WrongTicket => "wrong ticket",
        LinkTokenProblem.Expired => "expired",
        _ => "malformed",
    };

    internal static byte[] Mac(string key, string payload) =>
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.ASCII.GetBytes(payload));

    /// <summary>Only the canonical unpadded base64url: junk appended to a signature must not verify.</summary>
    internal static byte[]? Canonical(string text)
    {
        if (text.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))) return null;
        try
        {
            var bytes = Base64Url.DecodeFromChars(text);
            return string.Equals(Base64Url.EncodeToString(bytes), text, StringComparison.Ordinal) ? bytes : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
