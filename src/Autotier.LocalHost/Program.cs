using Autotier.LocalHost;

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

var storage = settings.StorageConnection;
if (storage is null)
{
    Console.Error.WriteLine("AzureWebJobsStorage is not set, and this build has no Azurite launcher yet.");
    return 2;
}

await using var app = LocalHostApp.Create(settings, storage, Path.Combine(root, "host.json"));
await app.StartAsync(stop.Token);
Console.WriteLine($"autotier (C#) listening on {app.BaseAddress}");
Console.WriteLine($"Try: curl -s {app.BaseAddress}api/health");
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
    Console.WriteLine("Stopping: HTTP first, then the work in hand.");
}
await app.StopAsync();
return 0;
