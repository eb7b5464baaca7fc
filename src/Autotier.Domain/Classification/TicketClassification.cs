namespace Autotier.Domain.Classification;

/// <summary>How a classified ticket proceeds.</summary>
public static class Routes
{
    /// <summary>A documented playbook runs (tier 1, no engineer).</summary>
    public const string Auto = "auto";

    /// <summary>An engineer takes it (tier 2, or tier 3 for what the safety screen flagged).</summary>
    public const string Escalate = "escalate";

    /// <summary>Nobody is sure what it is: tier 1 asks the requester one clarifying question first.</summary>
    public const string Clarify = "clarify";
}

/// <summary>Which source settled the category (shown to engineers with the reasons).</summary>
public static class DecidedBy
{
    public const string Screen = "screen";
    public const string Rules = "rules";
    public const string Model = "model";
    public const string Llm = "llm";
    public const string Engineer = "engineer";
}

/// <summary>
/// The classifier's answer for one ticket. Field names are the wire names of the TypeScript app's
/// <c>classification</c> (category, priority, confidence, route, tier, reasons) plus what the C# port
/// adds: the peripheral named (so a mouse never gets the printer guide), the playbook to run,
/// whether the safety checks flagged it, and which source decided.
/// </summary>
/// <param name="Category">One of <see cref="Categories.All"/>.</param>
/// <param name="Priority">One of <see cref="Priorities.All"/>.</param>
/// <param name="Confidence">Calibrated: among tickets given 0.8, about eight in ten are right.</param>
/// <param name="Route">One of <see cref="Routes"/>.</param>
/// <param name="Tier">1 automation, 2 engineers, 3 senior engineers (security, outages).</param>
/// <param name="Reasons">The words and rules that decided, for engineers (never sent to requesters).</param>
/// <param name="Device">printer, scanner, mouse, keyboard, monitor, headset, dock or phone, when one is named.</param>
/// <param name="Playbook">The playbook a route of auto runs; null otherwise.</param>
/// <param name="Dangerous">The safety screen or the danger check flagged it: never automated.</param>
/// <param name="DecidedBy">One of <see cref="Classification.DecidedBy"/>.</param>
/// <param name="Held">A safety check kept it from automation whatever the threshold (without calling it dangerous).</param>
/// <param name="Question">With route clarify: the one question to ask the requester, in their language.</param>
/// <param name="Language">en, de, fr, es or nl when the ticket's language could be told.</param>
public sealed record TicketClassification(
    string Category,
    string Priority,
    double Confidence,
    string Route,
    int Tier,
    IReadOnlyList<string> Reasons,
    string? Device = null,
    string? Playbook = null,
    bool Dangerous = false,
    string DecidedBy = Classification.DecidedBy.Rules,
    bool Held = false,
    string? Question = null,
    string? Language = null);
