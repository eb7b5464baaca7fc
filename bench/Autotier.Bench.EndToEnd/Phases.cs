using System.Collections.Concurrent;
using System.Diagnostics;
using Autotier.Bench.Measures;

namespace Autotier.Bench.EndToEnd;

/// <summary>How big a run is: the full bench, or the CI smoke (a handful of tickets, one round).</summary>
public sealed record BenchSize(int Sequential, int Total, int Concurrency, int Rounds, int LifecycleTickets, int IdleSeconds, int WarmStarts)
{
    public static BenchSize Full { get; } = new(60, 200, 32, 3, 10, 30, 3);

    public static BenchSize Smoke { get; } = new(3, 8, 4, 1, 1, 5, 1);

    /// <summary>Sizes from the environment, as the TypeScript bench reads them (BENCH_TOTAL, BENCH_ROUNDS, ...), over a default.</summary>
    public BenchSize WithEnvironment()
    {
        static int Get(string name, int fallback) =>
            int.TryParse(Environment.GetEnvironmentVariable(name), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 ? n : fallback;
        return new BenchSize(
            Get("BENCH_SEQUENTIAL", Sequential), Get("BENCH_TOTAL", Total), Get("BENCH_CONCURRENCY", Concurrency), Get("BENCH_ROUNDS", Rounds),
            Get("BENCH_LIFECYCLE_TICKETS", LifecycleTickets), Get("BENCH_IDLE_SECONDS", IdleSeconds), Get("BENCH_WARM_STARTS", WarmStarts));
    }
}

/// <summary>One round under load; <paramref name="Rejected"/> counts answers other than 202 by status (none on a healthy run);
/// <paramref name="HostCpuMsPerTicket"/> and <paramref name="AzuriteCpuMsPerTicket"/>: CPU time of this process (host and
/// bench clients) and of Azurite over the round, per ticket taken: on a shared machine the wall clock
/// also counts other processes' turns, CPU time does not.</summary>
public sealed record RoundFigures(
    double EndToEndPerSecond, double IntakePerSecond, double AckP95Ms, long Milliseconds, IReadOnlyDictionary<string, int> Rejected,
    double HostCpuMsPerTicket, double AzuriteCpuMsPerTicket);

public sealed record SpeedFigures(int Sequential, int Total, int Concurrency, LatencySummary AckIdle, IReadOnlyList<RoundFigures> Rounds, long WorkingSetMiB, long ManagedHeapMiB);

/// <summary>A span of a phase, as the proxy counted it: storage by kind and the executions in it.</summary>
public sealed record Window(IReadOnlyDictionary<string, long> Storage, long Executions)
{
    public long Requests(Func<string, bool> keep) => Storage.Where(k => keep(k.Key)).Sum(k => k.Value);
}

public sealed record LifecycleFigures(int TicketsPerPath, Window Confirmed, Window Escalated, Window ToGuide, IReadOnlyDictionary<string, long> Leases);

public sealed record IdleFigures(int Seconds, IReadOnlyDictionary<string, long> Storage);

/// <summary>The bench's phases, each on a fresh app (its own hub and prefix) on one Azurite, as phase.ts has them.</summary>
public static class Phases
{
    private static readonly TimeSpan SettleBound = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Acknowledgement latency on an idle app (each ticket alone), then rounds of concurrent load
    /// on the same store with nothing cleared between them. Storage here is Azurite itself: the
    /// proxy would add its own hop to every figure.
    /// </summary>
    public static async Task<SpeedFigures> SpeedAsync(string storage, int azuritePid, BenchSize size, CancellationToken cancellationToken)
    {
        await using var app = await BenchApp.StartAsync("speed", storage, storage, virtualClock: false, cancellationToken);
        var warm = await app.FileAsync("warmup@bench.example", "VPN drops every hour (warm-up)", cancellationToken);
        await app.SettledAsync(warm, SettleBound, cancellationToken);

        var idleAcks = new List<double>();
        for (var i = 0; i < size.Sequential; i++)
        {
            var email = $"seq{i}@bench.example";
            var posted = DateTimeOffset.UtcNow;
            var id = await app.FileAsync(email, $"VPN drops every hour ({i})", cancellationToken);
            await app.SettledAsync(id, SettleBound, cancellationToken);
            idleAcks.Add((await app.AcknowledgedAtAsync(email, cancellationToken) - posted).TotalMilliseconds);
        }

        var rounds = new List<RoundFigures>();
        for (var round = 1; round <= size.Rounds; round++)
        {
            var posted = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            var ids = new ConcurrentQueue<string>();
            var rejected = new ConcurrentDictionary<int, int>();
            var next = -1;
            var (hostCpu, azuriteCpu) = (CpuOf(Environment.ProcessId), CpuOf(azuritePid));
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, size.Concurrency).Select(_ => Task.Run(async () =>
            {
                int n;
                while ((n = Interlocked.Increment(ref next)) < size.Total)
                {
                    var email = $"r{round}-{n}@bench.example";
                    var at = DateTimeOffset.UtcNow;
                    var (id, status, body) = await app.TryFileAsync(email, $"VPN drops every hour ({email})", cancellationToken);
                    if (id is null)
                    {
                        rejected.AddOrUpdate(status, 1, (_, c) => c + 1);
                        if (rejected.Values.Sum() == 1) Console.Error.WriteLine($"round {round}: POST /api/tickets answered {status}: {body}");
                        continue;
                    }
                    posted[email] = at;
                    ids.Enqueue(id);
                }
            }, cancellationToken)));
            var accepted = clock.ElapsedMilliseconds;
            foreach (var id in ids) await app.SettledAsync(id, SettleBound, cancellationToken);
            var finished = clock.ElapsedMilliseconds;
            var (hostCpuUsed, azuriteCpuUsed) = (CpuOf(Environment.ProcessId) - hostCpu, CpuOf(azuritePid) - azuriteCpu);
            var acks = new List<double>();
            foreach (var (email, at) in posted) acks.Add((await app.AcknowledgedAtAsync(email, cancellationToken) - at).TotalMilliseconds);
            // Only tickets the app took count towards its rate; the ones it refused are reported beside it.
            rounds.Add(new RoundFigures(
                Math.Round(ids.Count * 1000.0 / finished, 1), Math.Round(ids.Count * 1000.0 / Math.Max(1, accepted), 1),
                acks.Count > 0 ? Math.Round(Percentiles.Of(acks, 95)) : throw new InvalidOperationException($"round {round}: the app took no ticket"), finished,
                rejected.ToDictionary(k => k.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), k => k.Value),
                Math.Round(hostCpuUsed.TotalMilliseconds / ids.Count, 1), Math.Round(azuriteCpuUsed.TotalMilliseconds / ids.Count, 1)));
        }
        using var self = Process.GetCurrentProcess();
        return new SpeedFigures(
            size.Sequential, size.Total, size.Concurrency,
            new LatencySummary(Math.Round(Percentiles.Of(idleAcks, 50)), Math.Round(Percentiles.Of(idleAcks, 95)), Math.Round(Percentiles.Of(idleAcks, 99)), Math.Round(idleAcks.Max())),
            rounds, self.WorkingSet64 / 1048576, GC.GetTotalMemory(false) / 1048576);
    }

    /// <summary>
    /// Whole ticket lives on the virtual clock, through the counting proxy: tickets the requester
    /// confirms, and tickets that escalate and an engineer resolves; each runs to the end of its
    /// reopen window, when its orchestration completes (as phase.ts's lifecycle).
    /// </summary>
    public static async Task<LifecycleFigures> LifecycleAsync(CountingProxy proxy, string direct, BenchSize size, CancellationToken cancellationToken)
    {
        await using var app = await BenchApp.StartAsync("lifecycle", proxy.ConnectionString, direct, virtualClock: true, cancellationToken);
        var warm = await app.FileAsync("warmup@bench.example", "VPN drops every hour (warm-up)", cancellationToken);
        await app.SettledAsync(warm, SettleBound, cancellationToken);

        async Task<(Window Whole, Window ToGuide)> PathAsync(string mailbox, string answer, bool engineerResolves)
        {
            var start = Mark(proxy, app);
            var ids = new List<string>();
            // First each ticket's way to its guide (the speed path), counted on its own, then the rest.
            for (var i = 0; i < size.LifecycleTickets; i++)
            {
                var id = await app.FileAsync($"{mailbox}{i}@bench.example", $"VPN drops every hour ({i})", cancellationToken);
                await app.SettledAsync(id, SettleBound, cancellationToken);
                ids.Add(id);
            }
            var filed = Mark(proxy, app);
            for (var i = 0; i < ids.Count; i++)
            {
                await app.EventAsync(ids[i], new { type = "reply", from = $"{mailbox}{i}@bench.example", text = answer }, cancellationToken);
                await app.App.VirtualClock!.SettledAsync();
                if (engineerResolves)
                {
                    await app.EventAsync(ids[i], new { type = "resolved", by = "eng@msp.example", note = "Reinstalled the client" }, cancellationToken);
                    await app.App.VirtualClock!.SettledAsync();
                }
            }
            await app.AdvanceAsync(TimeSpan.FromDays(8), cancellationToken); // past the 7-day reopen window
            foreach (var id in ids) await CompletedAsync(app, id, cancellationToken);
            var end = Mark(proxy, app);
            return (Between(start, end, app), Between(start, filed, app));
        }

        var before = Mark(proxy, app);
        var (confirmed, toGuide) = await PathAsync("yes", "Thanks, that fixed it!", engineerResolves: false);
        var (escalated, _) = await PathAsync("no", "No, it is still broken.", engineerResolves: true);
        var leases = Between(before, Mark(proxy, app), app).Storage
            .Where(k => StorageRequestKind.IsBackground(k.Key) && !k.Key.EndsWith(StorageRequestKind.EmptyPoll, StringComparison.Ordinal))
            .ToDictionary();
        return new LifecycleFigures(size.LifecycleTickets, confirmed, escalated, toGuide, leases);
    }

    /// <summary>Storage requests of an app with nothing to do, on the real clock, through the proxy.</summary>
    public static async Task<IdleFigures> IdleAsync(CountingProxy proxy, string direct, BenchSize size, CancellationToken cancellationToken)
    {
        await using var app = await BenchApp.StartAsync("idle", proxy.ConnectionString, direct, virtualClock: false, cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken); // past start-up: tables and queues created, pollers backed off
        var start = Mark(proxy, app);
        await Task.Delay(TimeSpan.FromSeconds(size.IdleSeconds), cancellationToken);
        return new IdleFigures(size.IdleSeconds, Between(start, Mark(proxy, app), app).Storage);
    }

    /// <summary>
    /// Waits (bounded) until a ticket's orchestration has completed. The advance settles the work
    /// it woke within a real-time limit; on a machine this loaded its last episodes can still be on
    /// their way when it returns (seen once: "Running" straight after the advance), so the bench
    /// waits for them, and moves the clock once more if a timer was set after the move.
    /// </summary>
    private static async Task CompletedAsync(BenchApp app, string ticketId, CancellationToken cancellationToken)
    {
        string? status = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var until = Stopwatch.StartNew();
            while (until.Elapsed < TimeSpan.FromSeconds(60))
            {
                status = await app.RuntimeStatusAsync(ticketId, cancellationToken);
                if (status == "Completed") return;
                await Task.Delay(100, cancellationToken);
            }
            await app.AdvanceAsync(TimeSpan.FromDays(1), cancellationToken);
        }
        throw new InvalidOperationException($"ticket {ticketId} did not complete: {status}");
    }

    private static TimeSpan CpuOf(int pid)
    {
        using var process = Process.GetProcessById(pid);
        return process.TotalProcessorTime;
    }

    private sealed record Mark0(ProxySnapshot Storage, long HttpRequests);

    private static Mark0 Mark(CountingProxy proxy, BenchApp app) => new(proxy.Snapshot(), app.HttpRequests);

    private static Window Between(Mark0 start, Mark0 end, BenchApp app) => new(
        StorageRequestKind.Normalise(StorageRequestKind.Diff(end.Storage.Kinds, start.Storage.Kinds), app.Hub, app.Prefix),
        end.Storage.MessagesHandled - start.Storage.MessagesHandled + end.HttpRequests - start.HttpRequests);
}
