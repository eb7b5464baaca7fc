using Autotier.Application.Clients;
using Autotier.Application.Ports;
using Autotier.Functions.Composition;
using Autotier.TestSupport.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Autotier.UnitTests.Infra;

/// <summary>The deployed app writes AUTOTIER_CLIENT_PROFILE to its client store as it starts, and only when the setting is there.</summary>
public sealed class ProfileSeedCompositionTests
{
    private static ServiceProvider Compose(string? profile, InMemoryClientStore clients)
    {
        var settings = new Dictionary<string, string?> { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" };
        if (profile is not null) settings[DeployedProfile.Setting] = profile;
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddAutotier(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddSingleton<IClientStore>(clients);
        return services.BuildServiceProvider();
    }

    [Fact(Timeout = 10_000)]
    public async Task The_profile_setting_is_written_when_the_app_starts()
    {
        var clients = new InMemoryClientStore();
        using var provider = Compose("""{"clientId": "example-dental", "name": "Example Dental Group", "slaTier": "premium"}""", clients);
        var seed = Assert.Single(provider.GetServices<IHostedService>(), h => h.GetType().Name == "ClientProfileSeed");

        await seed.StartAsync(default);

        var stored = await clients.GetAsync("example-dental", default);
        Assert.Equal(("Example Dental Group", "premium"), (stored!.Name, stored.SlaTier));
    }

    [Fact]
    public void Without_the_setting_nothing_is_seeded()
    {
        using var provider = Compose(null, new InMemoryClientStore());
        Assert.DoesNotContain(provider.GetServices<IHostedService>(), h => h.GetType().Name == "ClientProfileSeed");
    }
}
