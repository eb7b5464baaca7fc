using Autotier.Adapters.Assistant;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Autotier.UnitTests.Adapters;

/// <summary>The assistant's settings, as src/config.ts reads them.</summary>
public sealed class AzureOpenAiSettingsTests
{
    private static IConfiguration Config(params (string Name, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Name, s.Value))).Build();

    [Fact]
    public void Off_unless_both_endpoint_and_deployment_are_set()
    {
        Assert.Null(AzureOpenAiSettings.From(Config()));
        Assert.Null(AzureOpenAiSettings.From(Config(("AUTOTIER_OPENAI_ENDPOINT", "https://x.openai.azure.com"))));
        Assert.Null(AzureOpenAiSettings.From(Config(("AUTOTIER_OPENAI_DEPLOYMENT", "chat"), ("AUTOTIER_OPENAI_ENDPOINT", "  "))));
    }

    [Fact]
    public void Defaults_are_the_typescript_apps()
    {
        var settings = AzureOpenAiSettings.From(Config(("AUTOTIER_OPENAI_ENDPOINT", "https://x.openai.azure.com/"), ("AUTOTIER_OPENAI_DEPLOYMENT", " chat ")));
        Assert.Equal(
            new AzureOpenAiSettings(new Uri("https://x.openai.azure.com"), "chat", "2024-10-21", null, 200_000, TimeSpan.FromSeconds(5)),
            settings);
    }

    [Fact]
    public void Every_setting_is_read()
    {
        var settings = AzureOpenAiSettings.From(Config(
            ("AUTOTIER_OPENAI_ENDPOINT", "https://x.openai.azure.com"),
            ("AUTOTIER_OPENAI_DEPLOYMENT", "chat"),
            ("AUTOTIER_OPENAI_API_VERSION", "2024-06-01"),
            ("AUTOTIER_OPENAI_API_KEY", "k"),
            ("AUTOTIER_OPENAI_DAILY_TOKENS", "5000"),
            ("AUTOTIER_OPENAI_TIMEOUT_MS", "1500"),
            ("AZURE_CLIENT_ID", "00000000-0000-0000-0000-000000000001")));
        Assert.Equal(
            new AzureOpenAiSettings(new Uri("https://x.openai.azure.com"), "chat", "2024-06-01", "k", 5000, TimeSpan.FromMilliseconds(1500), "00000000-0000-0000-0000-000000000001"),
            settings);
    }

    [Theory]
    [InlineData("AUTOTIER_OPENAI_ENDPOINT", "x.openai.azure.com", "AUTOTIER_OPENAI_ENDPOINT must be the resource URL")]
    [InlineData("AUTOTIER_OPENAI_ENDPOINT", "ftp://x.example", "AUTOTIER_OPENAI_ENDPOINT must be the resource URL")]
    [InlineData("AUTOTIER_OPENAI_API_VERSION", "2025-01-01-preview", "AUTOTIER_OPENAI_API_VERSION must be 2024-10-21 or 2024-06-01")]
    [InlineData("AUTOTIER_OPENAI_DAILY_TOKENS", "0", "AUTOTIER_OPENAI_DAILY_TOKENS must be a positive whole number")]
    [InlineData("AUTOTIER_OPENAI_TIMEOUT_MS", "5s", "AUTOTIER_OPENAI_TIMEOUT_MS must be a positive whole number")]
    public void A_setting_set_wrong_is_a_clear_error(string name, string value, string error)
    {
        var settings = new Dictionary<string, string>
        {
            ["AUTOTIER_OPENAI_ENDPOINT"] = "https://x.openai.azure.com",
            ["AUTOTIER_OPENAI_DEPLOYMENT"] = "chat",
            [name] = value,
        };
        var thrown = Assert.Throws<InvalidOperationException>(() => AzureOpenAiSettings.From(Config([.. settings.Select(s => (s.Key, s.Value))])));
        Assert.StartsWith(error, thrown.Message, StringComparison.Ordinal);
    }
}
