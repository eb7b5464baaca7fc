using Autotier.Functions.Composition;
using Autotier.Functions.Portal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Autotier.UnitTests.Portal;

/// <summary>The portal's setting as the infra deploys it (Bicep <c>portalSignIn=true</c> sets AUTOTIER_EASY_AUTH=1).</summary>
public sealed class PortalCompositionTests
{
    private static bool EasyAuth(string? value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AUTOTIER_EASY_AUTH"] = value }).Build();
        using var provider = new ServiceCollection().AddPortal(configuration).BuildServiceProvider();
        return provider.GetRequiredService<PortalOptions>().EasyAuth;
    }

    [Fact]
    public void Only_1_puts_the_portal_behind_the_platforms_sign_in()
    {
        Assert.True(EasyAuth("1"));
        // Anything else leaves the principal header untrusted (a caller could send one).
        Assert.False(EasyAuth(null));
        Assert.False(EasyAuth("0"));
        Assert.False(EasyAuth("true"));
    }
}
