using Autotier.Domain.Lifecycle;
using Autotier.Domain.Tickets;
using Xunit;

namespace Autotier.UnitTests.Domain.Lifecycle;

/// <summary>What a step makes of the stage (stage.ts), and which stored stage may be rewritten to which (issue #32 fix 10).</summary>
public sealed class StageMovesTests
{
    [Fact]
    public void Walks_the_happy_path_from_received_to_closed()
    {
        var stage = StageMoves.After(Stage.Received, StageStep.Acknowledged);
        var seen = new List<Stage> { stage };
        foreach (var step in new[] { StageStep.Classified, StageStep.Resolving, StageStep.GuideSent, StageStep.Resolved, StageStep.ReopenWindowPassed })
        {
            stage = StageMoves.After(stage, step);
            seen.Add(stage);
        }
        Assert.Equal(
            [Stage.Received, Stage.Classified, Stage.Resolving, Stage.AwaitingConfirmation, Stage.Resolved, Stage.Closed],
            seen);
    }

    [Fact]
    public void Silence_under_the_close_policy_closes_at_once_and_a_reopen_escalates()
    {
        Assert.Equal(Stage.Closed, StageMoves.After(Stage.AwaitingConfirmation, StageStep.ClosedUnconfirmed));
        Assert.Equal(Stage.Escalated, StageMoves.After(Stage.Closed, StageStep.Reopened));
        Assert.Equal(Stage.Escalated, StageMoves.After(Stage.Resolved, StageStep.Escalated));
    }

    [Fact]
    public void The_reopen_window_closes_only_a_resolved_ticket()
    {
        foreach (var stage in Enum.GetValues<Stage>())
            Assert.Equal(stage == Stage.Resolved ? Stage.Closed : stage, StageMoves.After(stage, StageStep.ReopenWindowPassed));
    }

    /// <summary>
    /// Every (from, to) pair, written out: rows are the stored stage, columns the stage to write, in
    /// the order received, classified, resolving, awaiting_confirmation, escalated, resolved, closed.
    /// </summary>
    private static readonly Stage[] Order =
        [Stage.Received, Stage.Classified, Stage.Resolving, Stage.AwaitingConfirmation, Stage.Escalated, Stage.Resolved, Stage.Closed];

    private static readonly string[] Allowed =
    [
        // rec cla res awa esc rsd clo
        "  y   y   y   y   y   y   y", // received: anything forward (a duplicate acknowledgement stays)
        "  n   y   y   y   y   y   y", // classified
        "  n   n   y   y   y   y   y", // resolving
        "  n   n   n   y   y   y   y", // awaiting_confirmation: not back to resolving (a stale playbook write)
        "  n   n   n   n   y   y   y", // escalated: not back to classified (the late duplicate of the issue)
        "  n   n   n   n   y   y   y", // resolved: a reopen escalates; not back to resolving
        "  n   n   n   n   y   n   y", // closed: only a reopen
    ];

    public static TheoryData<Stage, Stage, bool> EveryPair()
    {
        var data = new TheoryData<Stage, Stage, bool>();
        for (var i = 0; i < Order.Length; i++)
        {
            var row = Allowed[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (var j = 0; j < Order.Length; j++) data.Add(Order[i], Order[j], row[j] == "y");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void Only_the_lifecycles_moves_are_allowed(Stage from, Stage to, bool allowed) =>
        Assert.Equal(allowed, StageMoves.Allowed(from, to));

    [Fact]
    public void The_table_covers_every_stage()
    {
        Assert.Equal(Enum.GetValues<Stage>().Order(), Order.Order());
        Assert.Equal(49, EveryPair().Count);
    }

    [Fact]
    public void Every_move_the_workflow_makes_is_allowed()
    {
        // The paths of the TypeScript workflow: automation, the guide's answer, escalation, the engineer's
        // fix, the close and the reopen. Each step from the stage it happens at must be writable.
        (Stage From, StageStep Step)[] moves =
        [
            (Stage.Received, StageStep.Acknowledged), (Stage.Received, StageStep.Classified),
            (Stage.Classified, StageStep.Resolving), (Stage.Classified, StageStep.Escalated),
            (Stage.Resolving, StageStep.GuideSent), (Stage.Resolving, StageStep.Escalated),
            (Stage.AwaitingConfirmation, StageStep.GuideSent), (Stage.AwaitingConfirmation, StageStep.Resolved),
            (Stage.AwaitingConfirmation, StageStep.ClosedUnconfirmed), (Stage.AwaitingConfirmation, StageStep.Escalated),
            (Stage.Escalated, StageStep.Resolved), (Stage.Escalated, StageStep.Escalated),
            (Stage.Resolved, StageStep.ReopenWindowPassed), (Stage.Resolved, StageStep.Reopened),
            (Stage.Closed, StageStep.Reopened), (Stage.Closed, StageStep.ReopenWindowPassed),
        ];
        foreach (var (from, step) in moves)
            Assert.True(StageMoves.Allowed(from, StageMoves.After(from, step)), $"{from} after {step}");
    }

    [Fact]
    public void A_late_duplicate_of_an_earlier_step_is_refused()
    {
        Assert.False(StageMoves.Allowed(Stage.Escalated, StageMoves.After(Stage.Escalated, StageStep.Classified)));
        Assert.False(StageMoves.Allowed(Stage.Classified, StageMoves.After(Stage.Classified, StageStep.Acknowledged)));
        Assert.False(StageMoves.Allowed(Stage.Resolved, StageMoves.After(Stage.Resolved, StageStep.Resolving)));
    }
}
