using System.Text;
using System.Text.Json;
using Autotier.Functions.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace Autotier.LocalHost.Http;

/// <summary>
/// App Service authentication ("Easy Auth") as the local host plays it. In Azure the platform's front
/// end removes any <c>X-MS-CLIENT-PRINCIPAL*</c> and <c>X-MS-TOKEN-*</c> header a caller sends and,
/// for a signed-in user, adds its own; the ops pages (<c>WEBSITE_AUTH_ENABLED</c>) and the portal
/// (<c>AUTOTIER_EASY_AUTH</c>) trust those headers. The local host must not be kinder, so:
/// <list type="bullet">
/// <item>it always removes those headers from what callers send, sign-in simulated or not (a forged
/// principal never reaches a function);</item>
/// <item>with <c>AUTOTIER_LOCAL_SIGN_IN=1</c> (for trying and testing the signed-in pages; off by
/// default) a request may say who is signed in with <c>X-Local-Sign-In: {"email": ..., "name": ...,
/// "roles": [...]}</c>, and the host adds the headers the platform would for that Entra user:
/// <c>X-MS-CLIENT-PRINCIPAL-NAME</c> (the email, as Entra's <c>preferred_username</c>),
/// <c>X-MS-CLIENT-PRINCIPAL-IDP: aad</c> and <c>X-MS-CLIENT-PRINCIPAL</c> (base64 JSON claims).</item>
/// </list>
/// The simulation is in this assembly only, which is never deployed, and refuses to start where App
/// Service's own settings are present (<see cref="Enabled"/>).
/// </summary>
public static class LocalSignIn
{
    public const string Setting = "AUTOTIER_LOCAL_SIGN_IN";

    public const string Header = "X-Local-Sign-In";

    /// <summary>Settings App Service sets on every site: their presence means this is not a developer's machine.</summary>
    private static readonly string[] AppServiceSettings = ["WEBSITE_INSTANCE_ID", "WEBSITE_SITE_NAME"];

    private static readonly string[] PlatformHeaders = ["X-MS-CLIENT-PRINCIPAL", "X-MS-CLIENT-PRINCIPAL-NAME", "X-MS-CLIENT-PRINCIPAL-ID", "X-MS-CLIENT-PRINCIPAL-IDP"];

    /// <summary>Whether the simulation is on; throws when it is asked for where App Service runs the app.</summary>
    public static bool Enabled(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration[Setting] != "1") return false;
        if (AppServiceSettings.FirstOrDefault(s => !string.IsNullOrEmpty(configuration[s])) is { } found)
            throw new InvalidOperationException($"{Setting}=1 simulates sign-in on the local host only; {found} says this is App Service, where the platform signs people in");
        return true;
    }

    public static void Use(WebApplication app, bool simulate)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(async (context, next) =>
        {
            var headers = context.Request.Headers;
            foreach (var name in headers.Keys.Where(IsPlatformHeader).ToList()) headers.Remove(name);
            var claimed = headers[Header].ToString();
            headers.Remove(Header);
            if (simulate && claimed.Length > 0)
            {
                if (Principal(claimed) is not { } user)
                {
                    await HttpFunctionRoutes.SendAsync(context, HttpJson.Error(StatusCodes.Status400BadRequest,
                        $"{Header}: must be JSON {{\"email\": \"a@b.example\", \"name\": \"...\", \"roles\": [\"Ops.Read\"]}}"));
                    return;
                }
                headers["X-MS-CLIENT-PRINCIPAL-NAME"] = user.Email;
                headers["X-MS-CLIENT-PRINCIPAL-IDP"] = "aad";
                headers["X-MS-CLIENT-PRINCIPAL"] = Encode(user);
            }
            await next(context);
        });
    }

    private static bool IsPlatformHeader(string name) =>
        PlatformHeaders.Contains(name, StringComparer.OrdinalIgnoreCase) || name.StartsWith("X-MS-TOKEN-", StringComparison.OrdinalIgnoreCase);

    private sealed record User(string Email, string? Name, IReadOnlyList<string> Roles);

    private static User? Principal(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("email", out var email) || email.ValueKind != JsonValueKind.String || !(email.GetString() ?? "").Contains('@', StringComparison.Ordinal))
                return null;
            string? name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            var roles = root.TryGetProperty("roles", out var r) && r.ValueKind == JsonValueKind.Array
                ? r.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList()
                : [];
            return new User(email.GetString()!, name, roles);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The principal as Easy Auth writes it: base64 of <c>{auth_typ, claims: [{typ, val}], name_typ, role_typ}</c>.</summary>
    private static string Encode(User user)
    {
        var claims = new List<object> { new { typ = "preferred_username", val = user.Email } };
        if (user.Name is not null) claims.Add(new { typ = "name", val = user.Name });
        claims.AddRange(user.Roles.Select(role => new { typ = "roles", val = role }));
        var json = JsonSerializer.Serialize(new { auth_typ = "aad", claims, name_typ = "preferred_username", role_typ = "roles" });
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
    }
}
