using Autotier.LocalHost.Dev;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Autotier.UnitTests.Functions;

/// <summary>Issue #33, fix 8: the local host says which webhook secret is in use, and never shows a configured one.</summary>
public sealed class DevWebhookSecretTests
{
    private static IConfiguration With(string? secrets) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AUTOTIER_WEBHOOK_SECRETS"] = secrets }).Build();

    [Fact]
    public void The_development_secret_is_named_so_the_documented_example_works() =>
        Assert.Contains(DevWebhookSecret.Value, DevWebhookSecret.Describe(With(DevWebhookSecret.Value)), StringComparison.Ordinal);

    [Fact]
    public void A_configured_secret_is_never_shown()
    {
        var line = DevWebhookSecret.Describe(With("prod-secret-1,prod-secret-2"));
        Assert.DoesNotContain("prod-secret", line, StringComparison.Ordinal);
        Assert.Contains("AUTOTIER_WEBHOOK_SECRETS", line, StringComparison.Ordinal);
    }
}
