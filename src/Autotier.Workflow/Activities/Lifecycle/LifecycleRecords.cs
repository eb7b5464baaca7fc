using System.Text.Json.Serialization;
using Autotier.Domain.Classification;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Tickets;

namespace Autotier.Workflow.Activities.Lifecycle;

/// <summary>
/// What the workflow needs of the ticket and its client, read once when the lifecycle starts: the
/// classification the intake made, the client's hours and lifecycle settings. Part of the Durable
/// history, so an instance replays with the settings it began with.
/// </summary>
public sealed record TicketSetup(
    string ClientId,
    string SlaTier,
    BusinessHours Hours,
    LifecycleSettings Lifecycle,
    P1Settings P1,
    TicketClassification Classification,
    bool Assistant);

public sealed record SetupInput(string TicketId, DateTimeOffset At);

/// <summary>The mails the workflow sends requesters after the acknowledgement.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<UpdateKind>))]
public enum UpdateKind
{
    Reminder,
    Clarify,
    ClarifyUncertain,
    Resolved,
    ResolvedByEngineer,
    Escalated,
    HandedUp,
    Plan,
    ClosedUnconfirmed,
    Reopened,
    ProofRequest,
}

/// <param name="Text">Requester-facing text only: a guide's title, a public note, why automation handed over.</param>
public sealed record UpdateInput(string TicketId, DateTimeOffset At, UpdateKind Kind, string Step)
{
    public string? Text { get; init; }

    public SlaView? Sla { get; init; }

    public Stage? Stage { get; init; }
}

/// <summary>Outcomes of <c>updateTicket</c> steps that the metrics count.</summary>
public static class StepOutcomes
{
    public const string Plan = "plan";
    public const string HandedUp = "handed_up";
    public const string SlaWarning = "sla_warning";
    public const string SlaBreach = "sla_breach";
    public const string Reopened = "reopened";
    public const string Closed = "closed";
    public const string BreachReminder = "breach_reminder";
}

/// <summary>A step on the ticket: absolute values and a timeline note, in one write.</summary>
public sealed record TicketUpdate(string TicketId, DateTimeOffset At, string Step, string Note)
{
    public Stage? Stage { get; init; }

    public int? Tier { get; init; }

    public SlaView? Sla { get; init; }

    public int? Reopens { get; init; }

    /// <summary>The workflow's reopen count when it took the step (a reopen step carries the new count in <see cref="Reopens"/>).</summary>
    public int Cycle { get; init; }

    public string? Outcome { get; init; }

    /// <summary>The engineer whose plan this is: the ticket's owner from now on.</summary>
    public string? Owner { get; init; }

    /// <summary>A person answered the requester (a public note): the response SLA is met.</summary>
    public bool Responded { get; init; }

    /// <summary>Also written to the PSA as an internal note (an engineer's plan made outside the PSA).</summary>
    public string? PsaNote { get; init; }
}

/// <param name="Audience">null for the tier's own audience, <c>oncall</c> for whoever is on call, <c>manager</c> for the duty manager.</param>
public sealed record AlertInput(string TicketId, DateTimeOffset At, string Key, string Kind, int Tier, string Message, string? Audience = null);

/// <summary>Who resolved it and how, for the resolution log, the timeline and the ticket.</summary>
public sealed record OutcomeInput(string TicketId, DateTimeOffset At, string Step, string Outcome, string Summary)
{
    /// <summary>The workflow's reopen count when it took the step: a late duplicate from an earlier cycle writes nothing.</summary>
    public int Cycle { get; init; }

    public string? Note { get; init; }

    public string? Engineer { get; init; }

    public SlaView? Sla { get; init; }

    /// <summary>An engineer resolved it in the PSA: nothing is written back there (their status stands).</summary>
    public bool InPsa { get; init; }
}

public sealed record EscalateInput(string TicketId, DateTimeOffset At, string Step, int Tier, string Reason, string Answer, SlaView Sla)
{
    /// <summary>The workflow's reopen count when it took the step.</summary>
    public int Cycle { get; init; }

    /// <summary>P1 and security: the alert pages whoever is on call instead of the tier channel.</summary>
    public bool OnCall { get; init; }

    /// <summary>The ticket follows an incident whose lead already told the engineers: no alert of its own.</summary>
    public bool Quiet { get; init; }
}

public sealed record ReplyInput(string TicketId, DateTimeOffset At, string Step, string From, string Text, string Meaning, int Tier, bool Notify);

public sealed record PlaybookInput(string TicketId, DateTimeOffset At, int Attempt, SlaView Sla, bool Proven)
{
    /// <summary>The workflow's reopen count when it took the step.</summary>
    public int Cycle { get; init; }

    /// <summary>A device the requester named ("this is about my mouse"): the playbook picks that device's guide.</summary>
    public string? Device { get; init; }
}

/// <summary>What the playbook did: a guide went out, it stopped (a person takes over), or it needs proof the requester owns the address.</summary>
public sealed record PlaybookResult(bool Ran, string? ArticleId, string? Title, string? Reason, string? Told, bool NeedsProof = false);

/// <summary>An uncertain ticket's answer to its one clarifying question, classified again with it.</summary>
public sealed record ClarifiedInput(string TicketId, DateTimeOffset At, string Step, string Reply);
