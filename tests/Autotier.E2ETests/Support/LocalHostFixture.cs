using System.Net.Http.Json;
using System.Text.Json;
using Autotier.Application.Json;
using Autotier.LocalHost;
using Autotier.LocalHost.Durable;
using Microsoft.DurableTask.Converters;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Autotier.LocalHost.Azurite;
using Autotier.LocalHost.Diagnostics;
using Autotier.TestSupport.Azurite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Autotier.E2ETests.Support;

/// <summary>
/// The local host, in this process, over its own in-memory Azurite, on free ports, with a storage
/// request counter on every client: what `dotnet run --project src/Autotier.LocalHost` serves.
/// </summary>
public sealed class LocalHostFixture : IAsyncLifetime
{
    public const string Collection = "LocalHost";

    private AzuriteProcess? azurite;
    private LocalHostApp? app;

    public StorageRequestCounter Requests { get; } = new();

    public LocalHostApp App => app ?? throw new InvalidOperationException("not started");

    public string StorageConnection => azurite?.ConnectionString ?? throw new InvalidOperationException("not started");

    public HttpClient Http { get; private set; } = new();

    /// <summary>A Durable client on its own, uncounted storage clients: tests wait with it without adding to the counts.</summary>
    public LocalDurableTaskClient Observer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        azurite = await AzuriteProcess.StartAsync(new AzuriteOptions(DataDirectory: null), NullLogger.Instance, timeout.Token);
        app = LocalHostApp.Create(
            new LocalHostSettings { Port = 0 },
            azurite.ConnectionString,
            Path.Combine(RepositoryRoot.Find(), "host.json"),
            logging => logging.ClearProviders(),
            Requests);
        await app.StartAsync(timeout.Token);
        Http = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var observer = AzureStorageDurable.Create(
            azurite.ConnectionString, HostJson.Load(Path.Combine(RepositoryRoot.Find(), "host.json"), App.Services.GetRequiredService<IConfiguration>()).Durable,
            NullLoggerFactory.Instance, "observer");
        Observer = new LocalDurableTaskClient("observer", observer, new JsonDataConverter(AutotierJson.Options));
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (app is not null) await app.DisposeAsync();
        if (azurite is not null) await azurite.DisposeAsync();
    }

    /// <summary>Waits, without touching the counted clients, until the instance's custom status says <paramref name="phase"/>.</summary>
    public async Task WaitForPhaseAsync(string instanceId, string phase, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var instance = await Observer.GetInstanceAsync(instanceId, cts.Token);
            if (PhaseOf(instance) == phase) return;
            await Task.Delay(20, cts.Token);
        }
    }

    /// <summary>The phases where a ticket's workflow waits on a person, the requester or a deadline.</summary>
    public static readonly IReadOnlySet<string> Resting = new HashSet<string>(StringComparer.Ordinal) { "awaiting", "escalated", "clarifying", "proving", "closed", "done" };

    /// <summary>Waits until the ticket's workflow has done its first steps and waits (guide sent, or handed to a person).</summary>
    public async Task<string> WaitForRestAsync(string instanceId, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var phase = PhaseOf(await Observer.GetInstanceAsync(instanceId, cts.Token));
            if (phase is not null && Resting.Contains(phase)) return phase;
            await Task.Delay(20, cts.Token);
        }
    }

    /// <summary>The ticket workflow's phase, from its custom status; null before it set one.</summary>
    public static string? PhaseOf(Microsoft.DurableTask.Client.OrchestrationMetadata? instance) =>
        instance?.SerializedCustomStatus is { } status ? JsonElement.Parse(status).GetProperty("phase").GetString() : null;

    /// <summary>Polls the Durable status route until the predicate holds (bounded).</summary>
    public async Task<JsonElement> WaitForInstanceAsync(string instanceId, Func<JsonElement, bool> done, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var response = await Http.GetAsync(new Uri($"durabletask/instances/{instanceId}", UriKind.Relative), cts.Token);
            if (response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadFromJsonAsync<JsonElement>(cts.Token);
                if (done(body)) return body;
            }
            await Task.Delay(50, cts.Token);
        }
    }
}

[CollectionDefinition(LocalHostFixture.Collection)]
public sealed class LocalHostGroup : ICollectionFixture<LocalHostFixture>;
