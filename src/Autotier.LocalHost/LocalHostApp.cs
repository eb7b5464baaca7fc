using System.Net;
using Autotier.Application.Json;
using Autotier.Application.Ports;
using Autotier.Functions.Composition;
using Autotier.LocalHost.Dev;
using Autotier.LocalHost.Durable;
using Autotier.LocalHost.Http;
using Autotier.LocalHost.Indexing;
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
    private bool stopped;

    private LocalHostApp(WebApplication web, DurableEngine engine, IOrchestrationService durableService, VirtualClockOrchestrationService? virtualClock, IReadOnlyList<string> routes)
    {
        this.web = web;
        this.engine = engine;
        this.durableService = durableService;
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
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, settings.Port));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AUTOTIER_TASK_HUB"] = "autotier",
            ["AUTOTIER_INTAKE_QUEUE"] = "autotier-intake",
            ["AUTOTIER_PUBLIC_BASE_URL"] = $"http://127.0.0.1:{settings.Port}",
        });
        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddInMemoryCollection(settings.AppSettings);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = storageConnection });
        if (logging is not null) logging(builder.Logging);

        FakeTimeProvider? clock = settings.VirtualClock ? new FakeTimeProvider(DateTimeOffset.UtcNow) : null;
        if (clock is not null) builder.Services.AddSingleton<TimeProvider>(clock);
        if (storagePolicy is not null) builder.Services.AddSingleton(new StoragePipelinePolicy(storagePolicy));
        builder.Services.AddMvcCore();
        builder.Services.AddAutotier(builder.Configuration);
        var web = builder.Build();

        var host = HostJson.Load(hostJsonPath, web.Configuration);
        var loggers = web.Services.GetRequiredService<ILoggerFactory>();
        var functions = FunctionCatalog.Scan(typeof(AutotierServices).Assembly);
        var azure = AzureStorageDurable.Create(storageConnection, host.Durable, loggers, $"autotier-local-{settings.Port}", storagePolicy);
        VirtualClockOrchestrationService? virtualClock = clock is null ? null : new(azure, azure, clock);
        var engine = new DurableEngine(
            (IOrchestrationService?)virtualClock ?? azure, azure, functions, web.Services,
            new JsonDataConverter(AutotierJson.Options), loggers, clock);

        var routes = HttpFunctionRoutes.Map(web, functions, host.RoutePrefix, engine.Client);
        DevRoutes.Map(web, engine.Client, virtualClock);
        return new LocalHostApp(web, engine, azure, virtualClock, routes);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await durableService.CreateIfNotExistsAsync();
        await engine.StartAsync();
        await web.StartAsync(cancellationToken);
        await DemoSeed.EnsureAsync(web.Services.GetRequiredService<IClientStore>(), cancellationToken);
        var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }

    /// <summary>Stops taking requests, then lets the Durable worker finish the work in hand.</summary>
    public async Task StopAsync()
    {
        if (stopped) return;
        stopped = true;
        await web.StopAsync();
        await engine.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await engine.DisposeAsync();
        await web.DisposeAsync();
    }
}
