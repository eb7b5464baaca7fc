namespace Autotier.Domain.Assistant;

/// <summary>The four things the optional language-model assistant is asked for.</summary>
public enum AssistantUse
{
    /// <summary>A second opinion on the category of a ticket the classifier is unsure of.</summary>
    Triage,

    /// <summary>A summary and first steps for the engineer who takes an escalated ticket.</summary>
    Briefing,

    /// <summary>What a reply the language rules could not read means.</summary>
    Reply,

    /// <summary>A knowledge-base article drafted from tickets engineers resolved.</summary>
    KbDraft,
}

public static class AssistantUses
{
    /// <summary>The use's name in usage rows, logs and metrics, as the TypeScript app writes it.</summary>
    public static string WireName(this AssistantUse use) => use switch
    {
        AssistantUse.Triage => "triage",
        AssistantUse.Briefing => "briefing",
        AssistantUse.Reply => "reply",
        AssistantUse.KbDraft => "kb_draft",
        _ => throw new ArgumentOutOfRangeException(nameof(use)),
    };

    /// <summary>Upper bound of each answer's tokens: the answers are small JSON objects, so small limits.</summary>
    public static int MaxAnswerTokens(this AssistantUse use) => use switch
    {
        AssistantUse.Triage => 150,
        AssistantUse.Briefing => 600,
        AssistantUse.Reply => 20,
        AssistantUse.KbDraft => 800,
        _ => throw new ArgumentOutOfRangeException(nameof(use)),
    };

    /// <summary>The UTC day a use is charged to (YYYY-MM-DD): budgets are per client and UTC day.</summary>
    public static string DayOf(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
