using Microsoft.Extensions.Configuration;

namespace Autotier.Functions.Composition;

/// <summary>
/// The app settings the first slice reads (environment variables in Azure, as in the TypeScript app:
/// same names, same defaults).
/// </summary>
public sealed record AutotierSettings(Adapters.StorageConnection Storage, string TablePrefix, string PublicBaseUrl, string IntakeQueue)
{
    /// <summary>AUTOTIER_HISTORY_RETENTION_DAYS (30): days a finished workflow's Durable history is kept.</summary>
    public int HistoryRetentionDays { get; init; } = 30;

    public static AutotierSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new AutotierSettings(
            Adapters.StorageConnection.From(configuration),
            configuration["AUTOTIER_TABLE_PREFIX"] ?? Adapters.StorageNames.DefaultPrefix,
            // As the TypeScript app: unset means links relative to the host that answered.
            (configuration["AUTOTIER_PUBLIC_BASE_URL"] ?? "").TrimEnd('/'),
            configuration["AUTOTIER_INTAKE_QUEUE"] ?? "autotier-intake")
        {
            HistoryRetentionDays = int.TryParse(configuration["AUTOTIER_HISTORY_RETENTION_DAYS"], out var days) && days >= 1 ? days : 30,
        };
    }
}
