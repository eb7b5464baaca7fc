using System.Text.Json.Serialization;

namespace Autotier.Domain.Tickets;

/// <summary>How a ticket arrived. The wire names are the TypeScript app's, so stored tickets read back alike.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Channel>))]
public enum Channel
{
    [JsonStringEnumMemberName("api")] Api,
    [JsonStringEnumMemberName("portal")] Portal,
    [JsonStringEnumMemberName("email")] Email,
    [JsonStringEnumMemberName("connectwise")] ConnectWise,
    [JsonStringEnumMemberName("autotask")] Autotask,
    [JsonStringEnumMemberName("halopsa")] HaloPsa,
    [JsonStringEnumMemberName("webhook")] Webhook,
}
