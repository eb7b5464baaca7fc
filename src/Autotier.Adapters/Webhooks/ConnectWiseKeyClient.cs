using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Autotier.Application.Webhooks;

namespace Autotier.Adapters.Webhooks;

/// <summary>
/// GETs a ConnectWise callback key with the API credentials (<c>Authorization: Basic
/// base64(company+publicKey:privateKey)</c> and the <c>clientId</c> header) and reads
/// <c>{signing_key}</c>. The URL was pinned to the configured site before it gets here
/// (<see cref="Domain.Webhooks.WebhookAuth.ConnectWiseKeyUrl"/>); redirects are not followed, so the
/// credentials never leave that host.
/// </summary>
public sealed class ConnectWiseKeyClient(HttpClient http, string company, string publicKey, string privateKey, string clientId) : IConnectWiseKeySource
{
    /// <summary>An HttpClient that never follows redirects and gives up after 10 seconds.</summary>
    public static HttpClient CreateHttpClient(HttpMessageHandler? handler = null) =>
        new(handler ?? new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };

    public async Task<string?> FetchAsync(Uri keyUrl, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, keyUrl);
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{company}+{publicKey}:{privateKey}")));
        request.Headers.TryAddWithoutValidation("clientId", clientId);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode) return null;
        if (response.Content.Headers.ContentLength > 16 * 1024) return null;
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (body.Length > 16 * 1024) return null;
        using var json = JsonDocument.Parse(body);
        return json.RootElement.ValueKind == JsonValueKind.Object
            && json.RootElement.TryGetProperty("signing_key", out var key) && key.ValueKind == JsonValueKind.String
            && key.GetString() is { Length: > 0 } k ? k : null;
    }
}
