namespace Autotier.Domain.Alerts;

/// <summary>The kinds of alert and how a card names them (TypeScript <c>NotificationKind</c>, <c>kindLabel</c>).</summary>
public static class AlertKinds
{
    public const string Escalation = "escalation";
    public const string TierHandoff = "tier_handoff";
    public const string TierLimitPassed = "tier_limit_passed";
    public const string SlaWarning = "sla_warning";
    public const string SlaBreach = "sla_breach";
    public const string RequesterReply = "requester_reply";
    public const string Reopened = "reopened";
    public const string IntakePoison = "intake_poison";
    public const string WorkflowProblem = "workflow_problem";
    public const string MailUndelivered = "mail_undelivered";
    public const string AlertPoison = "alert_poison";
    public const string P1Page = "p1_page";
    public const string SlaBreachReminder = "sla_breach_reminder";

    /// <summary>A P1 page repeated because nobody has recorded a plan: it may wait in a digest; the first page never does.</summary>
    public const string P1Repage = "p1_repage";

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        [Escalation] = "Escalated",
        [TierHandoff] = "Handed up a tier",
        [TierLimitPassed] = "Tier time limit passed",
        [SlaWarning] = "SLA warning",
        [SlaBreach] = "SLA breached",
        [RequesterReply] = "Requester replied",
        [Reopened] = "Reopened",
        [IntakePoison] = "Intake deliveries failing",
        [AlertPoison] = "Alerts not delivered",
        [WorkflowProblem] = "Workflow problem",
        [MailUndelivered] = "Mail undelivered",
        [P1Page] = "P1 page",
        [SlaBreachReminder] = "Still breached",
        [P1Repage] = "P1 page again",
    };

    /// <summary>Shown in red on a card.</summary>
    public static bool IsUrgent(string kind) =>
        kind is P1Page or P1Repage or SlaBreach or SlaBreachReminder or TierLimitPassed or WorkflowProblem or AlertPoison;

    public static string Label(string kind) =>
        Labels.TryGetValue(kind, out var label) ? label : kind.Replace('_', ' ');
}
