using Autotier.Domain.Tickets;

namespace Autotier.Domain.Portal;

/// <summary>A line of the requester's view of a ticket's history.</summary>
public sealed record PublicTimelineEntry(DateTimeOffset At, string Text);

/// <summary>What the requester reads on the status page (TypeScript src/domain/portal.ts, word for word).</summary>
public static class PortalWords
{
    /// <summary>What the requester sees of each stage: the same words the mails use, never an internal note.</summary>
    public static string Stage(Stage stage) => stage switch
    {
        Tickets.Stage.Received => "We received your request",
        Tickets.Stage.Classified => "We looked at your request",
        Tickets.Stage.Resolving => "We are working on a fix",
        Tickets.Stage.AwaitingConfirmation => "We sent you steps to try and are waiting to hear if they worked",
        Tickets.Stage.Resolved => "Resolved",
        Tickets.Stage.Escalated => "An engineer has your request",
        Tickets.Stage.Closed => "Closed",
        _ => throw new ArgumentOutOfRangeException(nameof(stage)),
    };

    /// <summary>What happens next, in words, for a stage.</summary>
    public static string WhatNext(Stage stage) => stage switch
    {
        Tickets.Stage.Received or Tickets.Stage.Classified or Tickets.Stage.Resolving =>
            "We're looking at it now. If we can fix it quickly you'll see the steps here in a few minutes.",
        Tickets.Stage.AwaitingConfirmation => "Try the steps below, then tell us whether they worked.",
        Tickets.Stage.Escalated => "One of our engineers will be in touch.",
        _ => "Nothing more to do. If the problem comes back, add a reply below.",
    };

    /// <summary>
    /// The requester's view of a timeline: one line for each change of stage, in the stage's public
    /// words. Notes are for engineers (plan notes, escalation reasons, what a playbook checked) and
    /// never show, nor do entries that do not change the stage.
    /// </summary>
    public static IReadOnlyList<PublicTimelineEntry> PublicTimeline(IEnumerable<TimelineEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var result = new List<PublicTimelineEntry>();
        Stage? last = null;
        foreach (var e in entries.OrderBy(e => e.At))
        {
            if (e.Stage is not { } stage || stage == last) continue;
            last = stage;
            result.Add(new PublicTimelineEntry(e.At, Stage(stage)));
        }
        return result;
    }
}
