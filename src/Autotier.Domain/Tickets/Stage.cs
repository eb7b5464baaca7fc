using System.Text.Json.Serialization;

namespace Autotier.Domain.Tickets;

/// <summary>Where a ticket is in its workflow. The wire names are the TypeScript app's, so stored tickets read back alike.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Stage>))]
public enum Stage
{
    [JsonStringEnumMemberName("received")] Received,
    [JsonStringEnumMemberName("classified")] Classified,
    [JsonStringEnumMemberName("resolving")] Resolving,
    [JsonStringEnumMemberName("awaiting_confirmation")] AwaitingConfirmation,
    [JsonStringEnumMemberName("resolved")] Resolved,
    [JsonStringEnumMemberName("escalated")] Escalated,
    [JsonStringEnumMemberName("closed")] Closed,
}
