namespace Autotier.Domain.Assistant;

/// <summary>How many follow-up tickets replies have already filed, as the ticket store counts them.</summary>
/// <param name="FromThisTicket">Follow-ups filed from replies on this ticket.</param>
/// <param name="ThisTicketIsAFollowUp">This ticket was itself filed from a reply (it has <c>followUpOf</c>).</param>
/// <param name="ForSenderToday">Follow-ups filed for the reply's sender on this UTC day, over all their tickets.</param>
public sealed record FollowUpCounts(int FromThisTicket, bool ThisTicketIsAFollowUp, int ForSenderToday);

/// <summary>What a reply means to the workflow, and whether a new ticket is filed from it.</summary>
/// <param name="Answer">Yes, No, Unclear, or NewIssue (only when <paramref name="FileFollowUp"/>).</param>
/// <param name="FileFollowUp">File a new ticket (followUpOf this one) from the reply.</param>
/// <param name="Note">For the ticket's timeline, null when there is nothing to say.</param>
public sealed record ReplyReading(ReplyAnswer Answer, bool FileFollowUp, string? Note)
{
    public static ReplyReading Unread { get; } = new(ReplyAnswer.Unclear, false, null);
}

/// <summary>
/// Bounds what replies read by the model can file. In the TypeScript app each reply the model read as
/// a new issue filed a ticket, and the filed ticket's own replies could file more: an auto-responder,
/// a mail loop or someone replying on purpose could make tickets (and acknowledgement mails, and
/// replies to those) without end. Now:
/// <list type="bullet">
/// <item>an unclear reply, or no answer, never files anything;</item>
/// <item>a ticket filed from a reply never files another (depth one: a loop between two tickets ends at once);</item>
/// <item>at most <see cref="MaxPerTicket"/> follow-ups per ticket: one reply reporting something new is
/// common, a second happens, a third on the same ticket is more likely a loop or a chat than new problems;</item>
/// <item>at most <see cref="MaxPerSenderPerDay"/> per sender and UTC day over all their tickets: more
/// genuinely new problems than that in one day from one person are rare, and they can still file
/// tickets the ordinary way (mail, portal), which has its own checks.</item>
/// </list>
/// Past a bound the reply is treated as unclear (the clarifying question, as without the assistant),
/// and the timeline says a new issue was reported and not filed, so an engineer can look.
/// </summary>
public static class FollowUpPolicy
{
    public const int MaxPerTicket = 2;
    public const int MaxPerSenderPerDay = 3;

    public static ReplyReading Decide(ReplyAnswer? answer, FollowUpCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (answer is null) return ReplyReading.Unread;
        if (answer != ReplyAnswer.NewIssue)
            return new ReplyReading(answer.Value, false, $"The language model read the reply as: {Wire(answer.Value)}");
        var bound =
            counts.ThisTicketIsAFollowUp ? "this ticket was itself filed from a reply"
            : counts.FromThisTicket >= MaxPerTicket ? $"this ticket already filed {MaxPerTicket} from replies"
            : counts.ForSenderToday >= MaxPerSenderPerDay ? $"{MaxPerSenderPerDay} were filed for this sender today"
            : null;
        return bound is null
            ? new ReplyReading(ReplyAnswer.NewIssue, true, "The language model read the reply as a new issue: it is filed as a ticket of its own")
            : new ReplyReading(ReplyAnswer.Unclear, false, $"The language model read the reply as a new issue; no ticket was filed ({bound}): an engineer should look");
    }

    public static string Wire(ReplyAnswer answer) => answer switch
    {
        ReplyAnswer.Yes => "yes",
        ReplyAnswer.No => "no",
        ReplyAnswer.Unclear => "unclear",
        ReplyAnswer.NewIssue => "new_issue",
        _ => throw new ArgumentOutOfRangeException(nameof(answer)),
    };
}
