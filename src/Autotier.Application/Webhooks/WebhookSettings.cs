using Autotier.Domain.Webhooks;

namespace Autotier.Application.Webhooks;

/// <summary>
/// The webhook settings, with the TypeScript app's names: <c>AUTOTIER_WEBHOOK_SECRETS</c> (generic,
/// comma-separated, newest first), <c>AUTOTIER_PSA_TYPE</c>, <c>AUTOTIER_PSA_BASE_URL</c>,
/// <c>AUTOTIER_PSA_WEBHOOK_SECRETS</c> (Autotask's SecretKey; Halo's Basic <c>user:password</c>),
/// <c>AUTOTIER_PSA_MAPPING</c>.
/// </summary>
public sealed record WebhookSettings(IReadOnlyList<string> GenericSecrets, string? PsaVendor, string? PsaBaseUrl, IReadOnlyList<string> PsaSecrets, PsaIntakeMapping Mapping)
{
    public static WebhookSettings From(Func<string, string?> setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var vendor = setting("AUTOTIER_PSA_TYPE")?.Trim().ToLowerInvariant();
        return new WebhookSettings(
            List(setting("AUTOTIER_WEBHOOK_SECRETS")),
            PsaVendors.IsVendor(vendor) ? vendor : null,
            setting("AUTOTIER_PSA_BASE_URL")?.Trim() is { Length: > 0 } url ? url : null,
            List(setting("AUTOTIER_PSA_WEBHOOK_SECRETS")),
            PsaIntakeMapping.Parse(setting("AUTOTIER_PSA_MAPPING")));
    }

    private static string[] List(string? value) =>
        (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
