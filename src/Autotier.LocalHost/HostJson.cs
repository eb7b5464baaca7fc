using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Autotier.LocalHost;

/// <summary>The queue trigger settings the Functions host reads from host.json (its defaults where unset).</summary>
public sealed record QueueHostOptions(
    int BatchSize,
    int NewBatchThreshold,
    int MaxDequeueCount,
    TimeSpan VisibilityTimeout,
    TimeSpan MaxPollingInterval)
{
    public static QueueHostOptions Defaults { get; } = new(16, 8, 5, TimeSpan.Zero, TimeSpan.FromMinutes(1));
}

/// <summary>The Durable settings from host.json that the local host honours (the Durable extension's defaults where unset).</summary>
public sealed record DurableHostOptions(
    string HubName,
    TimeSpan MaxQueuePollingInterval,
    TimeSpan? ControlQueueVisibilityTimeout = null,
    TimeSpan? WorkItemQueueVisibilityTimeout = null);

/// <summary>
/// host.json as the local host reads it: the HTTP route prefix, queue settings and the Durable task
/// hub, with <c>%SETTING%</c> resolved from app settings as the Functions host does, and any value
/// overridden by an app setting <c>AzureFunctionsJobHost__path__to__value</c>, as the Functions host
/// allows (e.g. <c>AzureFunctionsJobHost__extensions__queues__maxDequeueCount</c>).
/// </summary>
public sealed partial record HostJson(string RoutePrefix, QueueHostOptions Queues, DurableHostOptions Durable)
{
    public static HostJson Load(string path, IConfiguration settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var root = document.RootElement;
        string? Text(params string[] at) => settings[string.Join(':', ["AzureFunctionsJobHost", .. at])] ?? JsonText(root, at);
        int? Int(params string[] at) => Text(at) is { } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : null;
        TimeSpan? Span(params string[] at) => Text(at) is { } s ? TimeSpan.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : null;
        var d = QueueHostOptions.Defaults;
        return new HostJson(
            Text("extensions", "http", "routePrefix") ?? "api",
            new QueueHostOptions(
                Int("extensions", "queues", "batchSize") ?? d.BatchSize,
                Int("extensions", "queues", "newBatchThreshold") ?? d.NewBatchThreshold,
                Int("extensions", "queues", "maxDequeueCount") ?? d.MaxDequeueCount,
                Span("extensions", "queues", "visibilityTimeout") ?? d.VisibilityTimeout,
                Span("extensions", "queues", "maxPollingInterval") ?? d.MaxPollingInterval),
            new DurableHostOptions(
                Resolve(Text("extensions", "durableTask", "hubName") ?? "TestHubName", settings),
                Span("extensions", "durableTask", "storageProvider", "maxQueuePollingInterval") ?? TimeSpan.FromSeconds(30),
                Span("extensions", "durableTask", "storageProvider", "controlQueueVisibilityTimeout"),
                Span("extensions", "durableTask", "storageProvider", "workItemQueueVisibilityTimeout")));
    }

    /// <summary>A value in host.json by its path; numbers and booleans as their JSON text.</summary>
    private static string? JsonText(JsonElement element, string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element)) return null;
        }
        return element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
            _ => null,
        };
    }

    /// <summary>Replaces each <c>%NAME%</c> with that app setting, as the Functions host's name resolver does.</summary>
    public static string Resolve(string value, IConfiguration settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Placeholder().Replace(value, m => settings[m.Groups[1].Value]
            ?? throw new InvalidOperationException($"app setting {m.Groups[1].Value} is not set (named in \"{value}\")"));
    }

    [GeneratedRegex("%([A-Za-z0-9_]+)%")]
    private static partial Regex Placeholder();
}
