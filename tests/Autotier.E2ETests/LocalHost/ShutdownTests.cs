using System.Diagnostics;
using Autotier.E2ETests.Support;
using Xunit;

namespace Autotier.E2ETests.LocalHost;

/// <summary>`dotnet run --project src/Autotier.LocalHost` as a person uses it: its own Azurite, then SIGTERM.</summary>
public sealed class ShutdownTests
{
    [Fact(Timeout = 120_000)]
    public async Task SIGTERM_stops_the_host_and_its_own_Azurite_once_and_exits_cleanly()
    {
        var basePort = LocalHostProcess.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["AUTOTIER_AZURITE_IN_MEMORY"] = "1",
            // Three free ports side by side are not guaranteed: 0 lets Azurite pick each.
            ["AUTOTIER_AZURITE_PORT_BASE"] = "0",
            ["AzureWebJobsStorage"] = "",
        };
        await using var host = await LocalHostProcess.StartAsync(basePort, environment, TimeSpan.FromSeconds(60));
        var azurite = AzuriteChildren(host.ProcessId);
        Assert.NotEmpty(azurite);

        var exitCode = await host.TerminateAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, exitCode);
        Assert.Contains("Stopping: HTTP first, then the work in hand.", host.Log, StringComparison.Ordinal);
        Assert.Single(host.Log.Split('\n'), l => l.Contains("Azurite stopped", StringComparison.Ordinal));
        Assert.All(azurite, pid => Assert.False(IsAlive(pid), $"Azurite (pid {pid}) still runs"));
    }

    [Fact(Timeout = 120_000)]
    public async Task SIGTERM_while_the_host_is_still_starting_stops_it_in_the_same_order_and_exits_cleanly()
    {
        var environment = new Dictionary<string, string>
        {
            ["AUTOTIER_AZURITE_IN_MEMORY"] = "1",
            ["AUTOTIER_AZURITE_PORT_BASE"] = "0",
            ["AzureWebJobsStorage"] = "",
        };
        // Azurite is up, the app is only beginning to start (HTTP, triggers, the Durable worker).
        await using var host = await LocalHostProcess.StartAsync(LocalHostProcess.FreePort(), environment, TimeSpan.FromSeconds(60), readyWhen: "Started Azurite");
        var azurite = AzuriteChildren(host.ProcessId);

        var exitCode = await host.TerminateAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, exitCode);
        Assert.Contains("Stopping: HTTP first, then the work in hand.", host.Log, StringComparison.Ordinal);
        Assert.Single(host.Log.Split('\n'), l => l.Contains("Azurite stopped", StringComparison.Ordinal));
        Assert.All(azurite, pid => Assert.False(IsAlive(pid), $"Azurite (pid {pid}) still runs"));
    }

    /// <summary>The Azurite node processes whose command line names this host's data: found through /proc, by parent.</summary>
    private static List<int> AzuriteChildren(int hostPid) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && ReadCmdline(pid).Contains("azurite", StringComparison.Ordinal) && IsDescendant(pid, hostPid))];

    private static string ReadCmdline(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static bool IsDescendant(int pid, int ancestor)
    {
        for (var current = pid; current > 1;)
        {
            string stat;
            try
            {
                stat = File.ReadAllText($"/proc/{current}/stat");
            }
            catch (IOException)
            {
                return false;
            }
            var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            if (parent == ancestor) return true;
            current = parent;
        }
        return false;
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
