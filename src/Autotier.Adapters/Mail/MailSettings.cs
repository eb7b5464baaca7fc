using System.Data.Common;

namespace Autotier.Adapters.Mail;

/// <summary>
/// How AUTOTIER_ACS_ENDPOINT names the Communication Service: an endpoint URL (the app's managed
/// identity signs in, as the TypeScript app does), or a connection string
/// <c>endpoint=https://...;accesskey=...</c> (requests signed with the key; for a resource without
/// an identity, or a local fake). The key is never part of an error message.
/// </summary>
public sealed record AcsEndpoint(Uri Endpoint, byte[]? AccessKey)
{
    public const string Setting = "AUTOTIER_ACS_ENDPOINT";

    public static AcsEndpoint Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new FormatException($"{Setting} must be set when AUTOTIER_MAIL_MODE=acs");
        if (!value.Contains('=', StringComparison.Ordinal))
            return new AcsEndpoint(Url(value), null);
        var parts = new DbConnectionStringBuilder();
        try
        {
            parts.ConnectionString = value;
        }
        catch (ArgumentException)
        {
            throw new FormatException($"{Setting} is neither a URL nor a connection string endpoint=...;accesskey=...");
        }
        var endpoint = parts.TryGetValue("endpoint", out var e) ? e as string : null;
        var key = parts.TryGetValue("accesskey", out var k) ? k as string : null;
        if (endpoint is null || key is null) throw new FormatException($"{Setting}: a connection string needs endpoint and accesskey");
        try
        {
            return new AcsEndpoint(Url(endpoint), Convert.FromBase64String(key));
        }
        catch (FormatException) when (Uri.IsWellFormedUriString(endpoint, UriKind.Absolute))
        {
            throw new FormatException($"{Setting}: accesskey is not base64");
        }
    }

    private static Uri Url(string value) =>
        Uri.TryCreate(value.Trim(), UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.IsLoopback)
            ? url
            : throw new FormatException($"{Setting}: the endpoint must be an https URL");

    /// <summary>The key stays out of logs and test output.</summary>
    public override string ToString() => $"AcsEndpoint {{ Endpoint = {Endpoint}, AccessKey = {(AccessKey is null ? "none" : "set")} }}";
}
