using System.Text.Json;
using System.Text.RegularExpressions;

namespace Autotier.Domain.Alerts;

/// <summary>Where one audience's alerts go; each channel is optional, at least one is given.</summary>
/// <param name="Webhook">A Teams Workflows "When a Teams webhook request is received" URL. A secret: it carries <c>sig=</c>.</param>
public sealed record AudienceChannels(Uri? Webhook, string? Email)
{
    /// <summary>No URL in logs or exceptions: ToString names only which channels there are.</summary>
    public override string ToString() =>
        $"AudienceChannels {{ Webhook = {(Webhook is null ? "none" : "set")}, Email = {(Email is null ? "none" : "set")} }}";
}

/// <summary>AUTOTIER_NOTIFY: where each audience's alerts are delivered.</summary>
public sealed partial class AlertRouting
{
    public const string Setting = "AUTOTIER_NOTIFY";

    private static readonly HashSet<string> Loopback = new(StringComparer.OrdinalIgnoreCase) { "localhost", "127.0.0.1", "[::1]", "::1" };

    private readonly IReadOnlyDictionary<Audience, AudienceChannels> _channels;

    public AlertRouting(IReadOnlyDictionary<Audience, AudienceChannels> channels) => _channels = channels;

    /// <summary>The audience's channels, or null when it has none (its alerts are recorded as undelivered).</summary>
    public AudienceChannels? For(Audience audience) => _channels.GetValueOrDefault(audience);

    public IEnumerable<Audience> Routed => Audiences.All.Where(_channels.ContainsKey);

    /// <summary>
    /// What start-up says about delivery: which audiences go where (channel kinds only, never a URL
    /// or address), and which have no channel. Unlike the TypeScript app, whose function for such an
    /// audience is not registered so its alerts wait in the queue, every deliverAlert function runs
    /// here and records those alerts as <c>nochannel</c> in the delivery table.
    /// </summary>
    public static string Summary(AlertRouting? routing, string queuePrefix)
    {
        var routed = routing?.Routed.ToList() ?? [];
        var left = Audiences.All.Where(a => !routed.Contains(a)).Select(a => a.QueueName(queuePrefix)).ToList();
        if (routed.Count == 0)
            return $"{Setting} is not set: alerts from {string.Join(", ", left)} are recorded as not delivered (no channel)";
        var channels = routed.Select(a =>
        {
            var c = routing!.For(a)!;
            var kinds = new[] { c.Webhook is null ? null : "Teams webhook", c.Email is null ? null : "email" }.OfType<string>();
            return $"{a.WireName()} ({string.Join(" and ", kinds)})";
        });
        var rest = left.Count > 0 ? $"; no channel for the others, whose alerts from {string.Join(", ", left)} are recorded as not delivered" : "";
        return $"alerts are delivered to {string.Join(", ", channels)}{rest}";
    }

    /// <summary>
    /// Reads AUTOTIER_NOTIFY. Unset or blank (the Bicep writes '' when no channels were given): null, no
    /// routing. A bad value throws a <see cref="FormatException"/> that names the setting and the field
    /// and never quotes the value: a webhook URL is a secret.
    /// </summary>
    public static AlertRouting? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            // The parser's own message quotes the text around the error, which may be a signed URL.
            throw new FormatException($"{Setting} is not valid JSON");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Invalid("must be a JSON object of audiences ({\"tier1\": {\"webhook\": ..., \"email\": ...}, ...})");
            var channels = new Dictionary<Audience, AudienceChannels>();
            foreach (var property in root.EnumerateObject())
            {
                if (!Audiences.TryParse(property.Name, out var audience))
                    throw Invalid($"unknown audience {NameOf(property.Name)} (the audiences are {string.Join(", ", Audiences.All.Select(a => a.WireName()))})");
                channels[audience] = ParseChannels(audience.WireName(), property.Value);
            }
            return new AlertRouting(channels);
        }
    }

    private static AudienceChannels ParseChannels(string audience, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object) throw Invalid($"{audience}: must be an object {{webhook?, email?}}");
        Uri? webhook = null;
        string? email = null;
        foreach (var channel in value.EnumerateObject())
        {
            var field = $"{audience}.{channel.Name}";
            switch (channel.Name)
            {
                case "webhook":
                    webhook = WebhookUrl(StringOf(field, channel.Value)) ?? throw Invalid($"{field}: must be an https URL");
                    break;
                case "email":
                    var address = StringOf(field, channel.Value);
                    email = EmailAddress().IsMatch(address) ? address : throw Invalid($"{field}: must be an email address");
                    break;
                default:
                    throw Invalid($"{audience}: unknown channel {NameOf(channel.Name)} (the channels are webhook and email)");
            }
        }
        if (webhook is null && email is null) throw Invalid($"{audience}: names no channel (give webhook, email or both)");
        return new AudienceChannels(webhook, email);
    }

    private static string StringOf(string field, JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Invalid($"{field}: must be a string");

    /// <summary>https, or plain http to this machine only (a local test receiver).</summary>
    private static Uri? WebhookUrl(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var url)) return null;
        var ok = url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && Loopback.Contains(url.Host));
        return ok ? url : null;
    }

    /// <summary>A key is named in an error only when it looks like a key, never when it could be a pasted URL.</summary>
    private static string NameOf(string key) => KeyLike().IsMatch(key) ? $"\"{key}\"" : "a key";

    private static FormatException Invalid(string what) => new($"{Setting}: {what}");

    [GeneratedRegex("^[A-Za-z0-9_-]{1,40}$")]
    private static partial Regex KeyLike();

    [GeneratedRegex(@"^[^\s@]+@[^\s@]+\.[^\s@]+$")]
    private static partial Regex EmailAddress();
}
