using System.Globalization;
using System.Net.Sockets;
using Autotier.LocalHost.Azurite;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Autotier.IntegrationTests.LocalHost;

/// <summary>Azurite as the host runs it: its own process group, three services, nothing left after a stop.</summary>
public sealed class AzuriteProcessTests
{
    [Fact(Timeout = 60000)]
    public async Task Start_serves_three_services_in_its_own_process_group_and_stop_leaves_no_process()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        var azurite = await AzuriteProcess.StartAsync(new AzuriteOptions(DataDirectory: null), NullLogger.Instance, timeout.Token);
        var pid = azurite.ProcessId;
        try
        {
            Assert.Equal(3, new[] { azurite.BlobPort, azurite.QueuePort, azurite.TablePort }.Distinct().Count());
            Assert.All([azurite.BlobPort, azurite.QueuePort, azurite.TablePort], p => Assert.InRange(p, 1, 65535));
            // Its own group, not ours: a terminal's Ctrl-C reaches the host alone.
            Assert.Equal(pid, ProcessGroup(pid));
            Assert.NotEqual(ProcessGroup(Environment.ProcessId), ProcessGroup(pid));

            var queue = new QueueServiceClient(azurite.ConnectionString).GetQueueClient("startstop");
            await queue.CreateIfNotExistsAsync(cancellationToken: timeout.Token);
            Assert.True(await queue.ExistsAsync(timeout.Token));
        }
        finally
        {
            await azurite.StopAsync();
        }
        await azurite.StopAsync(); // idempotent
        await azurite.DisposeAsync();

        Assert.False(Directory.Exists($"/proc/{pid}"), "Azurite's process is gone");
        Assert.Empty(ProcessesInGroup(pid));
        using var client = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => client.ConnectAsync(System.Net.IPAddress.Loopback, azurite.QueuePort, timeout.Token).AsTask());
    }

    [Fact(Timeout = 60000)]
    public async Task Data_kept_on_disk_survives_a_restart()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        var data = Directory.CreateTempSubdirectory("autotier-azurite-");
        try
        {
            await using (var first = await AzuriteProcess.StartAsync(new AzuriteOptions(data.FullName), NullLogger.Instance, timeout.Token))
            {
                var queue = new QueueServiceClient(first.ConnectionString).GetQueueClient("kept");
                await queue.CreateIfNotExistsAsync(cancellationToken: timeout.Token);
                await queue.SendMessageAsync("still here", timeout.Token);
            }
            await using var second = await AzuriteProcess.StartAsync(new AzuriteOptions(data.FullName), NullLogger.Instance, timeout.Token);
            var peeked = await new QueueServiceClient(second.ConnectionString).GetQueueClient("kept").PeekMessageAsync(timeout.Token);
            Assert.Equal("still here", peeked.Value.Body.ToString());
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    [Fact(Timeout = 60000)]
    public async Task A_start_that_fails_says_why_with_azurites_own_output()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        using var taken = new TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => AzuriteProcess.StartAsync(new AzuriteOptions(DataDirectory: null, BlobPort: port), NullLogger.Instance, timeout.Token));

        Assert.Contains("EADDRINUSE", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The process group of a process, field 5 of /proc/PID/stat (after the parenthesised name).</summary>
    private static int ProcessGroup(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[2], CultureInfo.InvariantCulture);
    }

    private static List<int> ProcessesInGroup(int group)
    {
        var members = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                if (ProcessGroup(pid) == group) members.Add(pid);
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }
        return members;
    }
}
