using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Autotier.Bench.EndToEnd;
using Autotier.Bench.Measures;
using Autotier.Functions.Composition;
using Autotier.LocalHost;
using Autotier.LocalHost.Azurite;
using Autotier.LocalHost.Indexing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging.Abstractions;

// The end-to-end bench (issue #35), the C# counterpart of `npm run bench`: the app on its local
// host over its own in-memory Azurite, measured; readable lines, then ONE JSON line with every
// figure and the goals. A missed goal is a figure, not a failure: the exit code is 0 unless the
// bench itself broke (CI's smoke relies on that).
//   dotnet run -c Release --project bench/Autotier.Bench.EndToEnd [-- --smoke]
if (args.Any(a => a is not "--smoke"))
{
    Console.Error.WriteLine("usage: Autotier.Bench.EndToEnd [--smoke]");
    return 2;
}
var smoke = args.Contains("--smoke");
var size = (smoke ? BenchSize.Smoke : BenchSize.Full).WithEnvironment();
using var stop = new CancellationTokenSource(smoke ? TimeSpan.FromMinutes(5) : TimeSpan.FromMinutes(60));
var started = Stopwatch.StartNew();
var line = (string s) => Console.WriteLine(s);
var load = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

await using var azurite = await AzuriteProcess.StartAsync(new AzuriteOptions(DataDirectory: null), NullLogger.Instance, stop.Token);
var direct = azurite.ConnectionString;
line($"autotier C# bench{(smoke ? " (smoke)" : "")} (local host + in-memory Azurite, .NET {Environment.Version}, {Environment.ProcessorCount} cores, load {load}, {DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ssZ})");

var speed = await Phases.SpeedAsync(direct, azurite.ProcessId, size, stop.Token);
await using var proxy = await CountingProxy.StartAsync(azurite.BlobPort, azurite.QueuePort, azurite.TablePort, stop.Token);
var life = await Phases.LifecycleAsync(proxy, direct, size, stop.Token);
var idle = await Phases.IdleAsync(proxy, direct, size, stop.Token);
var starts = await StartTimes.MeasureAsync(direct, size.WarmStarts, stop.Token);

// Per ticket: what tickets cause, apart from polling and lease renewals (the app being up, priced as idle time).
var perPath = (double)life.TicketsPerPath;
static bool Ticket(string kind) => !StorageRequestKind.IsBackground(kind);
var perConfirmed = life.Confirmed.Requests(Ticket) / perPath;
var perEscalated = life.Escalated.Requests(Ticket) / perPath;
var perToGuide = life.ToGuide.Requests(Ticket) / perPath;
var durableShare = life.Confirmed.Requests(k => Ticket(k) && StorageRequestKind.IsDurable(k)) / perPath;
// By service (blob, queue, table) and operation (read, query, write, batch): the billing classes.
Dictionary<string, double> ByServiceAndOperation(Window w) => w.Storage.Where(k => Ticket(k.Key))
    .GroupBy(k => { var p = k.Key.Split(' '); return $"{p[0]} {p[^1]}"; }, StringComparer.Ordinal)
    .OrderBy(g => g.Key, StringComparer.Ordinal)
    .ToDictionary(g => g.Key, g => Math.Round(g.Sum(k => k.Value) / perPath, 1));
Dictionary<string, double> PerTicket(Window w) => w.Storage.Where(k => Ticket(k.Key)).ToDictionary(k => k.Key, k => Math.Round(k.Value / perPath, 1));
var mixed = new Dictionary<string, double>(StringComparer.Ordinal);
foreach (var w in new[] { life.Confirmed, life.Escalated })
    foreach (var (k, v) in w.Storage.Where(k => Ticket(k.Key))) mixed[k] = mixed.GetValueOrDefault(k) + v / perPath / 2;
var executionsPerTicket = (life.Confirmed.Executions + life.Escalated.Executions) / (2 * perPath);

// Idle: counted while the app sat idle on the same provider (what an instance that is up costs on
// Azure, host.json's polling intervals and all); scaled to zero, only the scale controller looks.
var idleWarmPerHour = idle.Storage.ToDictionary(k => k.Key, k => Math.Round(k.Value * 3600.0 / idle.Seconds));
var schedules = FunctionCatalog.Scan(typeof(AutotierServices).Assembly)
    .Where(f => f.Kind == TriggerKind.Timer).Select(f => ((TimerTriggerAttribute)f.TriggerAttribute).Schedule).ToArray();
var wakeUps = Schedules.WakeUpsPerHour(schedules);
var watchedQueues = idle.Storage.Keys.Where(k => k.StartsWith("queue ", StringComparison.Ordinal) && k.Contains(StorageRequestKind.EmptyPoll, StringComparison.Ordinal))
    .Select(k => k.Split(' ')[1]).Distinct(StringComparer.Ordinal).Count();
var idleStorage = IdleStorage.From(idleWarmPerHour, watchedQueues, wakeUps, CostAssumptions.Default);
var measured = new TicketMeasures(mixed, executionsPerTicket, 0);
var table = CostModel.Table(measured, idleStorage, Prices.List, CostAssumptions.Default);
var goals = Goals.Issue35;
var headline = table.Single(r => r.TicketsPerMonth == goals.AtTicketsPerMonth && r.AlwaysReady == CostModel.NoAlwaysReady);
var e2eByRound = speed.Rounds.Select(r => r.EndToEndPerSecond).ToArray();
var ackByRound = speed.Rounds.Select(r => r.AckP95Ms).ToArray();

string F(double x, string format = "0.0") => x.ToString(format, CultureInfo.InvariantCulture);
line($"acknowledgement latency over {speed.Sequential} sequential tickets, each on an idle app (POST -> acknowledgement in the outbox):");
line($"  p50 {speed.AckIdle.P50} ms   p95 {speed.AckIdle.P95} ms   p99 {speed.AckIdle.P99} ms   max {speed.AckIdle.Max} ms");
line($"sustained: {speed.Rounds.Count} round(s) of {speed.Total} tickets on the same store, {speed.Concurrency} concurrent clients");
for (var i = 0; i < speed.Rounds.Count; i++)
{
    var r = speed.Rounds[i];
    line($"  round {i + 1}: intake {F(r.IntakePerSecond)}/s, acknowledged+classified+guide sent {F(r.EndToEndPerSecond)} tickets/s ({r.Milliseconds} ms), ack p95 under load {r.AckP95Ms} ms; CPU a ticket: host {F(r.HostCpuMsPerTicket, "0")} ms, Azurite {F(r.AzuriteCpuMsPerTicket, "0")} ms"
        + (r.Rejected.Count > 0 ? $"; REFUSED {string.Join(", ", r.Rejected.Select(k => $"{k.Value} x {k.Key}"))}" : ""));
}
line($"  process working set {speed.WorkingSetMiB} MiB, managed heap {speed.ManagedHeapMiB} MiB (host and bench in one process)");
line($"storage requests per ticket, counted on the wire, whole life to the end of the reopen window ({life.TicketsPerPath} ticket(s) a path; polling and leases apart):");
line($"  confirmed by the requester: {F(perConfirmed)} (of which the Durable Task Framework's Azure Storage provider {F(durableShare)})");
line($"    by service and operation: {string.Join(", ", ByServiceAndOperation(life.Confirmed).Select(k => $"{k.Key} {F(k.Value)}"))}");
line($"  escalated, resolved by an engineer: {F(perEscalated)}");
line($"  filed until its guide is out (the speed path): {F(perToGuide)}");
line($"  executions per ticket (HTTP requests + queue messages handled) {F(executionsPerTicket)}");
line($"idle storage requests per hour, counted over {idle.Seconds} s of an idle app: {F(idleStorage.WarmTotal, "0")}");
foreach (var (k, v) in idleWarmPerHour.OrderByDescending(k => k.Value)) line($"  {k}: {F(v, "0")}");
line($"  timers wake the app {F(wakeUps, "0")} time(s) an hour: warm {F(idleStorage.WarmFraction * 100, "0")}% of an idle month; scaled to zero {F(idleStorage.ColdTotal, "0")}/h (assumed)");
line("cost per client instance per month (USD; counted requests at list prices, docs/bench-csharp.md):");
line("  tickets  always-ready   total | storage:tickets  storage:idle  compute   mail   logs");
foreach (var r in table)
    line($"  {r.TicketsPerMonth,7}  {r.AlwaysReady,-12} {F(r.Usd, "0.00"),6} | {string.Concat(r.Parts.Values.Select(v => F(v, "0.00").PadLeft(14)))}");
line($"cold start (process start to the first /api/health 200, new store): {F(starts.ColdStartMs, "0")} ms; warm start (same store again, median of {starts.WarmStartsMs.Count}): {F(starts.WarmStartMs, "0")} ms ({starts.Host})");
// A refused ticket is a ticket lost: the rate is not met with any.
var throughputMet = goals.ThroughputMet(e2eByRound) && speed.Rounds.All(r => r.Rejected.Count == 0);
var ackMet = goals.AckMet(ackByRound);
var costMet = goals.CostMet(headline.Usd);
line($"goals: >= {goals.MinTicketsPerSecond} tickets/s every round: {(throughputMet ? "met" : "NOT met")}; ack p95 under load <= {goals.MaxAckP95UnderLoadMs} ms: {(ackMet ? "met" : "NOT met")}; <= ${goals.MaxUsdPerClientMonth} per client-month at {goals.AtTicketsPerMonth} tickets: {(costMet ? "met" : "NOT met")}");
line($"bench took {started.Elapsed.TotalSeconds:0} s");

Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
{
    ["bench"] = "csharp",
    ["smoke"] = smoke,
    ["at"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
    ["loadAverage"] = load,
    ["ackP95Ms"] = speed.AckIdle.P95,
    ["ackIdle"] = speed.AckIdle,
    ["ackUnderLoadP95Ms"] = ackByRound.Max(),
    ["ackUnderLoadP95MsByRound"] = ackByRound,
    ["endToEndTicketsPerSec"] = e2eByRound.Min(),
    ["endToEndTicketsPerSecByRound"] = e2eByRound,
    ["intakeTicketsPerSecByRound"] = speed.Rounds.Select(r => r.IntakePerSecond).ToArray(),
    ["refusedByRound"] = speed.Rounds.Select(r => r.Rejected).ToArray(),
    ["hostCpuMsPerTicketByRound"] = speed.Rounds.Select(r => r.HostCpuMsPerTicket).ToArray(),
    ["azuriteCpuMsPerTicketByRound"] = speed.Rounds.Select(r => r.AzuriteCpuMsPerTicket).ToArray(),
    ["storageRequestsPerTicket"] = Math.Round(perConfirmed, 1),
    ["storageRequestsPerEscalatedTicket"] = Math.Round(perEscalated, 1),
    ["storageRequestsPerTicketToGuide"] = Math.Round(perToGuide, 1),
    ["durableProviderRequestsPerTicket"] = Math.Round(durableShare, 1),
    ["storageRequestsByServiceAndOperation"] = ByServiceAndOperation(life.Confirmed),
    ["storageRequestsByKind"] = PerTicket(life.Confirmed),
    ["storageRequestsByKindEscalated"] = PerTicket(life.Escalated),
    ["storageRequestsByKindToGuide"] = PerTicket(life.ToGuide),
    ["executionsPerTicket"] = Math.Round(executionsPerTicket, 1),
    ["idleStorageRequestsPerHourWarm"] = Math.Round(idleStorage.WarmTotal),
    ["idleStorageRequestsByKindPerHour"] = idleWarmPerHour,
    ["timerWakeUpsPerHour"] = wakeUps,
    ["costPerClientMonthUsd"] = headline.Usd,
    ["costTable"] = table,
    ["coldStartMs"] = Math.Round(starts.ColdStartMs),
    ["warmStartMs"] = Math.Round(starts.WarmStartMs),
    ["workingSetMiB"] = speed.WorkingSetMiB,
    ["goals"] = new Dictionary<string, object>
    {
        ["endToEndTicketsPerSec"] = new { goal = goals.MinTicketsPerSecond, measured = e2eByRound.Min(), met = throughputMet },
        ["ackUnderLoadP95Ms"] = new { goal = goals.MaxAckP95UnderLoadMs, measured = ackByRound.Max(), met = ackMet },
        ["costPerClientMonthUsd"] = new { goal = goals.MaxUsdPerClientMonth, tickets = goals.AtTicketsPerMonth, measured = headline.Usd, met = costMet },
    },
    ["benchSeconds"] = Math.Round(started.Elapsed.TotalSeconds),
}));
return 0;
