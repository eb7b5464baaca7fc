using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Autotier.LocalHost;

namespace Autotier.E2ETests.Support;

/// <summary>
/// The local host as its own process (the built Autotier.LocalHost.dll, as `dotnet run` starts it),
/// so a test can kill it with SIGKILL mid-work and start it again on the same storage.
/// </summary>
public sealed class LocalHostProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder log = new();

    private LocalHostProcess(Process process, int port)
    {
        this.process = process;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public int Port { get; }

    public int ProcessId => process.Id;

    public Uri BaseAddress { get; }

    public string Log
    {
        get
        {
            lock (log) return log.ToString();
        }
    }

    /// <param name="readyWhen">Return once the log shows this line, instead of once <c>/api/health</c> answers.</param>
    public static async Task<LocalHostProcess> StartAsync(int port, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, string? readyWhen = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var info = new ProcessStartInfo("dotnet", [HostDll()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in environment) info.Environment[key] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the local host");
        var host = new LocalHostProcess(process, port);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"the local host exited ({process.ExitCode}):\n{host.Log}");
            if (readyWhen is not null)
            {
                if (host.Log.Contains(readyWhen, StringComparison.Ordinal)) return host;
                await Task.Delay(20);
                continue;
            }
            try
            {
                if ((await http.GetAsync(new Uri(host.BaseAddress, "api/health"))).IsSuccessStatusCode) return host;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        await host.DisposeAsync();
        throw new TimeoutException($"the local host did not answer /api/health in {timeout}:\n{host.Log}");
    }

    /// <summary>SIGKILL: no shutdown, no flush, work in hand lost as in a crashed or recycled worker.</summary>
    public async Task KillAsync()
    {
        if (process.HasExited) return;
        process.Kill(entireProcessTree: false);
        await process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as a service manager stops it; waits for the exit and returns its code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        return process.ExitCode;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (log) log.AppendLine(line);
    }

    /// <summary>The local host's own build output beside this test's (same configuration).</summary>
    private static string HostDll()
    {
        var testBin = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var configuration = Directory.GetParent(testBin)!.Name; // bin/<Configuration>/net10.0
        var dll = Path.Combine(RepositoryRoot.Find(), "src", "Autotier.LocalHost", "bin", configuration, "net10.0", "Autotier.LocalHost.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("build the local host first", dll);
    }
}
