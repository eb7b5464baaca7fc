using System.Text;
using System.Text.Json;
using Autotier.Domain.Clients;
using Microsoft.AspNetCore.Http;

namespace Autotier.Functions.Portal;

/// <summary>AUTOTIER_EASY_AUTH=1: App Service authentication (Entra sign-in, unauthenticated requests allowed) fronts the app.</summary>
public sealed record PortalOptions(bool EasyAuth);

/// <summary>Who is filing: the signed-in user (trusted address), or someone who typed one (null).</summary>
public sealed record PortalCaller(PortalPages.SignedIn? SignedIn, int? RefusedStatus = null, string? Refusal = null)
{
    public bool Anonymous => SignedIn is null;
}

/// <summary>Who may use a client's portal (TypeScript src/portal/portalAccess.ts).</summary>
public static class PortalAccess
{
    private static readonly string[] EmailClaims =
    [
        "preferred_username",
        "email",
        "emails",
        "upn",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn",
    ];

    private static readonly string[] NameClaims = ["name", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"];

    /// <summary>
    /// Without the platform's sign-in (locally, or where it is off) the email field stands in and
    /// everyone is anonymous. With it, the signed-in user is required, unless the client's profile
    /// lets anonymous requesters file.
    /// </summary>
    public static PortalCaller For(HttpRequest request, ClientProfile client, bool easyAuth)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        if (!easyAuth) return new PortalCaller(null);
        if (SignedInUser(request.Headers["x-ms-client-principal"].ToString()) is { } user) return new PortalCaller(user);
        if (client.Portal?.Anonymous == true) return new PortalCaller(null);
        return new PortalCaller(null, 401, $"sign in with your {client.Name} account to use this page");
    }

    /// <summary>
    /// The user App Service authentication signed in, from its <c>x-ms-client-principal</c> (base64
    /// JSON <c>{claims: [{typ, val}]}</c>; the platform sets it and strips any a caller sends). Only
    /// trusted when AUTOTIER_EASY_AUTH says the platform is in front.
    /// </summary>
    public static PortalPages.SignedIn? SignedInUser(string? header)
    {
        if (string.IsNullOrEmpty(header) || header.Length > 64 * 1024) return null;
        try
        {
            using var doc = JsonDocument.Parse(Convert.FromBase64String(header));
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("claims", out var claims)
                || claims.ValueKind != JsonValueKind.Array) return null;
            string? Claim(string[] names) => names
                .Select(n => claims.EnumerateArray().FirstOrDefault(c => c.ValueKind == JsonValueKind.Object
                    && c.TryGetProperty("typ", out var typ) && typ.ValueKind == JsonValueKind.String && typ.GetString() == n))
                .Select(c => c.ValueKind == JsonValueKind.Object && c.TryGetProperty("val", out var val) && val.ValueKind == JsonValueKind.String ? val.GetString() : null)
                .FirstOrDefault(v => !string.IsNullOrEmpty(v));
            var email = Claim(EmailClaims);
            if (email is null || !email.Contains('@', StringComparison.Ordinal)) return null;
            var name = Claim(NameClaims);
            return new PortalPages.SignedIn(email.Trim().ToLowerInvariant(), name is null ? null : name[..Math.Min(200, name.Length)]);
        }
        catch (Exception e) when (e is FormatException or JsonException or DecoderFallbackException)
        {
            return null;
        }
    }
}
