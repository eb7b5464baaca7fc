using System.Text.Json.Serialization;
using Autotier.Domain.Tickets;

namespace Autotier.Domain.Lifecycle;

/// <summary>The steps of a ticket's life that move its stage (wire names as the TypeScript <c>StageStep</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StageStep>))]
public enum StageStep
{
    [JsonStringEnumMemberName("acknowledged")] Acknowledged,
    [JsonStringEnumMemberName("classified")] Classified,
    [JsonStringEnumMemberName("resolving")] Resolving,
    [JsonStringEnumMemberName("guide_sent")] GuideSent,
    [JsonStringEnumMemberName("resolved")] Resolved,
    [JsonStringEnumMemberName("closed_unconfirmed")] ClosedUnconfirmed,
    [JsonStringEnumMemberName("escalated")] Escalated,
    [JsonStringEnumMemberName("reopened")] Reopened,
    [JsonStringEnumMemberName("reopen_window_passed")] ReopenWindowPassed,
}

/// <summary>
/// The one owner of a ticket's stage: the workflow asks it what the stage becomes after a step, and
/// the activities persist the same answer, so the status page and the workflow never disagree.
/// </summary>
public static class StageMoves
{
    /// <summary>The stage after <paramref name="step"/> (TS <c>stageAfter</c>).</summary>
    public static Stage After(Stage current, StageStep step) => step switch
    {
        StageStep.Acknowledged => Stage.Received,
        StageStep.Classified => Stage.Classified,
        StageStep.Resolving => Stage.Resolving,
        StageStep.GuideSent => Stage.AwaitingConfirmation,
        StageStep.Resolved => Stage.Resolved,
        StageStep.ClosedUnconfirmed => Stage.Closed,
        StageStep.Escalated or StageStep.Reopened => Stage.Escalated,
        // Only a resolved ticket closes quietly; anything else keeps the stage it ended in.
        StageStep.ReopenWindowPassed => current == Stage.Resolved ? Stage.Closed : current,
        _ => throw new ArgumentOutOfRangeException(nameof(step), step, "not a stage step"),
    };

    /// <summary>
    /// Whether a stored ticket at <paramref name="from"/> may be written at <paramref name="to"/>
    /// (issue #32 fix 10). Activities run at least once, so a late duplicate of an earlier step
    /// must not rewrite a later stage ("escalated" back to "classified"). Allowed: staying put (a
    /// repeated write), any move forward along received, classified, resolving,
    /// awaiting_confirmation, escalated, resolved, closed, and the reopen (resolved or closed to
    /// escalated). A second guide after a wrong-guide answer is written as guide_sent again
    /// (awaiting_confirmation to itself), not through resolving, which would look like a stale write.
    /// </summary>
    public static bool Allowed(Stage from, Stage to) =>
        from == to
        || Rank(to) > Rank(from)
        || (to == Stage.Escalated && from is Stage.Resolved or Stage.Closed);

    /// <summary>How far along the lifecycle a stage is; the enum's order is the wire list's, not this.</summary>
    private static int Rank(Stage stage) => stage switch
    {
        Stage.Received => 0,
        Stage.Classified => 1,
        Stage.Resolving => 2,
        Stage.AwaitingConfirmation => 3,
        Stage.Escalated => 4,
        Stage.Resolved => 5,
        Stage.Closed => 6,
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "not a stage"),
    };
}
