using Autotier.TestSupport;
using Xunit;

namespace Autotier.UnitTests.Cli;

/// <summary>The <c>kb</c> commands' bad input and unreachable storage, without storage.</summary>
public sealed class KbCommandTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("kb-cli-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>Storage on a port nothing listens on, so no test can reach a real Azurite by accident.</summary>
    private static readonly Dictionary<string, string?> NoStorage = CliRun.NoStorage();

    private static Task<CliResult> Run(Dictionary<string, string?>? settings, params string[] args) =>
        CliRun.RunAsync(settings ?? NoStorage, null, args);

    [Fact(Timeout = 30_000)]
    public async Task A_folder_that_is_missing_or_has_no_articles_is_bad_input()
    {
        var missing = await Run(null, "kb", "import", "--dir", Path.Combine(dir, "nope"));
        Assert.Equal(2, missing.Code);
        Assert.Equal([$"autotier: {Path.Combine(dir, "nope")}: no such folder"], missing.Error);

        var empty = await Run(null, "kb", "import", "--dir", dir);
        Assert.Equal(2, empty.Code);
        Assert.Equal([$"autotier: {dir}: no .md articles"], empty.Error);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_bad_article_is_named_by_file_and_line_before_storage_is_touched()
    {
        File.WriteAllText(Path.Combine(dir, "a.md"), "---\nid: a\ncategory: vpn_remote_access\ntitle: A\n---\n1. Step\n");
        File.WriteAllText(Path.Combine(dir, "b.md"), "---\nid: b\ncategory: nope\ntitle: B\n---\n1. Step\n");

        var result = await Run(null, "kb", "import", "--dir", dir);

        Assert.Equal(2, result.Code);
        var line = Assert.Single(result.Error);
        Assert.StartsWith($"autotier: {Path.Combine(dir, "b.md")}: line 3: category \"nope\"", line, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Two_files_with_one_id_or_a_missing_picture_are_bad_input()
    {
        File.WriteAllText(Path.Combine(dir, "a.md"), "---\nid: same\ncategory: vpn_remote_access\ntitle: A\nimages: [shot.png]\n---\n1. Step\n");
        var picture = await Run(null, "kb", "import", "--dir", dir);
        Assert.Equal(2, picture.Code);
        Assert.Equal([$"autotier: {Path.Combine(dir, "a.md")}: image shot.png not found beside the article"], picture.Error);

        File.WriteAllBytes(Path.Combine(dir, "shot.png"), [0x89, 0x50, 0x4e, 0x47]);
        File.WriteAllText(Path.Combine(dir, "b.md"), "---\nid: same\ncategory: printer_peripheral\ntitle: B\n---\n1. Step\n");
        var twice = await Run(null, "kb", "import", "--dir", dir);
        Assert.Equal(2, twice.Code);
        Assert.Contains("the id same of client * is also in", Assert.Single(twice.Error), StringComparison.Ordinal);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("kb", "import")]
    [InlineData("kb", "candidates")]
    [InlineData("kb", "candidates", "--client", "demo", "--min-count", "many")]
    [InlineData("kb", "candidates", "--client", "demo", "--min-count", "0")]
    [InlineData("kb", "export")]
    public async Task A_wrong_command_line_is_one_line_and_exit_2(params string[] args)
    {
        var result = await Run(null, args);

        Assert.Equal(2, result.Code);
        Assert.Single(result.Error);
        Assert.Empty(result.Out);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_bad_table_prefix_is_bad_input()
    {
        var result = await Run(new() { ["AUTOTIER_TABLE_PREFIX"] = "my-prefix" }, "kb", "candidates", "--client", "demo");

        Assert.Equal(2, result.Code);
        Assert.Equal(["autotier: AUTOTIER_TABLE_PREFIX must be letters and digits"], result.Error);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_connection_string_the_storage_client_cannot_read_is_bad_input()
    {
        var result = await Run(new() { ["AzureWebJobsStorage"] = "not a connection string" }, "kb", "candidates", "--client", "demo");

        Assert.Equal(2, result.Code);
        Assert.StartsWith("autotier: AzureWebJobsStorage: ", Assert.Single(result.Error), StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Storage_that_does_not_answer_is_one_line_that_says_what_to_do()
    {
        var portBase = CliRun.ClosedPortBase();
        var result = await Run(new() { ["AUTOTIER_AZURITE_PORT_BASE"] = portBase.ToString(System.Globalization.CultureInfo.InvariantCulture) }, "kb", "candidates", "--client", "demo");

        Assert.Equal(1, result.Code);
        Assert.Equal([$"autotier: cannot reach storage at 127.0.0.1:{portBase + 2} — run `dotnet run --project src/Autotier.LocalHost` first or set AzureWebJobsStorage"], result.Error);
    }

    [Fact(Timeout = 30_000)]
    public async Task Without_any_setting_the_local_hosts_Azurite_on_10000_to_10002_is_where_it_looks()
    {
        // UseDevelopmentStorage=true names the same Azurite, spelled out so a failure can say where.
        var result = await Run(new() { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true", ["AUTOTIER_AZURITE_PORT_BASE"] = "1" }, "kb", "export", "--dir", dir);

        Assert.Equal(1, result.Code);
        Assert.StartsWith("autotier: cannot reach storage at 127.0.0.1:3 ", Assert.Single(result.Error), StringComparison.Ordinal);
    }

    /// <summary>A base of three ports whose table port (base + 2) nothing listens on: a port just freed.</summary>
}
