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

/// <summary>The Durable settings from host.json that the local host honours.</summary>
public sealed record DurableHostOptions(string HubName, TimeSpan MaxQueuePollingInterval);

/// <summary>
/// host.json as the local host reads it: the HTTP route prefix, queue settings and the Durable task
/// hub, with <c>%SETTING%</c> resolved from app settings as the Functions host does.
/// </summary>
public sealed partial record HostJson(string RoutePrefix, QueueHostOptions Queues, DurableHostOptions Durable)
{
    public static HostJson Load(string path, IConfiguration settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var extensions = document.RootElement.TryGetProperty("extensions", out var e) ? e : default;
        var http = Section(extensions, "http");
        var queues = Section(extensions, "queues");
        var durable = Section(extensions, "durableTask");
        var storage = Section(durable, "storageProvider");
        var d = QueueHostOptions.Defaults;
        return new HostJson(
            Text(http, "routePrefix") ?? "api",
            new QueueHostOptions(
                Int(queues, "batchSize") ?? d.BatchSize,
                Int(queues, "newBatchThreshold") ?? d.NewBatchThreshold,
                Int(queues, "maxDequeueCount") ?? d.MaxDequeueCount,
                Span(queues, "visibilityTimeout") ?? d.VisibilityTimeout,
                Span(queues, "maxPollingInterval") ?? d.MaxPollingInterval),
            new DurableHostOptions(
                Resolve(Text(durable, "hubName") ?? "TestHubName", settings),
                Span(storage, "maxQueuePollingInterval") ?? TimeSpan.FromSeconds(30)));
    }

    /// <summary>Replaces each <c>%NAME%</c> with that app setting, as the Functions host's name resolver does.</summary>
    public static string Resolve(string value, IConfiguration settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Placeholder().Replace(value, m => settings[m.Groups[1].Value]
            ?? throw new InvalidOperationException($"app setting {m.Groups[1].Value} is not set (named in \"{value}\")"));
    }

    private static JsonElement Section(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var s) ? s : default;

    private static string? Text(JsonElement section, string name) =>
        section.ValueKind == JsonValueKind.Object && section.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int? Int(JsonElement section, string name) =>
        section.ValueKind == JsonValueKind.Object && section.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;

    private static TimeSpan? Span(JsonElement section, string name) =>
        Text(section, name) is { } s ? TimeSpan.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : null;

    [GeneratedRegex("%([A-Za-z0-9_]+)%")]
    private static partial Regex Placeholder();
}
