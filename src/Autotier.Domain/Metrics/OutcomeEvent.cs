using Autotier.Domain.Alerts;

namespace Autotier.Domain.Metrics;

/// <summary>The kinds of <see cref="OutcomeEvent"/>, strings on the wire as the TypeScript app writes them.</summary>
public static class OutcomeKinds
{
    public const string Received = "received";
    public const string Acknowledged = "acknowledged";
    public const string Classified = "classified";
    public const string Playbook = "playbook";

    /// <summary>A message that answers the request: automation's guide, or a person's public reply or fix.</summary>
    public const string Responded = "responded";
    public const string Answered = "answered";
    public const string Plan = "plan";
    public const string Resolved = "resolved";
    public const string Escalated = "escalated";
    public const string HandedUp = "handed_up";
    public const string SlaWarning = "sla_warning";
    public const string SlaBreach = "sla_breach";
    public const string Reopened = "reopened";

    /// <summary>The reopen window passed after a resolution: the outcome is final.</summary>
    public const string Closed = "closed";
    public const string Rated = "rated";
}

/// <summary>
/// One step of a ticket's life that matters for its outcome (TypeScript <c>OutcomeEvent</c>: the
/// envelope and one fact, the fact's fields flat as there; only those of its kind are set). Recorded
/// once per (ticket, step): a retried activity records the same step, which is one event.
/// </summary>
/// <param name="ReceivedAt">When the ticket was received: tickets are counted, and their summaries kept, in this order.</param>
/// <param name="Step">Unique per ticket.</param>
/// <param name="At">When it happened: the orchestration's time (or the app clock for a click), never a guess.</param>
public sealed record OutcomeEvent(string ClientId, string TicketId, DateTimeOffset ReceivedAt, string Step, DateTimeOffset At, string Kind)
{
    /// <summary>The SLA's response deadline, from steps that know it.</summary>
    public DateTimeOffset? ResponseDue { get; init; }

    /// <summary><c>received</c>: the channel the ticket came in on.</summary>
    public string? Channel { get; init; }

    /// <summary><c>classified</c>.</summary>
    public string? Category { get; init; }

    /// <summary><c>classified</c>.</summary>
    public string? Priority { get; init; }

    /// <summary><c>classified</c>: auto or escalate.</summary>
    public string? Route { get; init; }

    /// <summary><c>classified</c>, <c>plan</c>, <c>escalated</c>, <c>handed_up</c>.</summary>
    public int? Tier { get; init; }

    /// <summary><c>playbook</c>: guide_sent or stopped.</summary>
    public string? Result { get; init; }

    /// <summary><c>playbook</c>: the knowledge-base article sent.</summary>
    public string? ArticleId { get; init; }

    /// <summary><c>playbook</c> (why it stopped), <c>escalated</c> (why).</summary>
    public string? Reason { get; init; }

    /// <summary><c>responded</c>: automation or person; <c>resolved</c>: requester, engineer or silence.</summary>
    public string? By { get; init; }

    /// <summary><c>responded</c>: guide, plan or resolution.</summary>
    public string? Via { get; init; }

    /// <summary><c>answered</c>: yes, no, unclear or silence.</summary>
    public string? Answer { get; init; }

    /// <summary><c>resolved</c>, <c>escalated</c>: how many times the ticket had been reopened when it happened.</summary>
    public int? Cycle { get; init; }

    /// <summary><c>reopened</c>: the reopen's number.</summary>
    public int? Reopens { get; init; }

    /// <summary><c>rated</c>: 1 to 5.</summary>
    public int? Score { get; init; }

    /// <summary><c>rated</c>: the requester's comment, secrets masked.</summary>
    public string? Comment { get; init; }
}

/// <summary>An alert or page that reached a person (through their tier's or the on-call's channels).</summary>
/// <param name="Key">The notification's key: unique per ticket and occasion.</param>
/// <param name="Kind">The notification kind (<c>escalation</c>, <c>tier_handoff</c>, <c>p1_page</c>...).</param>
public sealed record Interruption(string ClientId, string TicketId, string Key, DateTimeOffset At, string Kind, int Tier)
{
    /// <summary>oncall or manager; null for the tier's own channel.</summary>
    public string? Audience { get; init; }

    /// <summary>
    /// Notifications that interrupt an engineer about a ticket (TypeScript INTERRUPTION_KINDS, with the
    /// C# app's re-page, breach reminder and P1 re-page kinds). Operator alerts (poison queues, stuck
    /// workflows) are about autotier itself and are counted by the ops view, not here.
    /// </summary>
    public static IReadOnlySet<string> Kinds { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        AlertKinds.Escalation, AlertKinds.TierHandoff, AlertKinds.TierLimitPassed, AlertKinds.SlaWarning, AlertKinds.SlaBreach,
        AlertKinds.RequesterReply, AlertKinds.Reopened, AlertKinds.MailUndelivered, AlertKinds.P1Page, AlertKinds.P1Repage,
        AlertKinds.SlaBreachReminder,
    };
}

/// <summary>A requester who found the answer on the portal and filed nothing: counted apart from tickets.</summary>
/// <param name="Key">Unique per occasion (a portal visit and article), so a retry counts once.</param>
public sealed record SelfServiceDeflection(string ClientId, string Key, DateTimeOffset At, string? ArticleId = null);
