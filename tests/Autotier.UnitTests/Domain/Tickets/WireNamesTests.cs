using System.Text.Json;
using Autotier.Domain.Tickets;
using Xunit;

namespace Autotier.UnitTests.Domain.Tickets;

/// <summary>Stages and channels serialize to the TypeScript app's names, so stored tickets read back alike.</summary>
public sealed class WireNamesTests
{
    [Theory]
    [InlineData(Stage.Received, "received")]
    [InlineData(Stage.Classified, "classified")]
    [InlineData(Stage.Resolving, "resolving")]
    [InlineData(Stage.AwaitingConfirmation, "awaiting_confirmation")]
    [InlineData(Stage.Resolved, "resolved")]
    [InlineData(Stage.Escalated, "escalated")]
    [InlineData(Stage.Closed, "closed")]
    public void Stage_round_trips_by_its_wire_name(Stage stage, string wire)
    {
        Assert.Equal($"\"{wire}\"", JsonSerializer.Serialize(stage));
        Assert.Equal(stage, JsonSerializer.Deserialize<Stage>($"\"{wire}\""));
    }

    [Theory]
    [InlineData(Channel.Api, "api")]
    [InlineData(Channel.Portal, "portal")]
    [InlineData(Channel.Email, "email")]
    [InlineData(Channel.ConnectWise, "connectwise")]
    [InlineData(Channel.Autotask, "autotask")]
    [InlineData(Channel.HaloPsa, "halopsa")]
    [InlineData(Channel.Webhook, "webhook")]
    public void Channel_round_trips_by_its_wire_name(Channel channel, string wire)
    {
        Assert.Equal($"\"{wire}\"", JsonSerializer.Serialize(channel));
        Assert.Equal(channel, JsonSerializer.Deserialize<Channel>($"\"{wire}\""));
    }

    [Fact]
    public void A_timeline_entry_without_a_stage_serializes_it_as_null()
    {
        var entry = new TimelineEntry("received", DateTimeOffset.UnixEpoch, null, "Ticket received");

        var json = JsonSerializer.Serialize(entry);

        Assert.Contains("\"Stage\":null", json, StringComparison.Ordinal);
        Assert.Equal(entry, JsonSerializer.Deserialize<TimelineEntry>(json));
    }
}
