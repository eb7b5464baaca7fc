using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Autotier.LocalHost.GraphEmulator;

/// <summary>A change-notification subscription the emulator holds.</summary>
public sealed record EmulatedSubscription(string Id, string Resource, string NotificationUrl, string? LifecycleNotificationUrl, string ClientState, DateTimeOffset ExpiresAt);

/// <summary>
/// The support mailbox's side of Graph: messages by (mailbox, id) served as MIME from
/// <c>GET /users/{mailbox}/messages/{id}/$value</c>, and mail subscriptions (<c>POST /subscriptions</c>
/// runs the validation handshake against the notification URL first, as Graph does;
/// <c>PATCH /subscriptions/{id}</c> renews).
/// </summary>
public sealed partial class GraphEmulator
{
    private static readonly HttpClient Handshakes = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Messages by "mailbox/id" (the mailbox lower case).</summary>
    public ConcurrentDictionary<string, byte[]> Messages { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, EmulatedSubscription> Subscriptions { get; } = new(StringComparer.Ordinal);

    public void AddMessage(string mailbox, string id, byte[] mime)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        Messages[$"{mailbox.ToLowerInvariant()}/{id}"] = mime;
    }

    private async Task<bool> TryHandleMailAsync(HttpContext context, string method, string path, JsonElement? body)
    {
        var segments = path.Trim('/').Split('/');
        switch (method, segments)
        {
            case ("GET", ["users", var mailbox, "messages", var id, "$value"]):
                if (!Messages.TryGetValue($"{Uri.UnescapeDataString(mailbox).ToLowerInvariant()}/{Uri.UnescapeDataString(id)}", out var mime))
                {
                    await SendAsync(context, 404, Error("ErrorItemNotFound", "The specified object was not found in the store."));
                    return true;
                }
                context.Response.StatusCode = 200;
                context.Response.ContentType = "message/rfc822";
                await context.Response.Body.WriteAsync(mime, context.RequestAborted);
                return true;
            case ("POST", ["subscriptions"]):
            {
                string? Str(string name) => body is { ValueKind: JsonValueKind.Object } b && b.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                var url = Str("notificationUrl");
                var resource = Str("resource");
                if (url is null || resource is null || Str("clientState") is not { } state || Str("changeType") is null
                    || !DateTimeOffset.TryParse(Str("expirationDateTime"), System.Globalization.CultureInfo.InvariantCulture, out var expires))
                {
                    await SendAsync(context, 400, Error("InvalidRequest", "notificationUrl, resource, changeType, clientState and expirationDateTime are required"));
                    return true;
                }
                // Graph validates the endpoint before it creates the subscription: a 200 text/plain echo within 10 s.
                const string token = "Validation: Testing client application reachability for subscription Request-Id: emulator";
                var echoed = false;
                try
                {
                    using var answer = await Handshakes.PostAsync(new Uri($"{url}?validationToken={Uri.EscapeDataString(token)}"), null, context.RequestAborted);
                    echoed = answer.IsSuccessStatusCode && answer.Content.Headers.ContentType?.MediaType == "text/plain" && await answer.Content.ReadAsStringAsync(context.RequestAborted) == token;
                }
                catch (HttpRequestException)
                {
                    echoed = false;
                }
                if (!echoed)
                {
                    await SendAsync(context, 400, Error("InvalidRequest", "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request."));
                    return true;
                }
                var subscription = new EmulatedSubscription(Guid.NewGuid().ToString(), resource, url, Str("lifecycleNotificationUrl"), state, expires);
                Subscriptions[subscription.Id] = subscription;
                await SendAsync(context, 201, SubscriptionJson(subscription));
                return true;
            }
            case ("PATCH", ["subscriptions", var id]):
            {
                if (!Subscriptions.TryGetValue(id, out var current))
                {
                    await SendAsync(context, 404, Error("ResourceNotFound", "The object was not found."));
                    return true;
                }
                var expires = body is { ValueKind: JsonValueKind.Object } b && b.TryGetProperty("expirationDateTime", out var e) && e.TryGetDateTimeOffset(out var at) ? at : current.ExpiresAt;
                var renewed = current with { ExpiresAt = expires };
                Subscriptions[id] = renewed;
                await SendAsync(context, 200, SubscriptionJson(renewed));
                return true;
            }
            default:
                return false;
        }
    }

    private static object SubscriptionJson(EmulatedSubscription s) => new
    {
        id = s.Id,
        resource = s.Resource,
        changeType = "created",
        notificationUrl = s.NotificationUrl,
        lifecycleNotificationUrl = s.LifecycleNotificationUrl,
        expirationDateTime = s.ExpiresAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", System.Globalization.CultureInfo.InvariantCulture),
    };
}
