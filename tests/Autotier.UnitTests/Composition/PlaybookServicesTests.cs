using Autotier.Adapters.Graph;
using Autotier.Application.Playbooks;
using Autotier.Application.Ports;
using Autotier.Domain.Clients;
using Autotier.Domain.Playbooks;
using Autotier.Functions.Composition;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Autotier.UnitTests.Composition;

/// <summary>AddPlaybooks on top of AddAutotier, resolved without touching storage or Graph.</summary>
public sealed class PlaybookServicesTests
{
    [Fact]
    public void The_playbooks_compose_with_the_app_and_read_the_directory_secret_from_the_app_settings()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["AUTOTIER_DIRECTORY_CLIENT_SECRET"] = "not-a-real-secret",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddAutotier(configuration);
        services.AddPlaybooks(configuration);
        using var provider = services.BuildServiceProvider();

        Assert.IsType<PlaybookRunner>(provider.GetRequiredService<IPlaybooks>());
        Assert.NotNull(provider.GetRequiredService<IActionLog>());
        Assert.Contains(provider.GetServices<IHostedService>(), h => h.GetType().Name == "AuditTableSetup");
        var directories = provider.GetRequiredService<IDirectories>();
        var client = new ClientProfile("demo", "Demo");
        Assert.Null(directories.ForClient(client)); // no connection: guides only
        var secret = client with { Directory = new DirectoryConnection("t-1", DirectoryCredentials.ClientSecret) { AppId = "app-1" } };
        var directory = Assert.IsType<GraphDirectory>(directories.ForClient(secret));
        Assert.Same(directory, directories.ForClient(secret)); // kept while the connection is unchanged
        Assert.NotSame(directory, directories.ForClient(secret with { Directory = secret.Directory! with { AppId = "app-2" } }));
        var badUrl = secret with { Directory = secret.Directory! with { BaseUrl = "graph.example" } };
        Assert.Equal("the client's directory connection is incomplete: baseUrl \"graph.example\" is not an http(s) address",
            Assert.Throws<DirectoryException>(() => directories.ForClient(badUrl)).Message);
        var noApp = secret with { Directory = secret.Directory! with { AppId = null, Credential = DirectoryCredentials.WorkloadIdentity } };
        Assert.Equal("the client's directory connection is incomplete: appId is missing", Assert.Throws<DirectoryException>(() => directories.ForClient(noApp)).Message);
    }
}
