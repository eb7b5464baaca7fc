using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Autotier.Application.Json;
using Autotier.Application.Ports;
using Autotier.LocalHost;
using Autotier.LocalHost.Durable;
using Microsoft.DurableTask.Converters;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Autotier.Bench.EndToEnd;

/// <summary>
/// One run of the app for one phase: the local host in this process, on a task hub and table
/// prefix of its own (so phases on one Azurite never see each other's work), with the storage it
/// is given (the counting proxy, or Azurite itself), and an observer that reads the Durable status
/// on its own storage clients straight to Azurite, so waiting adds nothing to the counts.
/// </summary>
public sealed class BenchApp : IAsyncDisposable
{
    private static readonly HashSet<string> Resting = new(StringComparer.Ordinal) { "awaiting", "escalated", "clarifying", "proving", "closed", "done" };

    private BenchApp(LocalHostApp app, HttpClient http, LocalDurableTaskClient observer, string hub, string prefix)
    {
        App = app;
        Http = http;
        Observer = observer;
        Hub = hub;
        Prefix = prefix;
    }

    public LocalHostApp App { get; }

    public HttpClient Http { get; }

    public LocalDurableTaskClient Observer { get; }

    public string Hub { get; }

    public string Prefix { get; }

    /// <summary>HTTP requests the bench sent to the app (each one function execution on Azure).</summary>
    public long HttpRequests => Interlocked.Read(ref httpRequests);

    private long httpRequests;

    public static async Task<BenchApp> StartAsync(
        string phase, string appStorage, string directStorage, bool virtualClock, CancellationToken cancellationToken)
    {
        var root = RepositoryRoot.Find();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        // Letters and digits only: a task hub name becomes table and queue names.
        var hub = $"bh{phase[..4]}{suffix}";
        var prefix = $"ba{phase[..4]}{suffix}";
        var verbose = Environment.GetEnvironmentVariable("BENCH_LOG") == "1";
        var app = LocalHostApp.Create(
            new LocalHostSettings
            {
                Port = 0,
                VirtualClock = virtualClock,
                AppSettings = new Dictionary<string, string?>
                {
                    ["AUTOTIER_TASK_HUB"] = hub,
                    ["AUTOTIER_TABLE_PREFIX"] = prefix,
                    ["AUTOTIER_INTAKE_QUEUE"] = $"{prefix}-intake",
                    ["AUTOTIER_TIER_QUEUE_PREFIX"] = $"{prefix}-tier",
                },
            },
            appStorage,
            Path.Combine(root, "host.json"),
            logging =>
            {
                // Errors always, on stderr (stdout ends with the JSON line); warnings too with BENCH_LOG=1.
                logging.ClearProviders();
                logging.AddSimpleConsole(o => o.SingleLine = true)
                    .AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>((_, level) => level >= (verbose ? LogLevel.Warning : LogLevel.Error));
                logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            });
        await app.StartAsync(cancellationToken);
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, UseProxy = false })
        {
            BaseAddress = app.BaseAddress,
            // A virtual clock's advance steps through every held timer of every open ticket.
            Timeout = TimeSpan.FromMinutes(10),
        };
        var durable = HostJson.Load(Path.Combine(root, "host.json"), app.Services.GetRequiredService<IConfiguration>()).Durable;
        var observer = new LocalDurableTaskClient(
            "observer",
            AzureStorageDurable.Create(directStorage, durable, NullLoggerFactory.Instance, "observer"),
            new JsonDataConverter(AutotierJson.Options));
        return new BenchApp(app, http, observer, hub, prefix);
    }

    /// <summary>Files a ticket for the demo client (as a client would, over HTTP); its id. Anything but 202 is a broken run.</summary>
    public async Task<string> FileAsync(string email, string subject, CancellationToken cancellationToken)
    {
        var (id, status, body) = await TryFileAsync(email, subject, cancellationToken);
        return id ?? throw new InvalidOperationException($"POST /api/tickets answered {status}: {body}");
    }

    /// <summary>Files a ticket; under load an answer other than 202 is a figure (counted by the caller), not the end of the run.</summary>
    public async Task<(string? Id, int Status, string Body)> TryFileAsync(string email, string subject, CancellationToken cancellationToken)
    {
        using var response = await PostAsync(
            "api/tickets", new { clientId = "demo", requester = new { email }, subject, body = "FortiClient disconnects." }, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted)
            return (null, (int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        return ((await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("ticketId").GetString()!, 202, "");
    }

    public async Task<HttpResponseMessage> PostAsync(string path, object body, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref httpRequests);
        return await Http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body, cancellationToken);
    }

    /// <summary>Posts an event on a ticket; anything but 2xx is a broken run.</summary>
    public async Task EventAsync(string ticketId, object body, CancellationToken cancellationToken)
    {
        using var response = await PostAsync($"api/tickets/{ticketId}/events", body, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"event on {ticketId} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
    }

    /// <summary>
    /// Waits until the ticket's workflow rests: acknowledged, classified and its guide sent, or
    /// handed to a person (as phase.ts's <c>settled</c>).
    /// </summary>
    public async Task<string> SettledAsync(string ticketId, TimeSpan bound, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(bound);
        var instanceId = Domain.Tickets.TicketIds.OrchestrationInstanceId(ticketId);
        while (true)
        {
            var instance = await Observer.GetInstanceAsync(instanceId, timeout.Token);
            if (instance?.SerializedCustomStatus is { } status
                && JsonElement.Parse(status).TryGetProperty("phase", out var phase)
                && phase.GetString() is { } p && Resting.Contains(p))
            {
                if (App.VirtualClock is { } clock) await clock.SettledAsync();
                return p;
            }
            await Task.Delay(10, timeout.Token);
        }
    }

    /// <summary>The workflow's runtime status (Completed once its reopen window has run out).</summary>
    public async Task<string?> RuntimeStatusAsync(string ticketId, CancellationToken cancellationToken) =>
        (await Observer.GetInstanceAsync(Domain.Tickets.TicketIds.OrchestrationInstanceId(ticketId), cancellationToken))?.RuntimeStatus.ToString();

    /// <summary>When the first mail to <paramref name="email"/> (the acknowledgement) was sent, by the app's clock.</summary>
    public async Task<DateTimeOffset> AcknowledgedAtAsync(string email, CancellationToken cancellationToken)
    {
        var mails = await App.Services.GetRequiredService<IDevOutbox>().ListAsync(email, cancellationToken);
        if (mails.Count == 0) throw new InvalidOperationException("a settled ticket has no mail in the outbox");
        return mails.Min(m => m.SentAt);
    }

    /// <summary>Moves the virtual clock (the host runs the timers it passes and settles the work they start).</summary>
    public async Task AdvanceAsync(TimeSpan by, CancellationToken cancellationToken)
    {
        using var response = await Http.PostAsJsonAsync(new Uri("_local/clock", UriKind.Relative), new { advanceMs = (long)by.TotalMilliseconds }, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.DisposeAsync();
    }
}
