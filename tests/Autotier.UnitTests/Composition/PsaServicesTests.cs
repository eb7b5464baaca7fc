using Autotier.Application.Ports;
using Autotier.Application.Psa;
using Autotier.Functions.Composition;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Autotier.UnitTests.Composition;

/// <summary>AUTOTIER_PSA_TYPE and its settings choose the PSA as the TypeScript app's psaFromConfig does.</summary>
public sealed class PsaServicesTests
{
    private static ServiceProvider Compose(Dictionary<string, string?> settings)
    {
        settings["AzureWebJobsStorage"] = "UseDevelopmentStorage=true";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddAutotier(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Without_a_psa_nothing_is_written_back_and_changes_answer_not_configured()
    {
        using var provider = Compose([]);
        Assert.Same(NoPsa.Instance, provider.GetRequiredService<IPsa>());
        Assert.NotNull(provider.GetRequiredService<PsaChanges>());
        Assert.Null(provider.GetService<PsaConnection>());
    }

    [Theory]
    [InlineData("connectwise", "Autotier.Adapters.Psa.ConnectWiseApi")]
    [InlineData("autotask", "Autotier.Adapters.Psa.AutotaskApi")]
    [InlineData("halopsa", "Autotier.Adapters.Psa.HaloApi")]
    public void Each_psa_type_gets_its_adapter_and_the_write_back(string type, string adapter)
    {
        using var provider = Compose(new()
        {
            ["AUTOTIER_PSA_TYPE"] = type,
            ["AUTOTIER_PSA_BASE_URL"] = "https://psa.example.net/v4_6_release/apis/3.0",
            ["AUTOTIER_PSA_COMPANY_ID"] = "examplemsp",
            ["AUTOTIER_PSA_USERNAME"] = "public",
            ["AUTOTIER_PSA_SECRET"] = "very-secret",
            ["AUTOTIER_PSA_CLIENT_ID"] = "client",
            ["AUTOTIER_PSA_MAPPING"] = """{"companies": {"42": "demo"}}""",
        });
        Assert.IsType<PsaWriteBack>(provider.GetRequiredService<IPsa>());
        var connection = provider.GetRequiredService<PsaConnection>();
        Assert.Equal(adapter, connection.Api.GetType().FullName);
        Assert.Equal(type, connection.Vendor);
        Assert.Equal("demo", connection.Mapping.Companies["42"]);
    }

    [Theory]
    [InlineData("freshdesk", null, "AUTOTIER_PSA_TYPE must be connectwise, autotask, halopsa or none")]
    [InlineData("connectwise", "http://psa.example.net", "AUTOTIER_PSA_BASE_URL must be an https URL")]
    [InlineData("autotask", "https://psa.example.net", "AUTOTIER_PSA_CLIENT_ID must be set when AUTOTIER_PSA_TYPE is set")]
    public void A_missing_or_bad_setting_stops_the_host_with_the_setting_named_never_a_secret(string type, string? baseUrl, string expected)
    {
        var e = Assert.ThrowsAny<Exception>(() => Compose(new()
        {
            ["AUTOTIER_PSA_TYPE"] = type,
            ["AUTOTIER_PSA_BASE_URL"] = baseUrl,
            ["AUTOTIER_PSA_USERNAME"] = "public",
            ["AUTOTIER_PSA_SECRET"] = "very-secret",
        }).Dispose());
        Assert.Equal(expected, e.Message);
    }
}
