using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Autotier.Domain.Links;

namespace Autotier.Domain.Portal;

/// <summary>
/// The requester portal's signed values, in the TypeScript format (src/domain/portal.ts), so links
/// signed by either app verify in the other: <c>base64url(JSON [kind, clientId, value, expiresAtMs]) .
/// base64url(HMAC-SHA256)</c> with a key of its own derived from the link signing key. The status
/// token is long-lived and lets its holder read a ticket's public view and reply on it; its own key
/// means it can never stand in for a single-use confirmation or rating token, nor they for it. The
/// form token names one visit to the portal's form: it keys the submission (a double submit files
/// one ticket) and "this solved it" (a deflection counted at most once per visit).
/// </summary>
public static class PortalTokens
{
    public static readonly TimeSpan StatusLinkLifetime = TimeSpan.FromDays(365);

    /// <summary>A form left open over lunch still submits; an old one does not.</summary>
    public static readonly TimeSpan FormLifetime = TimeSpan.FromDays(1);

    /// <summary>Longest token text read (the TypeScript bound): anything longer is malformed unread.</summary>
    private const int MaxTokenChars = 1000;

    public static string PortalKey(string linkSigningKey) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(linkSigningKey), "autotier portal links v1"u8));

    /// <summary>Deterministic per ticket (its expiry counts from the ticket's creation), so a retry signs the same link.</summary>
    public static string SignStatus(string clientId, string ticketId, DateTimeOffset createdAt, string linkSigningKey) =>
        Sign(["status", clientId, ticketId], createdAt + StatusLinkLifetime, linkSigningKey);

    public static LinkTokenProblem VerifyStatus(string? text, string clientId, string ticketId, string linkSigningKey, DateTimeOffset now)
    {
        var (fields, problem) = Verify(text, "status", linkSigningKey, now);
        if (fields is null) return problem;
        return fields.Length == 4 && fields[1] == clientId && fields[2] == ticketId ? LinkTokenProblem.None : LinkTokenProblem.WrongTicket;
    }

    /// <summary>The path of a ticket's status page (the caller puts the public base URL before it).</summary>
    public static string StatusPath(string clientId, string ticketId, string token) =>
        $"/api/portal/{Uri.EscapeDataString(clientId)}/tickets/{Uri.EscapeDataString(ticketId)}?token={Uri.EscapeDataString(token)}";

    public static string SignForm(string clientId, string visit, DateTimeOffset now, string linkSigningKey) =>
        Sign(["form", clientId, visit], now + FormLifetime, linkSigningKey);

    /// <summary>The visit a form token names, when it is this client's and still fresh.</summary>
    public static (string? Visit, LinkTokenProblem Problem) VerifyForm(string? text, string clientId, string linkSigningKey, DateTimeOffset now)
    {
        var (fields, problem) = Verify(text, "form", linkSigningKey, now);
        if (fields is null) return (null, problem);
        // Another client's form token is as good as forged here (the TypeScript reason too).
        return fields.Length == 4 && fields[1] == clientId ? (fields[2], LinkTokenProblem.None) : (null, LinkTokenProblem.BadSignature);
    }

    private static string Sign(string[] fields, DateTimeOffset expiresAt, string linkSigningKey)
    {
        var json = JsonSerializer.Serialize(new object[] { fields[0], fields[1], fields[2], expiresAt.ToUnixTimeMilliseconds() });
        var payload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
        return payload + "." + Base64Url.EncodeToString(LinkTokens.Mac(PortalKey(linkSigningKey), payload));
    }

    /// <summary>The token's string fields (kind first), or why it does not verify.</summary>
    private static (string[]? Fields, LinkTokenProblem Problem) Verify(string? text, string kind, string linkSigningKey, DateTimeOffset now)
    {
        text ??= "";
        var parts = text.Split('.');
        if (text.Length > MaxTokenChars || parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            return (null, LinkTokenProblem.Malformed);
        var given = LinkTokens.Canonical(parts[1]);
        if (given is null || !CryptographicOperations.FixedTimeEquals(given, LinkTokens.Mac(PortalKey(linkSigningKey), parts[0])))
            return (null, LinkTokenProblem.BadSignature);
        var bytes = LinkTokens.Canonical(parts[0]);
        if (bytes is null) return (null, LinkTokenProblem.Malformed);
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() < 2) return (null, LinkTokenProblem.Malformed);
            var last = root[root.GetArrayLength() - 1];
            if (last.ValueKind != JsonValueKind.Number || !last.TryGetInt64(out var expires)) return (null, LinkTokenProblem.Malformed);
            var fields = new List<string>();
            for (var i = 0; i < root.GetArrayLength() - 1; i++)
            {
                if (root[i].ValueKind != JsonValueKind.String) return (null, LinkTokenProblem.Malformed);
                fields.Add(root[i].GetString()!);
            }
            fields.Add("");
            if (fields[0] != kind) return (null, LinkTokenProblem.Malformed);
            if (now > DateTimeOffset.FromUnixTimeMilliseconds(expires)) return (null, LinkTokenProblem.Expired);
            return ([.. fields], LinkTokenProblem.None);
        }
        catch (Exception e) when (e is JsonException or ArgumentOutOfRangeException)
        {
            return (null, LinkTokenProblem.Malformed);
        }
    }
}
