using Autotier.E2ETests.Support;
using Xunit;

namespace Autotier.E2ETests.LocalHost;

/// <summary>
/// The local host as its own process refuses to start when an app setting still reads
/// <c>@Microsoft.KeyVault(...)</c> (App Service could not resolve it): exit 1, the setting named, its
/// value (the secret's address) nowhere in the output.
/// </summary>
public sealed class KeyVaultStartTests
{
    [Fact(Timeout = 120_000)]
    public async Task An_unresolved_key_vault_reference_stops_the_host_at_start_naming_the_setting_not_its_value()
    {
        const string secretUri = "https://autotier-kv.vault.azure.net/secrets/link-signing-key/";
        var environment = new Dictionary<string, string>
        {
            ["AUTOTIER_AZURITE_IN_MEMORY"] = "1",
            ["AUTOTIER_AZURITE_PORT_BASE"] = "0",
            ["AzureWebJobsStorage"] = "",
            ["AUTOTIER_LINK_SIGNING_KEY"] = $"@Microsoft.KeyVault(SecretUri={secretUri})",
        };
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var host = await LocalHostProcess.StartAsync(LocalHostProcess.FreePort(), environment, TimeSpan.FromSeconds(90));
        });
        // LocalHostProcess reports an early exit as "the local host exited (<code>):" and the output.
        Assert.StartsWith("the local host exited (1):", error.Message, StringComparison.Ordinal);
        Assert.Contains("autotier: AUTOTIER_LINK_SIGNING_KEY is a Key Vault reference that did not resolve", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secretUri, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("listening on", error.Message, StringComparison.Ordinal);
    }
}
