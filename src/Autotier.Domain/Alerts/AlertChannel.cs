using System.Text.Json.Serialization;

namespace Autotier.Domain.Alerts;

/// <summary>Where an audience's alerts can go; each is delivered once and retried alone.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlertChannel>))]
public enum AlertChannel
{
    [JsonStringEnumMemberName("webhook")] Webhook,
    [JsonStringEnumMemberName("email")] Email,
}
