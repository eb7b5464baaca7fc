using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Autotier.Domain.Webhooks;
using Autotier.LocalHost.Dev;

namespace Autotier.E2ETests.Webhooks;

/// <summary>Signed deliveries to the local host, and what an outside observer sees of the tickets they make.</summary>
internal static partial class WebhookHttp
{
    public static HttpRequestMessage Generic(string raw, string? secret = DevWebhookSecret.Value, long? timestamp = null, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("api/webhooks/generic", UriKind.Relative))
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(raw)),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        if (secret is not null)
        {
            var ts = (timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds()).ToString(CultureInfo.InvariantCulture);
            request.Headers.Add("x-autotier-timestamp", ts);
            request.Headers.Add("x-autotier-signature", WebhookAuth.SignGeneric(Encoding.UTF8.GetBytes(raw), ts, secret));
        }
        return request;
    }

    public static string Event(string eventId, string email, string clientId = "demo", string subject = "VPN drops every hour", string body = "It drops.", object? requester = null) =>
        JsonSerializer.Serialize(new { eventId, clientId, requester = requester ?? new { name = "Sam Lee", email }, subject, body });

    public static async Task<JsonElement> ErrorOf(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>The ticket id of the acknowledgement mailed to <paramref name="email"/>, once it is there.</summary>
    public static async Task<string> TicketMailedToAsync(HttpClient http, string email, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var mails = await http.GetFromJsonAsync<JsonElement[]>(new Uri($"api/dev/outbox?to={Uri.EscapeDataString(email)}", UriKind.Relative), cts.Token);
            foreach (var m in mails!)
            {
                if (TicketToken().Match(m.GetProperty("subject").GetString() ?? "") is { Success: true } found) return found.Groups[1].Value;
            }
            await Task.Delay(100, cts.Token);
        }
    }

    [GeneratedRegex(@"\[#(T-[0-9]+)\]")]
    private static partial Regex TicketToken();
}
