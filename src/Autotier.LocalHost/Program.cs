using Autotier.LocalHost;
using Autotier.LocalHost.Azurite;
using Microsoft.Extensions.Logging;

// `dotnet run --project src/Autotier.LocalHost`: the app on http://127.0.0.1:7071 with its own
// Azurite (unless AzureWebJobsStorage names one) and a seeded `demo` client. Ctrl-C or SIGTERM
// stops HTTP, then the Durable worker, then Azurite, once each.
var root = RepositoryRoot.Find();
var settings = LocalHostSettings.FromEnvironment(root, args);
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
    System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
    {
        c.Cancel = true;
        stop.Cancel();
    });

using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
try
{
    return await RunAsync();
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    // Ctrl-C while starting: what started has been stopped by the disposals on the way out.
    Console.WriteLine("Stopped while starting.");
    return 0;
}
catch (Autotier.Functions.Composition.UnresolvedKeyVaultReferenceException e)
{
    // The app refuses to start, as the worker does: one line naming the settings (never their values), exit 1.
    Console.Error.WriteLine($"autotier: {e.Message}");
    return 1;
}

async Task<int> RunAsync()
{
    await using var azurite = settings.StorageConnection is null
        ? await AzuriteProcess.StartAsync(
            new AzuriteOptions(settings.DataDirectory, settings.AzuritePortBase, PortAfter(settings.AzuritePortBase, 1), PortAfter(settings.AzuritePortBase, 2)),
            loggers.CreateLogger("Azurite"),
            stop.Token)
        : null;
    if (azurite is not null)
        Console.WriteLine($"Started Azurite ({(settings.DataDirectory is null ? "in memory" : $"data in {Path.GetRelativePath(root, settings.DataDirectory)}/")})");
    var storage = settings.StorageConnection ?? azurite!.ConnectionString;

    await using var app = LocalHostApp.Create(settings, storage, Path.Combine(root, "host.json"));
    try
    {
        await StartedAsync(app);
        await Task.Delay(Timeout.Infinite, stop.Token);
    }
    catch (OperationCanceledException) when (stop.IsCancellationRequested)
    {
        // The same ordered stop whether the signal came while running or while starting: HTTP
        // answers health before the triggers and the Durable worker are up, so a service manager
        // (or a test) may well stop the host in between.
        Console.WriteLine("Stopping: HTTP first, then the work in hand.");
    }
    await app.StopAsync();
    if (azurite is not null) await azurite.StopAsync();
    return 0;
}

async Task StartedAsync(LocalHostApp app)
{
    await app.StartAsync(stop.Token);
    Console.WriteLine($"autotier (C#) listening on {app.BaseAddress}");
    Console.WriteLine($"Try: curl -s {app.BaseAddress}api/health");
    Console.WriteLine(Autotier.LocalHost.Dev.DevWebhookSecret.Describe(
        Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>(app.Services)));
    Console.WriteLine($"The demo client's Microsoft Graph (every playbook, README \"Try every playbook\"): {app.BaseAddress}{Autotier.LocalHost.GraphEmulator.DemoTenant.Path.TrimStart('/')}/v1.0");
}

// Port 0 asks for free ports throughout; otherwise Azurite's three services sit side by side.
static int PortAfter(int basePort, int offset) => basePort == 0 ? 0 : basePort + offset;
