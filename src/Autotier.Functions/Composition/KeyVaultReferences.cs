using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Autotier.Functions.Composition;

/// <summary>
/// A Key Vault reference App Service could not resolve (no access for the app's identity, a missing
/// secret, a typo) reaches the app as its literal text, <c>@Microsoft.KeyVault(...)</c>. Such a value
/// must stop the app at start, by name, rather than be used later as a password or a signing key
/// (as src/config.ts's <c>unresolvedKeyVaultReferences</c> does for the TypeScript app).
/// </summary>
public static partial class KeyVaultReferences
{
    /// <summary>The settings whose value is still a Key Vault reference, sorted, as App Service names them.</summary>
    public static IReadOnlyList<string> Unresolved(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return [.. configuration.AsEnumerable()
            .Where(setting => setting.Value is not null && Reference().IsMatch(setting.Value))
            // A nested setting arrives as AzureWebJobsStorage:clientId from AzureWebJobsStorage__clientId:
            // name it as the app setting the operator has to fix is spelled.
            .Select(setting => setting.Key.Replace(":", "__", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>Throws <see cref="UnresolvedKeyVaultReferenceException"/> naming every unresolved setting, never its value.</summary>
    public static void ThrowIfAny(IConfiguration configuration)
    {
        var unresolved = Unresolved(configuration);
        if (unresolved.Count > 0) throw new UnresolvedKeyVaultReferenceException(unresolved);
    }

    [GeneratedRegex(@"^\s*@Microsoft\.KeyVault\(", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Reference();
}

/// <summary>The app's settings hold Key Vault references that did not resolve: the app must not start.</summary>
public sealed class UnresolvedKeyVaultReferenceException : InvalidOperationException
{
    public UnresolvedKeyVaultReferenceException(IReadOnlyList<string> settings)
        : base(MessageFor(settings)) => Settings = settings;

    public UnresolvedKeyVaultReferenceException()
        : this([])
    {
    }

    public UnresolvedKeyVaultReferenceException(string message)
        : base(message) => Settings = [];

    public UnresolvedKeyVaultReferenceException(string message, Exception innerException)
        : base(message, innerException) => Settings = [];

    /// <summary>The names of the settings (their values are not kept: they may be a secret's address).</summary>
    public IReadOnlyList<string> Settings { get; }

    // The TypeScript app's words, so the runbook's search for them finds both.
    private static string MessageFor(IReadOnlyList<string> settings) =>
        $"{string.Join(", ", settings)} {(settings.Count == 1 ? "is a Key Vault reference" : "are Key Vault references")} that did not resolve: give the app's identity \"Key Vault Secrets User\" on the vault, check the secret exists, and restart the app";
}
