using Autotier.Application.Ports;
using Autotier.Functions.Composition;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Autotier.UnitTests.Composition;

/// <summary>The app's composition with the settings the infra deploys, resolved without touching storage.</summary>
public sealed class AutotierServicesTests
{
    private static ServiceProvider Compose(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddAutotier(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void The_identity_based_storage_settings_the_infra_deploys_compose_the_app()
    {
        // As infra/modules/function-app.bicep sets them: no connection string, a user-assigned identity.
        using var provider = Compose(new()
        {
            ["AzureWebJobsStorage:credential"] = "managedidentity",
            ["AzureWebJobsStorage:clientId"] = "00000000-0000-0000-0000-000000000001",
            ["AzureWebJobsStorage:tableServiceUri"] = "https://autotierdemo.table.core.windows.net/",
            ["AzureWebJobsStorage:queueServiceUri"] = "https://autotierdemo.queue.core.windows.net/",
            ["AzureWebJobsStorage:blobServiceUri"] = "https://autotierdemo.blob.core.windows.net/",
        });

        var tables = provider.GetRequiredService<TableServiceClient>();
        Assert.Equal("autotierdemo", tables.AccountName);
        Assert.NotNull(provider.GetRequiredService<ITicketStore>());
        Assert.Equal("", provider.GetRequiredService<AutotierSettings>().PublicBaseUrl);
    }

    [Fact]
    public void Every_function_class_can_be_made_from_the_composition()
    {
        // The Functions host makes each [Function] class from the container per invocation: a
        // dependency nobody registered fails there, at the first request, not at start.
        using var provider = Compose(new() { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" });
        var classes = typeof(AutotierSettings).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false }
                && t.GetMethods().Any(m => !m.IsStatic && m.GetCustomAttributes(typeof(Microsoft.Azure.Functions.Worker.FunctionAttribute), false).Length > 0))
            .ToList();

        Assert.NotEmpty(classes);
        foreach (var type in classes) Assert.NotNull(ActivatorUtilities.CreateInstance(provider, type));
    }

    [Fact]
    public void A_connection_string_composes_the_app_as_Azurite_gives_it()
    {
        using var provider = Compose(new() { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" });
        Assert.Equal("devstoreaccount1", provider.GetRequiredService<TableServiceClient>().AccountName);
    }

    [Fact]
    public void No_storage_setting_fails_at_start_saying_what_to_set()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Compose(new()).GetRequiredService<AutotierSettings>());
        Assert.Contains("AzureWebJobsStorage__tableServiceUri", error.Message, StringComparison.Ordinal);
    }
}
