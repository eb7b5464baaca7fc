using Autotier.E2ETests.Support;
using Autotier.TestSupport;
using Xunit;

namespace Autotier.E2ETests.Kb;

/// <summary>The local host loads kb/ into its empty knowledge base, and the CLI reads it from the host's storage.</summary>
[Collection(LocalHostFixture.Collection)]
public sealed class StarterKbTests(LocalHostFixture host)
{
    [Fact(Timeout = 60_000)]
    public async Task The_starter_articles_are_in_the_hosts_knowledge_base_for_the_CLI_to_export()
    {
        var dir = Directory.CreateTempSubdirectory("kb-e2e-").FullName;
        try
        {
            var result = await CliRun.RunAsync(
                new Dictionary<string, string?> { ["AzureWebJobsStorage"] = host.StorageConnection }, null, "kb", "export", "--dir", dir);

            Assert.Equal(0, result.Code);
            Assert.Equal(
                ["_all--outlook-crash.md", "_all--password-sspr.md", "demo--printer-hp-m404.md", "demo--vpn-forticlient.md"],
                Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
