using Microsoft.Extensions.Configuration;

namespace Autotier.LocalHost.Dev;

/// <summary>
/// The generic webhook's secret on the local host (issue #33, fix 8): a fixed, published
/// development value, so the signed-webhook example in docs/intake.md works as written. It is set
/// only when <c>AUTOTIER_WEBHOOK_SECRETS</c> is not, and the local host never runs in Azure. The
/// start says which secret is in use, and names a configured one only by where it came from.
/// </summary>
public static class DevWebhookSecret
{
    public const string Value = "autotier-local-dev-webhook-secret";

    /// <summary>The line the local host prints at start.</summary>
    public static string Describe(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = configuration["AUTOTIER_WEBHOOK_SECRETS"];
        return configured == Value
            ? $"Generic webhook: signed with the development secret \"{Value}\" (docs/intake.md); set AUTOTIER_WEBHOOK_SECRETS for your own"
            : "Generic webhook: signed with the secret(s) in AUTOTIER_WEBHOOK_SECRETS (not shown)";
    }
}
