using Autotier.Domain.Assistant;
using Xunit;

namespace Autotier.UnitTests.Domain.Assistant;

/// <summary>Issue #31: unclear replies cannot spawn new tickets, and new issues only within bounds.</summary>
public sealed class FollowUpPolicyTests
{
    private static readonly FollowUpCounts Fresh = new(0, false, 0);

    [Theory]
    [InlineData(ReplyAnswer.Yes)]
    [InlineData(ReplyAnswer.No)]
    [InlineData(ReplyAnswer.Unclear)]
    public void Only_a_new_issue_files_anything(ReplyAnswer answer)
    {
        var reading = FollowUpPolicy.Decide(answer, Fresh);
        Assert.Equal((answer, false), (reading.Answer, reading.FileFollowUp));
        Assert.Equal("The language model read the reply as: " + FollowUpPolicy.Wire(answer), reading.Note);
    }

    [Fact]
    public void No_answer_is_an_unclear_reply_with_nothing_filed_or_noted() =>
        Assert.Equal(ReplyReading.Unread, FollowUpPolicy.Decide(null, Fresh));

    [Fact]
    public void A_new_issue_within_the_bounds_is_filed()
    {
        var reading = FollowUpPolicy.Decide(ReplyAnswer.NewIssue, new FollowUpCounts(FollowUpPolicy.MaxPerTicket - 1, false, FollowUpPolicy.MaxPerSenderPerDay - 1));
        Assert.Equal((ReplyAnswer.NewIssue, true), (reading.Answer, reading.FileFollowUp));
    }

    [Theory]
    [InlineData(0, true, 0, "this ticket was itself filed from a reply")]
    [InlineData(2, false, 0, "this ticket already filed 2 from replies")]
    [InlineData(0, false, 3, "3 were filed for this sender today")]
    public void Past_a_bound_the_reply_is_unclear_and_the_timeline_says_why(int fromTicket, bool isFollowUp, int forSender, string why)
    {
        var reading = FollowUpPolicy.Decide(ReplyAnswer.NewIssue, new FollowUpCounts(fromTicket, isFollowUp, forSender));
        Assert.Equal((ReplyAnswer.Unclear, false), (reading.Answer, reading.FileFollowUp));
        Assert.Contains(why, reading.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stream_of_new_issue_replies_files_at_most_the_per_ticket_bound()
    {
        var counts = Fresh;
        var filed = 0;
        for (var reply = 0; reply < 50; reply++)
        {
            if (!FollowUpPolicy.Decide(ReplyAnswer.NewIssue, counts).FileFollowUp) continue;
            filed++;
            counts = counts with { FromThisTicket = counts.FromThisTicket + 1, ForSenderToday = counts.ForSenderToday + 1 };
        }
        Assert.Equal(FollowUpPolicy.MaxPerTicket, filed);
    }
}
