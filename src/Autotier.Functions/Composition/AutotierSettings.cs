using Microsoft.Extensions.Configuration;

namespace Autotier.Functions.Composition;

/// <summary>
/// The app settings the first slice reads (environment variables in Azure, as in the TypeScript app:
/// same names, same defaults).
/// </summary>
public sealed record AutotierSettings(string StorageConnection, string TablePrefix, string PublicBaseUrl, string IntakeQueue)
{
    public static AutotierSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var storage = configuration["AzureWebJobsStorage"];
        if (string.IsNullOrWhiteSpace(storage))
            throw new InvalidOperationException("AzureWebJobsStorage is not set: autotier needs a storage account (Azurite locally)");
        return new AutotierSettings(
            storage,
            configuration["AUTOTIER_TABLE_PREFIX"] ?? Adapters.StorageNames.DefaultPrefix,
            (configuration["AUTOTIER_PUBLIC_BASE_URL"] ?? "http://localhost:7071").TrimEnd('/'),
            configuration["AUTOTIER_INTAKE_QUEUE"] ?? "autotier-intake");
    }
}
