using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Autotier.LocalHost.Azurite;

/// <summary>
/// How to start Azurite. <paramref name="DataDirectory"/> null keeps everything in memory
/// (<c>--inMemoryPersistence</c>, for tests); a port of 0 lets Azurite pick a free one.
/// </summary>
public sealed record AzuriteOptions(string? DataDirectory, int BlobPort = 0, int QueuePort = 0, int TablePort = 0);

/// <summary>
/// One Azurite (blob, queue and table) run from the npm package pinned in <c>tools/azurite</c>.
/// It runs in a process group of its own, so a Ctrl-C on the terminal reaches the host only: the
/// host stops its pollers and the Durable worker first, while storage is still there, and then
/// stops Azurite by signalling its group (SIGTERM, SIGKILL if it lingers).
/// </summary>
public sealed partial class AzuriteProcess : IAsyncDisposable
{
    public const string AccountKey = Adapters.AzuriteAccount.Key;
    public const string AccountName = Adapters.AzuriteAccount.Name;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan GracefulStop = TimeSpan.FromSeconds(5);
    private const int SigKill = 9;
    private const int SigTerm = 15;
    private const int OutputLinesKept = 40;

    private readonly Process _process;
    private readonly ILogger _logger;
    private readonly Queue<string> _output = new();
    private readonly Lock _outputLock = new();
    private readonly SemaphoreSlim _stopLock = new(1, 1);
    private readonly TaskCompletionSource<int>[] _listening = [NewPort(), NewPort(), NewPort()];
    private bool _stopped;

    private AzuriteProcess(Process process, ILogger logger)
    {
        _process = process;
        _logger = logger;
    }

    public int BlobPort { get; private set; }
    public int QueuePort { get; private set; }
    public int TablePort { get; private set; }

    /// <summary>The process id, which is also its process group id (it was started through setsid).</summary>
    public int ProcessId => _process.Id;

    /// <summary>A connection string for the development account on this Azurite's ports.</summary>
    public string ConnectionString => CreateConnectionString(BlobPort, QueuePort, TablePort);

    public static string CreateConnectionString(int blobPort, int queuePort, int tablePort) =>
        Adapters.AzuriteAccount.ConnectionString(blobPort, queuePort, tablePort);

    public static async Task<AzuriteProcess> StartAsync(AzuriteOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        var script = FindScript();
        var start = new ProcessStartInfo
        {
            // setsid makes Azurite the leader of a new session and process group (it execs in
            // place, since a freshly started child is not a group leader, so the pid we hold is
            // node's and the group's). The terminal's SIGINT then goes to our group only.
            FileName = "setsid",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            WorkingDirectory = options.DataDirectory ?? Path.GetTempPath(),
        };
        foreach (var argument in Arguments(script, options)) start.ArgumentList.Add(argument);
        if (options.DataDirectory is { } data) Directory.CreateDirectory(data);

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var azurite = new AzuriteProcess(process, logger);
        process.OutputDataReceived += (_, e) => azurite.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => azurite.OnOutput(e.Data);
        if (!process.Start()) throw new InvalidOperationException("Azurite did not start (setsid node ...)");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // A host that exits without stopping it (an unhandled exception) must not leave it behind.
        AppDomain.CurrentDomain.ProcessExit += azurite.OnHostExit;
        try
        {
            await azurite.WaitUntilListeningAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await azurite.StopAsync().ConfigureAwait(false);
            throw;
        }
        LogStarted(logger, azurite.BlobPort, azurite.QueuePort, azurite.TablePort, options.DataDirectory ?? "memory");
        return azurite;
    }

    /// <summary>Stops Azurite and everything in its process group; safe to call more than once.</summary>
    public async Task StopAsync()
    {
        await _stopLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_stopped) return;
            _stopped = true;
            AppDomain.CurrentDomain.ProcessExit -= OnHostExit;
            if (!HasExited())
            {
                // SIGTERM lets Azurite close its servers and flush its on-disk metadata.
                SignalGroup(SigTerm);
                using var grace = new CancellationTokenSource(GracefulStop);
                try
                {
                    await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    LogKilled(_logger, (int)GracefulStop.TotalSeconds);
                }
            }
            if (!HasExited())
            {
                // A hung node, and anything else in its group, goes now.
                SignalGroup(SigKill);
                using var last = new CancellationTokenSource(GracefulStop);
                await _process.WaitForExitAsync(last.Token).ConfigureAwait(false);
            }
            LogStopped(_logger);
        }
        finally
        {
            _stopLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _process.Dispose();
        _stopLock.Dispose();
    }

    /// <summary>
    /// The azurite.js to run: <c>AUTOTIER_AZURITE_SCRIPT</c> if set, else the one that
    /// <c>npm ci --prefix tools/azurite</c> installed in the repository holding Functions.sln.
    /// </summary>
    public static string FindScript()
    {
        if (Environment.GetEnvironmentVariable("AUTOTIER_AZURITE_SCRIPT") is { Length: > 0 } overridden)
            return File.Exists(overridden) ? overridden : throw new FileNotFoundException($"AUTOTIER_AZURITE_SCRIPT names {overridden}, which does not exist", overridden);
        var root = RepositoryRoot()
            ?? throw new InvalidOperationException($"no Functions.sln above {AppContext.BaseDirectory}: set AUTOTIER_AZURITE_SCRIPT to Azurite's dist/src/azurite.js");
        var script = Path.Combine(root, "tools", "azurite", "node_modules", "azurite", "dist", "src", "azurite.js");
        return File.Exists(script) ? script : throw new FileNotFoundException($"Azurite is not installed at {script}: run `npm ci --prefix tools/azurite` (the build does it)", script);
    }

    private static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln"))) return dir.FullName;
        }
        return null;
    }

    private static IEnumerable<string> Arguments(string script, AzuriteOptions options)
    {
        string[] fixedArguments =
        [
            "node", script,
            // The SDKs here may be newer than this Azurite knows; it serves them all the same.
            "--skipApiVersionCheck", "--loose", "--silent",
            // No telemetry: this machine has no route out, and a test must not try one.
            "--disableTelemetry",
            // 127.0.0.1 is never read as an account name in the URL path style used here.
            "--disableProductStyleUrl",
            "--blobHost", "127.0.0.1", "--blobPort", Port(options.BlobPort),
            "--queueHost", "127.0.0.1", "--queuePort", Port(options.QueuePort),
            "--tableHost", "127.0.0.1", "--tablePort", Port(options.TablePort),
        ];
        return options.DataDirectory is { } data
            ? [.. fixedArguments, "--location", data]
            : [.. fixedArguments, "--inMemoryPersistence"];
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private async Task WaitUntilListeningAsync(AzuriteOptions options, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        var exited = _process.WaitForExitAsync(timeout.Token);
        try
        {
            // The ports Azurite reports (it picks them itself for port 0, so no race with others
            // picking the same free port), then a TCP connect to each, since "listening" is
            // logged by the service and a connection is what a client needs.
            var ports = Task.WhenAll(_listening.Select(p => p.Task));
            var first = await Task.WhenAny(ports, exited).ConfigureAwait(false);
            if (first == exited)
            {
                await exited.ConfigureAwait(false); // rethrows the timeout as cancellation
                throw new InvalidOperationException($"Azurite exited with code {_process.ExitCode} while starting.{Tail()}");
            }
            var found = await ports.ConfigureAwait(false);
            (BlobPort, QueuePort, TablePort) = (found[0], found[1], found[2]);
            Check(options.BlobPort, BlobPort, "blob");
            Check(options.QueuePort, QueuePort, "queue");
            Check(options.TablePort, TablePort, "table");
            foreach (var port in found) await WaitForTcpAsync(port, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Azurite did not accept connections on all three services within {StartTimeout.TotalSeconds:0} s.{Tail()}");
        }
    }

    private static void Check(int asked, int got, string service)
    {
        if (asked != 0 && asked != got)
            throw new InvalidOperationException($"Azurite's {service} service listens on {got}, not on the {asked} asked for");
    }

    private static async Task WaitForTcpAsync(int port, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(System.Net.IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void OnOutput(string? line)
    {
        if (line is null) return;
        lock (_outputLock)
        {
            _output.Enqueue(line);
            while (_output.Count > OutputLinesKept) _output.Dequeue();
        }
        if (Listening().Match(line) is { Success: true } m)
        {
            var index = m.Groups["service"].Value switch { "Blob" => 0, "Queue" => 1, _ => 2 };
            _listening[index].TrySetResult(int.Parse(m.Groups["port"].Value, CultureInfo.InvariantCulture));
        }
    }

    private string Tail()
    {
        lock (_outputLock)
        {
            return _output.Count == 0 ? " It printed nothing." : $" Its last output:{Environment.NewLine}{string.Join(Environment.NewLine, _output)}";
        }
    }

    private bool HasExited()
    {
        try
        {
            return _process.HasExited;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    private void SignalGroup(int signal)
    {
        // A negative pid signals the whole process group; ESRCH (already gone) is fine.
        if (!OperatingSystem.IsWindows()) _ = Kill(-_process.Id, signal);
        else if (!HasExited()) _process.Kill(entireProcessTree: true);
    }

    private void OnHostExit(object? sender, EventArgs e) => SignalGroup(SigKill);

    private static TaskCompletionSource<int> NewPort() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    // DllImport rather than LibraryImport: a blittable signature needs no generated marshalling,
    // and LibraryImport would make the project allow unsafe code for it.
    [DllImport("libc", EntryPoint = "kill")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);

    [GeneratedRegex(@"Azurite (?<service>Blob|Queue|Table) service is successfully listening at http://[^:]+:(?<port>\d+)")]
    private static partial Regex Listening();

    [LoggerMessage(Level = LogLevel.Information, Message = "Azurite listening: blob {Blob}, queue {Queue}, table {Table} (data: {Data})")]
    private static partial void LogStarted(ILogger logger, int blob, int queue, int table, string data);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Azurite did not stop within {Seconds} s of SIGTERM; killing its process group")]
    private static partial void LogKilled(ILogger logger, int seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Azurite stopped")]
    private static partial void LogStopped(ILogger logger);
}
