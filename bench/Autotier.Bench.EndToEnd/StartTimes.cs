using System.Diagnostics;
using System.Net;
using Autotier.Bench.Measures;
using Autotier.LocalHost;

namespace Autotier.Bench.EndToEnd;

public sealed record StartFigures(double ColdStartMs, double WarmStartMs, IReadOnlyList<double> WarmStartsMs, string Host);

/// <summary>
/// Cold and warm start of the local host as a process of its own (the built
/// <c>Autotier.LocalHost.dll</c>, as <c>dotnet run</c> ends up running it), timed from process
/// start to the first <c>200</c> from <c>/api/health</c>. Cold: the first start on a new store (a
/// new task hub and prefix: tables, queues and the demo client created). Warm: later starts on
/// that store, nothing to create. Both on the bench's Azurite, so Azurite's own start is not in
/// them.
/// </summary>
public static class StartTimes
{
    public static async Task<StartFigures> MeasureAsync(string storage, int warmStarts, CancellationToken cancellationToken)
    {
        var dll = LocalHostDll();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var data = Directory.CreateTempSubdirectory("autotier-bench-start-");
        try
        {
            var env = new Dictionary<string, string>
            {
                ["AzureWebJobsStorage"] = storage,
                ["AUTOTIER_TASK_HUB"] = $"bhstart{suffix}",
                ["AUTOTIER_TABLE_PREFIX"] = $"bastart{suffix}",
                ["AUTOTIER_INTAKE_QUEUE"] = $"bastart{suffix}-intake",
                ["AUTOTIER_TIER_QUEUE_PREFIX"] = $"bastart{suffix}-tier",
                ["AUTOTIER_LOCAL_DATA"] = data.FullName,
            };
            var cold = await StartOnceAsync(dll, env, cancellationToken);
            var warm = new List<double>();
            for (var i = 0; i < warmStarts; i++) warm.Add(await StartOnceAsync(dll, env, cancellationToken));
            return new StartFigures(cold, Percentiles.Median(warm), warm, Path.GetRelativePath(RepositoryRoot.Find(), dll));
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    /// <summary>The local host built beside this bench (same configuration), which the project reference builds.</summary>
    private static string LocalHostDll()
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent?.Name ?? "Release";
        var dll = Path.Combine(RepositoryRoot.Find(), "src", "Autotier.LocalHost", "bin", configuration, "net10.0", "Autotier.LocalHost.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"build the local host first: {dll} is missing");
    }

    private static async Task<double> StartOnceAsync(string dll, IReadOnlyDictionary<string, string> env, CancellationToken cancellationToken)
    {
        var port = Ports.Free();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var (k, v) in env) start.Environment[k] = v;
        start.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            while (true)
            {
                if (process.HasExited) throw new InvalidOperationException($"the local host exited with {process.ExitCode}: {output}");
                if (clock.Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException($"the local host did not answer /api/health within 2 minutes: {output}");
                try
                {
                    using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/api/health"), cancellationToken);
                    if (response.StatusCode == HttpStatusCode.OK) return clock.Elapsed.TotalMilliseconds;
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
                await Task.Delay(20, cancellationToken);
            }
        }
        finally
        {
            await StopAsync(process);
        }
    }

    /// <summary>SIGTERM, as a service manager stops it (the host stops in order); killed if it hangs.</summary>
    private static async Task StopAsync(Process process)
    {
        if (process.HasExited) return;
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }
    }

}
