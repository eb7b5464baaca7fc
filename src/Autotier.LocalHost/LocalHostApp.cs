using System.Net;
using Autotier.Application.Json;
using Autotier.Application.Ports;
using Autotier.Functions.Composition;
using Autotier.LocalHost.Dev;
using Autotier.LocalHost.Durable;
using Autotier.LocalHost.Http;
using Autotier.LocalHost.Indexing;
using Autotier.LocalHost.Queues;
using Autotier.LocalHost.Timers;
using Azure.Storage.Queues;
using DurableTask.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.DurableTask.Converters;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Autotier.LocalHost;

/// <summary>
/// The local host's composition root: Kestrel for the HTTP triggers, the Durable Task Framework's
/// Azure Storage provider for orchestrations and activities, the app's own services from
/// <see cref="AutotierServices.AddAutotier"/>, and the dev-only routes. Starts and stops in order:
/// storage and the Durable worker first, HTTP last; on stop, HTTP first, then the work in hand.
/// </summary>
public sealed class LocalHostApp : IAsyncDisposable
{
    private readonly WebApplication web;
    private readonly DurableEngine engine;
    private readonly IOrchestrationService durableService;
    private readonly QueueTriggerHost queues;
    private readonly TimerTriggerHost timers;
    private bool started;
    private bool stopped;

    private LocalHostApp(
        WebApplication web, DurableEngine engine, IOrchestrationService durableService, QueueTriggerHost queues, TimerTriggerHost timers,
        VirtualClockOrchestrationService? virtualClock, IReadOnlyList<string> routes)
    {
        this.web = web;
        this.engine = engine;
        this.durableService = durableService;
        this.queues = queues;
        this.timers = timers;
        VirtualClock = virtualClock;
        Routes = routes;
    }

    public IServiceProvider Services => web.Services;

    public Durable.LocalDurableTaskClient Durable => engine.Client;

    public VirtualClockOrchestrationService? VirtualClock { get; }

    public IReadOnlyList<string> Routes { get; }

    /// <summary>The base URL Kestrel listens on, once started.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    public static LocalHostApp Create(
        LocalHostSettings settings, string storageConnection, string hostJsonPath, Action<ILoggingBuilder>? logging = null, Azure.Core.Pipeline.HttpPipelinePolicy? storagePolicy = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        // The port is settled before anything reads it: links in mails carry it (AUTOTIER_PUBLIC_BASE_URL).
        var port = settings.Port == 0 ? FreePort() : settings.Port;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port);
            RequestLimits.Configure(k.Limits);
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AUTOTIER_TASK_HUB"] = "autotier",
            ["AUTOTIER_INTAKE_QUEUE"] = "autotier-intake",
            ["AUTOTIER_TIER_QUEUE_PREFIX"] = "autotier-tier",
            ["AUTOTIER_PUBLIC_BASE_URL"] = $"http://127.0.0.1:{port}",
            ["AUTOTIER_LINK_SIGNING_KEY"] = LocalSecrets.LinkSigningKey(settings.DataDirectory),
            // The ops pages ask the local host for a key as Azure does (never kinder): it is in <data>/ops-key.
            ["AUTOTIER_OPS_KEY"] = LocalSecrets.OpsKey(settings.DataDirectory),
            ["AUTOTIER_WEBHOOK_SECRETS"] = DevWebhookSecret.Value,
        });
        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddInMemoryCollection(settings.AppSettings);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = storageConnection });
        if (logging is not null) logging(builder.Logging);

        FakeTimeProvider? clock = settings.VirtualClock ? new FakeTimeProvider(DateTimeOffset.UtcNow) : null;
        if (clock is not null) builder.Services.AddSingleton<TimeProvider>(clock);
        if (storagePolicy is not null) builder.Services.AddSingleton(new StoragePipelinePolicy(storagePolicy));
        builder.Services.AddMvcCore();
        // As the Functions worker's ASP.NET Core integration: the forwarded-headers middleware in front
        // of every function, with the app's options (the platform's last X-Forwarded-For hop only).
        builder.Services.Configure<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>(Autotier.Functions.Http.ClientAddress.Configure);
        builder.Services.AddAutotier(builder.Configuration);
        settings.ConfigureServices?.Invoke(builder.Services);
        var web = builder.Build();

        var host = HostJson.Load(hostJsonPath, web.Configuration);
        var loggers = web.Services.GetRequiredService<ILoggerFactory>();
        var functions = FunctionCatalog.Scan(typeof(AutotierServices).Assembly);
        // A worker id of its own per process start: the table partition manager treats leases that name
        // this worker as still held and never listens on them again, so a restart under the same id
        // after a crash would leave that work untouched. A new id lets the dead worker's leases
        // expire (LeaseInterval, 30 s) and be claimed, as a new instance on Azure does.
        var workerId = $"{Environment.MachineName}-{Environment.ProcessId}-{port}-{Guid.NewGuid().ToString("N")[..8]}";
        var azure = AzureStorageDurable.Create(storageConnection, host.Durable, loggers, workerId, storagePolicy);
        VirtualClockOrchestrationService? virtualClock = clock is null ? null : new(azure, azure, clock);
        var engine = new DurableEngine(
            (IOrchestrationService?)virtualClock ?? azure, azure, functions, web.Services,
            new JsonDataConverter(AutotierJson.Options), loggers, clock);

        web.UseForwardedHeaders();
        RequestLimits.Use(web);
        // Before any route: what the platform's front end does to principal headers, and the opt-in sign-in simulation.
        LocalSignIn.Use(web, LocalSignIn.Enabled(web.Configuration));
        var routes = HttpFunctionRoutes.Map(web, functions, host.RoutePrefix, engine.Client);
        var timers = new TimerTriggerHost(
            functions, web.Services, engine.Client, web.Configuration, web.Services.GetRequiredService<TimeProvider>(),
            web.Services.GetRequiredService<ILogger<TimerTriggerHost>>());
        DevRoutes.Map(web, engine.Client, virtualClock, timers);
        GraphEmulator.DemoTenant.Map(web);

        var queueOptions = QueueTriggerHost.CreateClientOptions();
        if (storagePolicy is not null) queueOptions.AddPolicy(storagePolicy, Azure.Core.HttpPipelinePosition.PerCall);
        // Queue polling paces itself on the real clock even in virtual clock mode (a held clock would
        // stall every queue); timer triggers follow the app's clock, virtual or not.
        var queues = new QueueTriggerHost(
            functions, new QueueServiceClient(storageConnection, queueOptions), web.Services, engine.Client, host.Queues,
            web.Configuration, TimeProvider.System, web.Services.GetRequiredService<ILogger<QueueTriggerHost>>());
        return new LocalHostApp(web, engine, azure, queues, timers, virtualClock, routes);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        started = true;
        // Tables (the app's hosted setup, run by web.StartAsync) and the demo client exist before
        // the Durable worker picks up work left from an earlier run.
        await durableService.CreateIfNotExistsAsync();
        // The starter articles are in place before HTTP answers (reading and importing them takes a
        // moment; a caller that sees /api/health answer may use them at once).
        var kb = web.Services.GetRequiredService<IKbStore>();
        await kb.EnsureCreatedAsync(cancellationToken);
        await DemoSeed.EnsureKbAsync(
            kb, web.Services.GetRequiredService<IKbImages>(), Path.Combine(RepositoryRoot.Find(), "kb"),
            web.Services.GetRequiredService<TimeProvider>(), cancellationToken);
        await web.StartAsync(cancellationToken);
        await DemoSeed.EnsureAsync(web.Services.GetRequiredService<IClientStore>(), cancellationToken);
        await GraphEmulator.DemoTenant.ConnectAsync(web.Services.GetRequiredService<IClientStore>(), DemoSeed.ClientId, GraphEmulator.DemoTenant.BaseUrlOf(web), cancellationToken);
        await engine.StartAsync();
        await queues.StartAsync(cancellationToken);
        await timers.StartAsync(cancellationToken);
        var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }

    /// <summary>Stops taking requests, then lets the Durable worker finish the work in hand.</summary>
    public async Task StopAsync()
    {
        if (stopped || !started) return;
        stopped = true;
        await web.StopAsync();
        await timers.StopAsync(CancellationToken.None);
        await queues.StopAsync(CancellationToken.None);
        await engine.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        timers.Dispose();
        queues.Dispose();
        await engine.DisposeAsync();
        await web.DisposeAsync();
    }
}
