using System.Net;

namespace Autotier.Bench.EndToEnd;

internal static class Ports
{
    /// <summary>A port free on the loopback now (the OS picks it; nothing holds it after).</summary>
    public static int Free()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
