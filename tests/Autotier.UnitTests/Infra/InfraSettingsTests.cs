using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;
using static Autotier.UnitTests.Infra.InfraFiles;

namespace Autotier.UnitTests.Infra;

/// <summary>
/// The app settings the Bicep gives the function app are exactly the ones the deployed C# code reads
/// (configuration["..."], setting names as literals, the %...% of trigger attributes and host.json),
/// and host.json is what the isolated worker needs on Azure.
/// </summary>
public sealed partial class InfraSettingsTests
{
    /// <summary>The projects that run in Azure (not the local host, the CLI or training).</summary>
    private static readonly string[] Deployed = ["Autotier.Functions", "Autotier.Adapters", "Autotier.Application", "Autotier.Workflow", "Autotier.Domain"];

    /// <summary>Read by the Functions host or the platform, not by our code.</summary>
    private static readonly string[] HostSettings =
    [
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
        // The Durable extension's connection to the Durable Task Scheduler backend.
        "DURABLE_TASK_SCHEDULER_CONNECTION_STRING",
        // App Service authentication: its managed identity credential (function-app.bicep).
        "OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID",
    ];

    /// <summary>Set by the platform: a deployment that set them would forge what the platform vouches for.</summary>
    private static readonly string[] PlatformSet = ["WEBSITE_AUTH_ENABLED"];

    private static IEnumerable<string> CodeLines() =>
        Deployed.SelectMany(p => Directory.EnumerateFiles(Path.Combine(Root, "src", p), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(File.ReadLines)
            .Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal));

    /// <summary>Every setting name the deployed code reads.</summary>
    internal static SortedSet<string> ReadByCode()
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var line in CodeLines())
        {
            foreach (Match m in IndexedRead().Matches(line)) names.Add(m.Groups[1].Value);
            foreach (Match m in SettingLiteral().Matches(line)) names.Add(m.Groups[1].Value);
            foreach (Match m in BindingExpression().Matches(line)) names.Add(m.Groups[1].Value);
        }
        foreach (Match m in BindingExpression().Matches(Read("host.json"))) names.Add(m.Groups[1].Value);
        // The identity form of the storage connection, as StorageConnection reads it.
        names.Remove("AzureWebJobsStorage");
        foreach (Match m in StoragePart().Matches(Read("src", "Autotier.Adapters", "StorageConnection.cs"))) names.Add($"AzureWebJobsStorage__{m.Groups[1].Value}");
        return names;
    }

    [Fact]
    public void The_code_reading_is_found_where_it_is()
    {
        // The scan itself: settings read each way are found, so an empty scan cannot pass the tests below.
        var read = ReadByCode();
        foreach (var known in new[] { "AUTOTIER_TABLE_PREFIX", "AUTOTIER_PSA_TYPE", "AUTOTIER_INTAKE_QUEUE", "AUTOTIER_TASK_HUB", "AUTOTIER_CLIENT_PROFILE", "AUTOTIER_OPS_KEY", "AzureWebJobsStorage__tableServiceUri", "AzureWebJobsStorage__credential" })
            Assert.Contains(known, read);
    }

    [Fact]
    public void The_bicep_sets_every_setting_the_code_reads()
    {
        var set = AppSettings();
        foreach (var name in ReadByCode().Except(PlatformSet))
            Assert.True(set.ContainsKey(name), $"the Bicep does not set {name}, which the C# app reads");
    }

    [Fact]
    public void The_bicep_sets_nothing_the_code_does_not_know_and_nothing_the_platform_sets()
    {
        var read = ReadByCode();
        foreach (var name in AppSettings().Keys)
        {
            if (name.StartsWith("AzureFunctionsJobHost__", StringComparison.Ordinal) || HostSettings.Contains(name)) continue;
            Assert.True(read.Contains(name), $"{name} is set but the C# app does not read it");
        }
        foreach (var name in PlatformSet) Assert.False(AppSettings().ContainsKey(name), name);
    }

    [Fact]
    public void Host_json_runs_durable_on_azure_storage_with_the_task_hub_setting_and_no_extension_bundle()
    {
        var host = JsonNode.Parse(Read("host.json"))!.AsObject();
        // A bundle in host.json makes a dotnet-isolated app start with no functions: its extensions are
        // built into the package's .azurefunctions folder instead (the deploy workflow checks it).
        Assert.False(host.ContainsKey("extensionBundle"));
        var durable = host["extensions"]!["durableTask"]!;
        Assert.Equal("%AUTOTIER_TASK_HUB%", durable["hubName"]!.GetValue<string>());
        Assert.Equal("AzureStorage", durable["storageProvider"]!["type"]!.GetValue<string>());
        Assert.Equal(Autotier.Adapters.StorageConnection.Name, durable["storageProvider"]!["connectionName"]!.GetValue<string>());
        Assert.Equal("api", host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
        // The Bicep's task hub on the storage backend is a name the Azure Storage provider accepts (letters and digits, 3-45).
        var hub = Regex.Match(AppSettings()["AUTOTIER_TASK_HUB"], @": '([^']*)'$");
        Assert.True(hub.Success, AppSettings()["AUTOTIER_TASK_HUB"]);
        Assert.Matches("^[A-Za-z][A-Za-z0-9]{2,44}$", hub.Groups[1].Value);
    }

    [Fact]
    public void The_storage_connection_is_identity_based_with_the_user_assigned_identity()
    {
        var set = AppSettings();
        Assert.Equal("'managedidentity'", set["AzureWebJobsStorage__credential"]);
        Assert.Equal("identityClientId", set["AzureWebJobsStorage__clientId"]);
        foreach (var service in new[] { "blob", "queue", "table" })
            Assert.Equal($"storage.properties.primaryEndpoints.{service}", set[$"AzureWebJobsStorage__{service}ServiceUri"]);
        Assert.Equal("identityClientId", set["AZURE_CLIENT_ID"]);
    }

    [GeneratedRegex(@"configuration\[""([A-Za-z0-9_]+)""\]")]
    private static partial Regex IndexedRead();

    [GeneratedRegex(@"""((?:AUTOTIER|AZURE|WEBSITE|APPLICATIONINSIGHTS)_[A-Z0-9_]+)""")]
    private static partial Regex SettingLiteral();

    [GeneratedRegex(@"%([A-Za-z][A-Za-z0-9_]*)%")]
    private static partial Regex BindingExpression();

    [GeneratedRegex(@"\$""\{Name\}__(\w+)""")]
    private static partial Regex StoragePart();
}
