using System.Text.Json;
using Autotier.Adapters;
using Autotier.Adapters.Tables;
using Autotier.Domain.Clients;
using Autotier.Domain.Lifecycle;
using Autotier.TestSupport;
using Autotier.TestSupport.Azurite;
using Azure.Data.Tables;
using Xunit;

namespace Autotier.IntegrationTests.Cli;

/// <summary>
/// <c>autotier client show|set</c> on Azurite, in-process (issue #34 fix 6): a checked change is
/// stored, a refused one is one line, exit 2, and stores nothing, the same change twice writes once.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class ClientCliTests(AzuriteFixture azurite) : IDisposable
{
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");
    private readonly string prefix = AzuriteNames.Prefix();
    private readonly string work = Directory.CreateTempSubdirectory("client-cli-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    private TableClient Table => new TableServiceClient(azurite.ConnectionString).GetTableClient(StorageNames.FromPrefix(prefix).Clients);

    private TableClientStore Clients => new(Table);

    private Task<CliResult> Run(params string[] args) => CliRun.RunAsync(
        new Dictionary<string, string?> { ["AzureWebJobsStorage"] = azurite.ConnectionString, ["AUTOTIER_TABLE_PREFIX"] = prefix }, null, args);

    private async Task SeedAsync()
    {
        await Table.CreateIfNotExistsAsync();
        await Clients.SaveAsync(new ClientProfile("demo", "Demo Dental Group")
        {
            BusinessHours = new BusinessHours("Europe/London", [1, 2, 3, 4, 5], "08:00", "18:00"),
            VipEmails = ["owner@demo.example"],
        }, default);
    }

    private async Task<Azure.ETag> ETagAsync() => (await Table.GetEntityAsync<TableEntity>("client", "demo")).Value.ETag;

    [Fact(Timeout = 60_000)]
    public async Task Set_stores_a_checked_change_once_and_show_prints_it()
    {
        await SeedAsync();
        var set = await Run("client", "set", "demo", "lifecycle.reopenWindowDays", "5");
        Assert.Equal((0, "{\"clientId\":\"demo\",\"setting\":\"lifecycle.reopenWindowDays\",\"changed\":true}\n"), (set.Code, set.Out));
        Assert.Equal(5, (await Clients.GetAsync("demo", default))!.Lifecycle!.ReopenWindowDays);

        // The same again: reported unchanged, and the row is not written (its ETag stays).
        var etag = await ETagAsync();
        var again = await Run("client", "set", "demo", "lifecycle.reopenWindowDays", "5");
        Assert.Equal((0, "{\"clientId\":\"demo\",\"setting\":\"lifecycle.reopenWindowDays\",\"changed\":false}\n"), (again.Code, again.Out));
        Assert.Equal(etag, await ETagAsync());

        Assert.Equal(0, (await Run("client", "set", "demo", "systemProfile.printers.Main Street", "HP LaserJet Pro M404")).Code);
        Assert.Equal(0, (await Run("client", "set", "demo", "portal.anonymous", "yes")).Code);
        var show = await Run("client", "show", "demo");
        Assert.Equal(0, show.Code);
        var shown = JsonDocument.Parse(show.Out).RootElement;
        Assert.Equal("Demo Dental Group", shown.GetProperty("name").GetString());
        Assert.Equal(5, shown.GetProperty("lifecycle").GetProperty("reopenWindowDays").GetInt32());
        Assert.Equal("HP LaserJet Pro M404", shown.GetProperty("systemProfile").GetProperty("printers").GetProperty("Main Street").GetString());
        Assert.True(shown.GetProperty("portal").GetProperty("anonymous").GetBoolean());
    }

    [Fact(Timeout = 60_000)]
    public async Task A_refused_change_is_one_line_exit_2_and_stores_nothing()
    {
        await SeedAsync();
        var etag = await ETagAsync();
        async Task<string> Refused(params string[] args)
        {
            var result = await Run(args);
            Assert.Equal(2, result.Code);
            Assert.Equal("", result.Out);
            return Assert.Single(result.Error);
        }
        Assert.Equal("autotier: p1.maxPages is 0: give at least 1 (a zero would silence the pager)", await Refused("client", "set", "demo", "p1.maxPages", "0"));
        Assert.Equal("autotier: vipEmails has \"boss\", which is not a mail address", await Refused("client", "set", "demo", "vipEmails", "boss"));
        Assert.StartsWith("autotier: \"colour\" is not a setting; the settings are name,", await Refused("client", "set", "demo", "colour", "blue"), StringComparison.Ordinal);
        Assert.Equal("autotier: no client \"ghost\"", await Refused("client", "set", "ghost", "name", "Ghost"));
        Assert.Equal("autotier: no client \"ghost\"", await Refused("client", "show", "ghost"));
        Assert.Equal($"autotier: branding.mspLogo: {Path.Combine(work, "none.png")}: no such file", await Refused("client", "set", "demo", "branding.mspLogo", "@" + Path.Combine(work, "none.png")));
        var text = Path.Combine(work, "logo.png");
        await File.WriteAllTextAsync(text, "<svg/>");
        Assert.Equal($"autotier: branding.mspLogo: {text} is not a PNG, JPEG or WebP picture", await Refused("client", "set", "demo", "branding.mspLogo", "@" + text));
        Assert.Equal(etag, await ETagAsync());
    }

    [Fact(Timeout = 60_000)]
    public async Task A_logo_file_is_stored_inline_and_shown_shortened()
    {
        await SeedAsync();
        var file = Path.Combine(work, "contoso.png");
        await File.WriteAllBytesAsync(file, Png);
        Assert.Equal(0, (await Run("client", "set", "demo", "branding.mspLogo", "@" + file)).Code);
        Assert.Equal(0, (await Run("client", "set", "demo", "branding.mspName", "Contoso IT")).Code);
        var stored = (await Clients.GetAsync("demo", default))!.Branding!;
        Assert.Equal("data:image/png;base64," + Convert.ToBase64String(Png), stored.MspLogo);
        Assert.Equal("Contoso IT", stored.MspName);
        var show = await Run("client", "show", "demo");
        var logo = JsonDocument.Parse(show.Out).RootElement.GetProperty("branding").GetProperty("mspLogo").GetString();
        Assert.Equal($"data:image/png;base64,iVBORw0K… ({stored.MspLogo!.Length} characters)", logo);
    }
}
