using Autotier.Domain.Tickets;
using Xunit;

namespace Autotier.UnitTests.Domain.Tickets;

/// <summary>Who may answer for a ticket; the answers match the TS build's mayAnswer.</summary>
public sealed class MayAnswerTests
{
    private static readonly Ticket Ticket = new(
        "T-1001", "demo", new Requester(null, " Sam@Demo.Example "), "s", "b", null, Channel.Email, Stage.Received,
        DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch)
    {
        Participants = ["boss@demo.example"],
    };

    [Theory]
    [InlineData("sam@demo.example")]
    [InlineData(" SAM@demo.example\n")]
    [InlineData("boss@demo.example")]
    [InlineData("Boss@Demo.Example")]
    public void The_requester_and_the_threads_participants_may(string from) => Assert.True(Ticket.MayAnswer(from));

    [Fact]
    public void Anyone_else_may_not()
    {
        Assert.False(Ticket.MayAnswer("eve@demo.example"));
        Assert.False((Ticket with { Participants = null }).MayAnswer("boss@demo.example"));
    }
}
