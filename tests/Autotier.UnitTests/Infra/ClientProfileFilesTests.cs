using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Autotier.Application.Clients;
using Autotier.Application.Ports;
using Autotier.Domain.Clients;
using Autotier.TestSupport.Fakes;
using Xunit;
using static Autotier.UnitTests.Infra.InfraFiles;

namespace Autotier.UnitTests.Infra;

/// <summary>
/// Every client setting can be set at deployment: one profile file per client beside its
/// .bicepparam, checked here by the same code as <c>autotier client set</c>
/// (<see cref="ClientSettings"/>, <see cref="ClientProfileRules"/>), and written to the client
/// store as the app starts (<see cref="DeployedProfile"/>).
/// </summary>
public sealed class ClientProfileFilesTests
{
    private static readonly string Clients = Path.Combine(InfraDir, "clients");

    public static TheoryData<string> ProfileFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.EnumerateFiles(Clients, "*.profile.json").Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(f));
        return data;
    }

    /// <summary>The profile as main.bicep hands it to the app: the file, its clientId the deployment's.</summary>
    private static string Deployed(string file, string clientId)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(Clients, file)))!.AsObject();
        json["clientId"] = clientId;
        return json.ToJsonString();
    }

    [Fact]
    public void Every_client_has_a_profile_file_its_parameters_load()
    {
        var parameterFiles = Directory.EnumerateFiles(Clients, "*.bicepparam").ToList();
        Assert.NotEmpty(parameterFiles);
        foreach (var f in parameterFiles)
        {
            var client = Path.GetFileName(f)[..^".bicepparam".Length];
            var text = File.ReadAllText(f);
            Has(text,
                $"param clientId = '{client}'",
                $"param clientProfile = loadJsonContent('{client}.profile.json')");
            Assert.True(File.Exists(Path.Combine(Clients, $"{client}.profile.json")), $"{client}.profile.json is missing");
        }
        // main.bicep names the client in the profile by the deployment's id, and the app gets it whole.
        Assert.Contains("var profile = union(clientProfile, { clientId: clientId })", Read("infra", "main.bicep"), StringComparison.Ordinal);
        Assert.Equal("string(clientProfile)", AppSettings()[DeployedProfile.Setting]);
    }

    [Theory]
    [MemberData(nameof(ProfileFiles))]
    public void Each_profile_file_passes_the_checks_of_autotier_client_set(string file)
    {
        var client = file[..^".profile.json".Length];
        var change = ClientSettings.FromDeployment(null, Deployed(file, client));
        var done = Assert.IsType<SettingChange.Done>(change);
        Assert.Equal(client, done.Profile.ClientId);
        Assert.True(done.Changed);
    }

    [Fact]
    public void The_example_file_sets_more_than_the_typescript_deployment_could()
    {
        // The TypeScript Bicep reached only id, name, SLA tier, hours, domains, directory and catalogue.
        var done = Assert.IsType<SettingChange.Done>(ClientSettings.FromDeployment(null, Deployed("example-dental.profile.json", "example-dental")));
        var p = done.Profile;
        Assert.NotNull(p.Lifecycle);
        Assert.NotNull(p.P1);
        Assert.NotNull(p.Branding);
        Assert.NotNull(p.Portal);
        Assert.NotNull(p.Directory);
        Assert.NotNull(p.Access);
        Assert.Equal("+44 20 7946 0000", p.EmergencyPhone);
        Assert.Equal("FortiClient", p.SystemProfile.VpnProduct);
    }

    [Fact]
    public void A_file_client_set_would_refuse_is_refused_with_the_same_sentence()
    {
        var good = Assert.IsType<SettingChange.Done>(ClientSettings.FromDeployment(null, Deployed("example-dental.profile.json", "example-dental"))).Profile;
        foreach (var (setting, value, json) in new[]
        {
            ("autoThreshold", "1.5", "1.5"),
            ("vipEmails", "not-an-address", "[\"not-an-address\"]"),
            ("businessHours.start", "25:00", "{\"timeZone\": \"Europe/London\", \"days\": [1, 2, 3, 4, 5], \"start\": \"25:00\", \"end\": \"18:00\"}"),
            ("p1.maxPages", "0", "{\"responseMinutes\": 15, \"resolutionMinutes\": 240, \"repageMinutes\": 15, \"maxPages\": 0}"),
        })
        {
            var cli = Assert.IsType<SettingChange.Refused>(ClientSettings.Apply(good, setting, value));
            var file = JsonNode.Parse(Deployed("example-dental.profile.json", "example-dental"))!.AsObject();
            file[setting.Split('.')[0]] = JsonNode.Parse(json);
            var deployed = Assert.IsType<SettingChange.Refused>(ClientSettings.FromDeployment(null, file.ToJsonString()));
            Assert.Equal(cli.Error, deployed.Error);
        }
        // A value the CLI refuses before the rules (a word it does not know) is refused whole too.
        Assert.IsType<SettingChange.Refused>(ClientSettings.Apply(good, "slaTier", "gold"));
        var gold = JsonNode.Parse(Deployed("example-dental.profile.json", "example-dental"))!.AsObject();
        gold["slaTier"] = "gold";
        Assert.Contains("slaTier \"gold\"", Assert.IsType<SettingChange.Refused>(ClientSettings.FromDeployment(null, gold.ToJsonString())).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_without_a_client_or_with_an_unknown_setting_is_refused()
    {
        Assert.Contains("names no client", Assert.IsType<SettingChange.Refused>(ClientSettings.FromDeployment(null, """{"name": "X"}""")).Error, StringComparison.Ordinal);
        Assert.Contains("\"slaTeir\" is not a setting", Assert.IsType<SettingChange.Refused>(ClientSettings.FromDeployment(null, """{"clientId": "x", "name": "X", "slaTeir": "basic"}""")).Error, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", Assert.IsType<SettingChange.Refused>(ClientSettings.FromDeployment(null, "{")).Error, StringComparison.Ordinal);
    }

    private sealed class CountingClients(IClientStore inner) : IClientStore
    {
        public int Saves { get; private set; }

        public Task<ClientProfile?> GetAsync(string clientId, CancellationToken cancellationToken) => inner.GetAsync(clientId, cancellationToken);

        public Task SaveAsync(ClientProfile profile, CancellationToken cancellationToken)
        {
            Saves++;
            return inner.SaveAsync(profile, cancellationToken);
        }
    }

    [Fact(Timeout = 10_000)]
    public async Task At_start_the_file_is_written_over_the_stored_profile_keeping_what_it_leaves_out_and_only_when_it_changes()
    {
        var clients = new CountingClients(new InMemoryClientStore());
        // Set by `autotier client set` after an earlier deployment, and not in the file.
        await clients.SaveAsync(new ClientProfile("acme", "Old name") { SlaTier = "basic", EmergencyPhone = "+1 555 0100" }, default);
        var json = """{"clientId": "acme", "name": "Acme Ltd", "slaTier": "premium"}""";

        Assert.IsType<SettingChange.Done>(await DeployedProfile.ApplyAsync(clients, json, default));
        var stored = await clients.GetAsync("acme", default);
        Assert.Equal(("Acme Ltd", "premium", "+1 555 0100"), (stored!.Name, stored.SlaTier, stored.EmergencyPhone));
        Assert.Equal(2, clients.Saves);

        // The next start (every cold start) finds nothing to change and writes nothing.
        var again = Assert.IsType<SettingChange.Done>(await DeployedProfile.ApplyAsync(clients, json, default));
        Assert.False(again.Changed);
        Assert.Equal(2, clients.Saves);

        // A refused profile leaves the stored one as it was.
        Assert.IsType<SettingChange.Refused>(await DeployedProfile.ApplyAsync(clients, """{"clientId": "acme", "name": "Acme Ltd", "slaTier": "gold"}""", default));
        Assert.Equal("premium", (await clients.GetAsync("acme", default))!.SlaTier);
        Assert.Equal(2, clients.Saves);
    }

    [Fact]
    public void The_profile_carries_no_secret()
    {
        foreach (var f in Directory.EnumerateFiles(Clients, "*.profile.json"))
            Assert.DoesNotMatch(new Regex(@"""[^""]*(secret|password|apikey|signingkey)[^""]*""\s*:\s*""", RegexOptions.IgnoreCase), File.ReadAllText(f));
    }
}
