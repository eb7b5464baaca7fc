using System.Net.Sockets;
using System.Text;

namespace Autotier.E2ETests.Webhooks;

/// <summary>One HTTP/1.1 request written byte for byte (for request lines no HTTP client would send).</summary>
internal static class RawHttp
{
    public static async Task<(int Status, string Body)> SendAsync(Uri baseAddress, string requestLine)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(baseAddress.Host, baseAddress.Port);
        var stream = client.GetStream();
        var request = $"{requestLine}\r\nHost: {baseAddress.Authority}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync();
        var status = int.Parse(response.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture);
        var split = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (status, split < 0 ? "" : response[(split + 4)..]);
    }
}
