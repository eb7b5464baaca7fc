using System.Security.Cryptography;
using System.Text;
using Autotier.Domain.Links;

namespace Autotier.Functions.Ops;

/// <summary>
/// The anti-forgery token of the ticket page's action forms: the link token format (an HMAC over
/// ticket, nonce and expiry), with the signed-in caller as the nonce and a key of its own derived
/// from the link signing key, so a form token never works as a mail link (or the other way round),
/// for another ticket, for another engineer, or after it expires. A page from another site cannot
/// read it (the pages are never framed, and cross-site reads are refused by the browser), so it
/// cannot post the form on an engineer's behalf.
/// </summary>
public static class OpsForms
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    public static string Key(string linkSigningKey) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(linkSigningKey), "autotier ops forms v1"u8));

    public static string Token(string ticketId, OpsCaller caller, string linkSigningKey, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return LinkTokens.Sign(new LinkToken(ticketId, "ops:" + caller.Who, now + Lifetime), Key(linkSigningKey));
    }

    /// <summary>Null when the token is this caller's for this ticket and still fresh; else why not.</summary>
    public static string? Problem(string? token, string ticketId, OpsCaller caller, string linkSigningKey, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (string.IsNullOrEmpty(token)) return "token: the form's token is missing; open the ticket page again";
        var (verified, problem) = LinkTokens.Verify(token, ticketId, Key(linkSigningKey), now);
        if (problem == LinkTokenProblem.Expired) return "token: the page is too old; open it again and repeat the action";
        if (verified is null || verified.Nonce != "ops:" + caller.Who) return "token: not a token of this page for you; open the ticket page again";
        return null;
    }
}
