using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Autotier.LocalHost.GraphEmulator;

/// <summary>The emulator on a Kestrel server of its own at 127.0.0.1 on a free port (tests).</summary>
public sealed class GraphEmulatorServer : IAsyncDisposable
{
    private readonly WebApplication web;

    private GraphEmulatorServer(WebApplication web, GraphEmulator emulator, string url)
    {
        this.web = web;
        Emulator = emulator;
        Url = url;
    }

    public GraphEmulator Emulator { get; }

    /// <summary>Where Graph is (without the version), e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url { get; }

    /// <param name="token">The bearer token every request must carry; null: none is asked for.</param>
    public static async Task<GraphEmulatorServer> StartAsync(string? token = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var web = builder.Build();
        var emulator = new GraphEmulator(token);
        emulator.Map(web, "");
        await web.StartAsync();
        var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new GraphEmulatorServer(web, emulator, address.TrimEnd('/'));
    }

    public async ValueTask DisposeAsync()
    {
        await web.StopAsync();
        await web.DisposeAsync();
    }
}
