using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Autotier.Application.Mail;

/// <summary>The Graph mail intake's settings (AUTOTIER_GRAPH_CLIENT_STATE, comma separated: the first is what new subscriptions carry).</summary>
public sealed record GraphMailSettings(IReadOnlyList<string> ClientStates, string PublicBaseUrl)
{
    public bool Configured => ClientStates.Count > 0;
}

/// <summary>What a notification POST came to.</summary>
public sealed record GraphNotificationResult(int Status, string? Error, int Accepted);

/// <summary>
/// Microsoft Graph change notifications for the support mailbox (the TypeScript graphNotifications.ts):
/// every notification's <c>clientState</c> must be one of ours (compared in constant time); each new
/// message goes onto the mail queue once, by its id alone.
/// </summary>
public sealed partial class GraphNotifications(
    GraphMailSettings settings,
    IMailInbox queue,
    GraphSubscriptionKeeper keeper,
    TimeProvider time,
    ILogger<GraphNotifications> logger)
{
    private sealed record Notification(string? ClientState, string? ChangeType, string? Resource, string? ResourceId, string? LifecycleEvent);

    public async Task<GraphNotificationResult> NotifyAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var read = Genuine(body);
        if (read.Refusal is { } refusal) return refusal;
        var accepted = 0;
        foreach (var n in read.Genuine)
        {
            if (n.ChangeType != "created" || n.Resource is null) continue;
            var id = n.ResourceId ?? LastSegment(n.Resource);
            if (id is null || id.Length > 512) continue;
            // No claim before queuing: a notification Graph repeats is queued again and the mail
            // intake finds its Message-ID threaded, so a failed send can never lose one.
            await queue.EnqueueAsync(new MailIntakeMessage("graph", id, null, id, time.GetUtcNow()), cancellationToken);
            accepted++;
        }
        LogNotified(logger, read.Genuine.Count, read.Total);
        return new GraphNotificationResult(202, null, accepted);
    }

    public async Task<GraphNotificationResult> LifecycleAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var read = Genuine(body);
        if (read.Refusal is { } refusal) return refusal;
        if (read.Genuine.Any(n => n.LifecycleEvent is "reauthorizationRequired" or "subscriptionRemoved"))
        {
            var action = await keeper.KeepAsync(force: true, cancellationToken);
            LogLifecycle(logger, action);
        }
        if (read.Genuine.Any(n => n.LifecycleEvent == "missed"))
        {
            // Graph lost notifications: renew (a missed notification often comes with a broken subscription).
            var action = await keeper.KeepAsync(force: true, cancellationToken);
            LogMissed(logger, action);
        }
        return new GraphNotificationResult(202, null, 0);
    }

    private (GraphNotificationResult? Refusal, List<Notification> Genuine, int Total) Genuine(ReadOnlyMemory<byte> body)
    {
        List<Notification> items = [];
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Array)
                return (Bad(), [], 0);
            foreach (var n in value.EnumerateArray())
            {
                // Every notification must be an object: [null] is a malformed body, not a crash.
                if (n.ValueKind != JsonValueKind.Object) return (Bad(), [], 0);
                items.Add(new Notification(Str(n, "clientState"), Str(n, "changeType"), Str(n, "resource"),
                    n.TryGetProperty("resourceData", out var data) && data.ValueKind == JsonValueKind.Object ? Str(data, "id") : null,
                    Str(n, "lifecycleEvent")));
            }
        }
        catch (JsonException)
        {
            return (Bad(), [], 0);
        }
        var genuine = items.Where(n => n.ClientState is { } s && Matches(s)).ToList();
        if (genuine.Count == 0 && items.Count > 0) return (new GraphNotificationResult(401, "unauthorized", 0), [], items.Count);
        return (null, genuine, items.Count);
    }

    private static GraphNotificationResult Bad() => new(400, "body must be a JSON object with a value array", 0);

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string? LastSegment(string resource)
    {
        var i = resource.LastIndexOf('/');
        var last = i < 0 ? resource : resource[(i + 1)..];
        return last.Length > 0 ? last : null;
    }

    /// <summary>Constant time per configured state, whatever the state's length or content.</summary>
    private bool Matches(string given)
    {
        var g = SHA256.HashData(Encoding.UTF8.GetBytes(given));
        var match = false;
        foreach (var state in settings.ClientStates)
            match |= CryptographicOperations.FixedTimeEquals(g, SHA256.HashData(Encoding.UTF8.GetBytes(state)));
        return match;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "graph: {Genuine} of {Total} notifications accepted")]
    private static partial void LogNotified(ILogger logger, int genuine, int total);

    [LoggerMessage(Level = LogLevel.Information, Message = "graph lifecycle: subscription {Action}")]
    private static partial void LogLifecycle(ILogger logger, string action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "graph lifecycle: Graph missed notifications; subscription {Action}; mail that arrived meanwhile may need a look")]
    private static partial void LogMissed(ILogger logger, string action);
}

/// <summary>
/// Keeps the support mailbox's subscription alive (the TypeScript keepSubscription.ts): created when
/// there is none, renewed with 2 of its 4 days left (or when <c>force</c>, as a lifecycle notification
/// asks), and created anew when Graph has dropped it.
/// </summary>
public sealed class GraphSubscriptionKeeper(IGraphMailbox? graph, IGraphSubscriptionStore store, GraphMailSettings settings, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(4);
    public static readonly TimeSpan RenewBefore = TimeSpan.FromDays(2);

    /// <summary>"kept", "renewed", "created", or "off" when Graph mail intake is not configured.</summary>
    public async Task<string> KeepAsync(bool force, CancellationToken cancellationToken)
    {
        if (graph is null || settings.ClientStates.Count == 0) return "off";
        var now = time.GetUtcNow();
        var expiresAt = now + Lifetime;
        var current = await store.GetAsync(cancellationToken);
        if (current is not null && !force && current.ExpiresAt - now > RenewBefore) return "kept";
        if (current is not null && current.ExpiresAt > now && await graph.RenewAsync(current.Id, expiresAt, cancellationToken) is { } renewed)
        {
            await store.PutAsync(renewed, cancellationToken);
            return "renewed";
        }
        var created = await graph.SubscribeAsync(new GraphSubscriptionRequest(
            $"{settings.PublicBaseUrl}/api/mail/graph", $"{settings.PublicBaseUrl}/api/mail/graph/lifecycle", settings.ClientStates[0], expiresAt), cancellationToken);
        await store.PutAsync(created, cancellationToken);
        return "created";
    }
}
