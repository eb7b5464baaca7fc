using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit;
using static Autotier.UnitTests.Infra.InfraFiles;

namespace Autotier.UnitTests.Infra;

/// <summary>
/// <c>azd up</c> per client and the GitHub deploy workflow deploy the C# app (ported from the
/// TypeScript app's tests/unit/infra/azd.test.ts, with the workflow's publish, check, deploy and
/// smoke test added).
/// </summary>
public sealed class AzdAndWorkflowTests
{
    private static readonly string Workflow = Read(".github", "workflows", "deploy.yml");

    [Fact]
    public void Azd_builds_the_isolated_worker_from_its_project()
    {
        var yaml = Read("azure.yaml");
        Assert.Matches(@"project: src/Autotier\.Functions\s+language: dotnet\s+host: function", yaml);
        Assert.Matches(@"preprovision:[\s\S]*run: node scripts/azd-client-params\.mjs", yaml);
        Assert.DoesNotMatch("language: ts|npm ", yaml);
        Assert.True(File.Exists(Path.Combine(Root, "src", "Autotier.Functions", "Autotier.Functions.csproj")));
    }

    private static async Task<(int Exit, string Err, string? Generated)> RunHookAsync(string root, string? client)
    {
        var start = new ProcessStartInfo("node", [Path.Combine(Root, "scripts", "azd-client-params.mjs"), "--root", root])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.Environment["AZURE_ENV_NAME"] = client ?? "";
        using var process = Process.Start(start)!;
        var err = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var generated = Path.Combine(root, "infra", "main.bicepparam");
        return (process.ExitCode, await err, File.Exists(generated) ? await File.ReadAllTextAsync(generated) : null);
    }

    private static void Copy(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories)) Directory.CreateDirectory(dir.Replace(from, to, StringComparison.Ordinal));
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories)) File.Copy(file, file.Replace(from, to, StringComparison.Ordinal), true);
    }

    [Fact(Timeout = 60_000)]
    public async Task Azd_deploys_the_client_its_environment_names_with_its_profile()
    {
        var root = Directory.CreateTempSubdirectory("azd-").FullName;
        try
        {
            Copy(InfraDir, Path.Combine(root, "infra"));
            var ok = await RunHookAsync(root, "example-dental");
            Assert.True(ok.Exit == 0, ok.Err);
            Assert.Matches(new Regex(@"^using '\./main\.bicep'$", RegexOptions.Multiline), ok.Generated!);
            Assert.Matches(new Regex(@"^param clientId = 'example-dental'$", RegexOptions.Multiline), ok.Generated!);
            Assert.DoesNotContain("using '../main.bicep'", ok.Generated!, StringComparison.Ordinal);
            // The generated file sits in infra/: the profile is loaded from clients/, where it is.
            var loaded = Regex.Match(ok.Generated!, @"param clientProfile = loadJsonContent\('([^']+)'\)");
            Assert.Equal("clients/example-dental.profile.json", loaded.Groups[1].Value);
            Assert.True(File.Exists(Path.Combine(root, "infra", loaded.Groups[1].Value)));

            var missing = await RunHookAsync(root, "no-such-client");
            Assert.Equal(1, missing.Exit);
            Assert.Matches("No parameters for client \"no-such-client\".*example-dental", missing.Err);
            Assert.Equal(1, (await RunHookAsync(root, null)).Exit);
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }

    [Fact]
    public void The_workflow_publishes_the_csharp_app_and_checks_the_output_before_deploying()
    {
        Has(Workflow,
            "dotnet publish src/Autotier.Functions -c Release -o publish",
            "test -d publish/.azurefunctions",
            "bash scripts/check-extensions.sh publish",
            "functions.metadata",
            "has(\"extensionBundle\")");
        Assert.DoesNotMatch("npm (ci|run build|prune)|node-version: 22\\s+- uses: azure/login", Workflow);
        Assert.True(File.Exists(Path.Combine(Root, "scripts", "check-extensions.sh")));
        // Checked, then deployed: the order matters.
        Assert.True(Workflow.IndexOf("check-extensions.sh", StringComparison.Ordinal) < Workflow.IndexOf("config-zip", StringComparison.Ordinal));
    }

    [Fact]
    public void The_first_deployment_waits_for_its_roles_restarts_and_proves_itself_with_a_smoke_test()
    {
        Assert.Contains("az functionapp deployment source config-zip", Workflow, StringComparison.Ordinal);
        // Retried while the role assignments settle, then restarted so Key Vault references resolve again.
        Assert.Matches(@"for attempt in 1 2 3 4 5 6; do\s+if az functionapp deployment source config-zip", Workflow);
        Assert.True(Workflow.IndexOf("az functionapp restart", StringComparison.Ordinal) > Workflow.IndexOf("config-zip", StringComparison.Ordinal));
        var smoke = Workflow[Workflow.IndexOf("Smoke test", StringComparison.Ordinal)..];
        Has(smoke,
            "$base/api/health",
            "-X POST \"$base/api/tickets?code=$key\"",
            ".workflow.phase",
            "::add-mask::$key");
        // Every secret the parameter files read from the environment is given to the deploy job.
        foreach (Match m in Regex.Matches(Read("infra", "clients", "example-dental.bicepparam"), @"readEnvironmentVariable\('([A-Z_]+)'"))
            Assert.Contains($"{m.Groups[1].Value}: ${{{{ secrets.{m.Groups[1].Value} }}}}", Workflow, StringComparison.Ordinal);
    }
}
