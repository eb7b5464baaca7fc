using Autotier.Functions.Composition;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Autotier.UnitTests.Composition;

/// <summary>
/// The start-up check for Key Vault references App Service could not resolve (src/config.ts's
/// unresolvedKeyVaultReferences and readConfig): the settings named, sorted, never their values.
/// </summary>
public sealed class KeyVaultReferencesTests
{
    private const string Reference = "@Microsoft.KeyVault(SecretUri=https://autotier-kv.vault.azure.net/secrets/link-signing-key/)";

    private static IConfiguration Settings(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

    [Fact]
    public void A_setting_still_reading_as_a_reference_is_named_and_resolved_ones_are_not()
    {
        var configuration = Settings(new()
        {
            ["AUTOTIER_LINK_SIGNING_KEY"] = Reference,
            // Any case, leading space: App Service hands over the text as it was typed.
            ["AUTOTIER_GRAPH_CLIENT_SECRET"] = "  @microsoft.keyvault(VaultName=autotier-kv;SecretName=graph)",
            // Nested settings arrive as AzureWebJobsStorage__clientId: named as the operator spells them.
            ["AzureWebJobsStorage:clientId"] = "@Microsoft.KeyVault(SecretUri=https://x.vault.azure.net/secrets/id/)",
            ["AUTOTIER_MAIL_FROM"] = "support@demo.example",
            // Resolved: the secret's value, which may well mention Key Vault further on.
            ["AUTOTIER_WEBHOOK_SECRET"] = "s3cret @Microsoft.KeyVault(",
            ["AUTOTIER_EMPTY"] = "",
        });

        Assert.Equal(["AUTOTIER_GRAPH_CLIENT_SECRET", "AUTOTIER_LINK_SIGNING_KEY", "AzureWebJobsStorage__clientId"], KeyVaultReferences.Unresolved(configuration));
        Assert.Empty(KeyVaultReferences.Unresolved(Settings(new() { ["AUTOTIER_LINK_SIGNING_KEY"] = "a resolved key" })));
    }

    [Fact]
    public void The_message_names_the_settings_and_what_to_do_never_the_value()
    {
        var one = Assert.Throws<UnresolvedKeyVaultReferenceException>(() =>
            KeyVaultReferences.ThrowIfAny(Settings(new() { ["AUTOTIER_LINK_SIGNING_KEY"] = Reference })));
        Assert.Equal(
            "AUTOTIER_LINK_SIGNING_KEY is a Key Vault reference that did not resolve: give the app's identity \"Key Vault Secrets User\" on the vault, check the secret exists, and restart the app",
            one.Message);
        Assert.DoesNotContain("vault.azure.net", one.Message, StringComparison.Ordinal);

        var two = Assert.Throws<UnresolvedKeyVaultReferenceException>(() =>
            KeyVaultReferences.ThrowIfAny(Settings(new() { ["B_SETTING"] = Reference, ["A_SETTING"] = Reference })));
        Assert.StartsWith("A_SETTING, B_SETTING are Key Vault references that did not resolve:", two.Message, StringComparison.Ordinal);
        Assert.Equal(["A_SETTING", "B_SETTING"], two.Settings);
    }

    [Fact]
    public void The_app_refuses_to_compose_with_an_unresolved_reference()
    {
        // The composition root both hosts call: the app does not get as far as reading the key.
        var configuration = Settings(new()
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["AUTOTIER_LINK_SIGNING_KEY"] = Reference,
        });
        var error = Assert.Throws<UnresolvedKeyVaultReferenceException>(() => new ServiceCollection().AddAutotier(configuration));
        Assert.Equal(["AUTOTIER_LINK_SIGNING_KEY"], error.Settings);
    }
}
