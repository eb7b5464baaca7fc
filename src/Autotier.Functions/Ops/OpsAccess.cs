using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Autotier.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;

namespace Autotier.Functions.Ops;

/// <summary>
/// Who may open the ops pages (TS <c>opsAccess.ts</c>). The TypeScript app chose the trigger's level
/// at start: the host's admin key, or anonymous behind App Service authentication. A C# trigger's
/// level is fixed at build time (it is in <c>functions.metadata</c>), and a signed-in engineer
/// carries no key, so the ops triggers are anonymous to the host and this rule, in the handler,
/// is the gate, the same on Azure and on the local host:
/// <list type="bullet">
/// <item>with App Service authentication on (<c>WEBSITE_AUTH_ENABLED</c>, which the platform sets): the
/// signed-in principal the platform adds (<c>X-MS-CLIENT-PRINCIPAL-NAME</c>, and <c>X-MS-CLIENT-PRINCIPAL</c>,
/// base64 JSON claims; the platform strips both from what callers send) must hold the <c>Ops.Read</c>
/// app role: signing in alone is not enough, as the same sign-in may serve a client's requesters.
/// No principal: 401 with the way to sign in; a principal without the role: 403;</item>
/// <item>without it: the ops key (<c>AUTOTIER_OPS_KEY</c>, a Key Vault reference in Azure) in the
/// <c>x-functions-key</c> header or the <c>code</c> query, as a function key is sent; none or a wrong
/// one: 401; no key configured: 403 for everyone (closed, never open by omission).</item>
/// </list>
/// </summary>
public sealed record OpsAccessSettings(bool SignIn, string? Key)
{
    public const string Role = "Ops.Read";

    public static OpsAccessSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var key = configuration["AUTOTIER_OPS_KEY"];
        return new OpsAccessSettings(
            string.Equals(configuration["WEBSITE_AUTH_ENABLED"], "true", StringComparison.OrdinalIgnoreCase),
            string.IsNullOrWhiteSpace(key) ? null : key.Trim());
    }
}

/// <summary>Who is looking: the signed-in engineer's name, or <c>ops key</c>; <paramref name="Code"/> is the query key to carry on in links, when it came that way.</summary>
public sealed record OpsCaller(string Who, string? Code)
{
    /// <summary>The query that carries the key on to the next page (<c>?code=...</c>), or nothing with a sign-in or the key header.</summary>
    public string KeyQuery => Code is null ? "" : "?code=" + Uri.EscapeDataString(Code);
}

public static class OpsAccess
{
    private static readonly string[] RoleClaims = ["roles", "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"];

    /// <summary>The caller, or the refusal to answer with; with <paramref name="ticketId"/>, a 400 too when it is not a ticket id (after the access rule, so nothing is said to a stranger).</summary>
    public static (OpsCaller? Caller, IActionResult? Refusal) Check(HttpRequest request, OpsAccessSettings settings, DateTimeOffset now, string? ticketId = null)
    {
        var (caller, refusal) = Caller(request, settings, now);
        if (refusal is null && ticketId is not null && !Autotier.Domain.Tickets.TicketIds.IsTicketId(ticketId))
            return (null, OpsPages.Refuse(request, 400, "Not a ticket", "ticketId: must look like T-1042", now));
        return (caller, refusal);
    }

    private static (OpsCaller? Caller, IActionResult? Refusal) Caller(HttpRequest request, OpsAccessSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.SignIn)
        {
            var name = request.Headers["X-MS-CLIENT-PRINCIPAL-NAME"].ToString();
            if (name.Length == 0)
            {
                var back = request.Path.Value ?? "/";
                return (null, OpsPages.Refuse(request, 401, "Sign in first", "the ops pages need the MSP sign-in", now,
                    ($"/.auth/login/aad?post_login_redirect_uri={Uri.EscapeDataString(back)}", "Sign in with your MSP account")));
            }
            if (!Roles(request.Headers["X-MS-CLIENT-PRINCIPAL"].ToString()).Contains(OpsAccessSettings.Role, StringComparer.Ordinal))
                return (null, OpsPages.Refuse(request, 403, "Not for this account",
                    $"the ops pages need the {OpsAccessSettings.Role} app role; ask your administrator to assign it", now));
            return (new OpsCaller(name, null), null);
        }
        if (settings.Key is null)
            return (null, OpsPages.Refuse(request, 403, "The ops pages are closed",
                "turn on App Service authentication or set AUTOTIER_OPS_KEY to open them", now, ("/", "Home")));
        var header = request.Headers["x-functions-key"].ToString();
        var code = request.Query["code"].ToString();
        var given = header.Length > 0 ? header : code;
        if (given.Length == 0 || !Same(given, settings.Key))
            return (null, OpsPages.Refuse(request, 401, "Key needed", "the ops pages need the ops key (x-functions-key header or code query)", now, ("/", "Home")));
        return (new OpsCaller("ops key", header.Length > 0 ? null : code), null);
    }

    /// <summary>The roles in App Service's <c>X-MS-CLIENT-PRINCIPAL</c> (base64 JSON <c>{claims: [{typ, val}]}</c>); none when it does not parse.</summary>
    public static IReadOnlyList<string> Roles(string? header)
    {
        if (string.IsNullOrEmpty(header)) return [];
        try
        {
            using var doc = JsonDocument.Parse(Convert.FromBase64String(header));
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("claims", out var claims) || claims.ValueKind != JsonValueKind.Array)
                return [];
            return [.. claims.EnumerateArray()
                .Where(c => c.ValueKind == JsonValueKind.Object
                    && c.TryGetProperty("typ", out var typ) && typ.ValueKind == JsonValueKind.String && RoleClaims.Contains(typ.GetString(), StringComparer.Ordinal)
                    && c.TryGetProperty("val", out var val) && val.ValueKind == JsonValueKind.String)
                .Select(c => c.GetProperty("val").GetString()!)];
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return [];
        }
    }

    /// <summary>Compared in constant time over hashes, so neither the length nor a prefix leaks.</summary>
    private static bool Same(string given, string key) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
