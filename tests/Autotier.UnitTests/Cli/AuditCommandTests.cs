using Autotier.Cli;
using Xunit;

namespace Autotier.UnitTests.Cli;

/// <summary>The TypeScript "autotier audit" tests, with the real built-in classifier.</summary>
public sealed class AuditCommandTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("autotier-audit-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string File(string name, string content)
    {
        var path = Path.Combine(dir, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await AutotierCli.RunAsync(args, stdout, stderr, default);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact(Timeout = 120_000)]
    public async Task Prints_each_category_share_the_automatable_share_and_the_projected_deflection()
    {
        var csv = File("export.csv", "Summary,Notes\n" + string.Join('\n',
            "Locked out,I am locked out of my account",
            "Printer offline,reception printer offline",
            "VPN,FortiClient will not connect",
            "File server down,nobody can open the shared drive",
            "Outlook crashing,Outlook crashes when I open it") + "\n");

        var (code, stdout, stderr) = await Run("audit", "--in", csv, "--text-column", "Summary,Notes", "--success-rate", "0.8");

        Assert.True(code == 0, stderr);
        Assert.Matches(@"(?m)^category\s+tickets\s+share\s+automatable$", stdout);
        Assert.Matches(@"(?m)^engineering\s+1\s+20\.0%\s+0$", stdout);
        Assert.Matches(@"(?m)^total\s+5\s+100\.0%\s+4$", stdout);
        Assert.Contains("automatable share: 80.0% of tickets (4 of 5)", stdout, StringComparison.Ordinal);
        Assert.Contains("projected deflection at 80.0% playbook success: 64.0% of tickets", stdout, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Names_a_missing_column_and_exits_2()
    {
        var (code, _, stderr) = await Run("audit", "--in", File("x.csv", "a,b\n1,2\n"), "--text-column", "Summary");

        Assert.Equal(2, code);
        Assert.Contains("no column \"Summary\"", stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Refuses_a_success_rate_outside_0_to_1()
    {
        var (code, _, stderr) = await Run("audit", "--in", File("y.csv", "Summary\nx\n"), "--text-column", "Summary", "--success-rate", "1.5");

        Assert.Equal(2, code);
        Assert.Contains("--success-rate must be between 0 and 1", stderr, StringComparison.Ordinal);
    }
}
