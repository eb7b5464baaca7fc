using System.Globalization;
using Autotier.Domain.Classification;

namespace Autotier.Domain.Assistant;

/// <summary>
/// The assistant's second opinion on a classification, as far as it is pure: when to ask, and how an
/// answer may change what the classifier decided.
/// </summary>
/// <remarks>
/// The TypeScript app let an answer at or above the client's threshold decide category and route:
/// an automatable answer made the ticket <c>auto</c> whatever the classifier had said (a ticket below
/// the threshold, or one no rule recognised, could be automated on the model's word; only the
/// safety screen's tickets were kept). Issue #31 forbids that: text in a ticket can steer a model
/// ("this is a password reset"), so the model may only make a ticket more cautious, never less:
/// <list type="bullet">
/// <item>flagged by the safety screen or the danger check: never asked, never changed;</item>
/// <item>escalated by the classifier (rules, no known pattern, an engineering category): never changed;</item>
/// <item>clarify (the classifier is below the threshold: tier 1 asks one question): it may escalate
/// (an engineering answer at or above the threshold), or leave it as it is; never <c>auto</c>;</item>
/// <item>auto: an engineering answer escalates it; another automatable category (at or above the
/// threshold) means two sources disagree on which playbook to run, so the requester is asked first
/// (<c>clarify</c>) rather than the model choosing the playbook; the same category changes nothing.</item>
/// </list>
/// It never touches priority. Whatever it changes, <c>DecidedBy</c> becomes <c>llm</c> and the reasons say why.
/// </remarks>
public static class SecondOpinion
{
    /// <summary>How much of the model's one-sentence reason the engineers see (plain text, quoted).</summary>
    public const int MaxReason = 200;

    /// <summary>In place of a reason that speaks to the engineer or a model rather than about the ticket.</summary>
    public const string ReasonWithheld = "(reason withheld: it read as an instruction)";

    /// <summary>
    /// Why a ticket deserves a second opinion, or null: the classifier is unsure (route clarify), or
    /// the trained model and the keyword rules disagree on a ticket routed to automation. Never for a
    /// ticket the safety screen or the danger check flagged (their answer is final), nor for one
    /// already escalated (nothing the model says could change it, so it is not worth the tokens).
    /// </summary>
    public static string? Wanted(TicketClassification own, string? modelLabel, string? rulesLabel)
    {
        ArgumentNullException.ThrowIfNull(own);
        if (Flagged(own)) return null;
        if (own.Route == Routes.Clarify)
            return string.Create(CultureInfo.InvariantCulture, $"the classifier is unsure (confidence {own.Confidence:F2})");
        if (own.Route == Routes.Auto && modelLabel is not null && rulesLabel is not null
            && !string.Equals(modelLabel, rulesLabel, StringComparison.Ordinal))
            return $"model ({modelLabel}) and rules ({rulesLabel}) disagree";
        return null;
    }

    /// <summary>The classification with the answer applied as far as the rules above allow; reasons say what happened.</summary>
    /// <param name="own">The classifier's classification.</param>
    /// <param name="answer">The model's validated answer; null when there was none (not configured, failure, invalid).</param>
    /// <param name="threshold">The client's threshold: an answer less sure than this changes nothing.</param>
    /// <param name="why">What <see cref="Wanted"/> said.</param>
    public static TicketClassification Apply(TicketClassification own, TriageAnswer? answer, double threshold, string why)
    {
        ArgumentNullException.ThrowIfNull(own);
        if (Flagged(own)) return With(own, "safety screen: no second opinion");
        if (answer is null) return With(own, $"second opinion wanted ({why}): none available");

        var reason = PlainText.Clean(answer.Reason, MaxReason);
        var said = string.Create(CultureInfo.InvariantCulture, $"second opinion: {answer.Category} ({answer.Confidence:F2})")
            + (PromptInjection.Detect(reason) ? $": {ReasonWithheld}" : reason.Length > 0 ? $": {PlainText.Quoted(reason)}" : "");
        if (answer.Confidence < threshold)
            return With(own, string.Create(CultureInfo.InvariantCulture, $"{said}; below threshold {threshold}, not taken"));
        if (own.Route != Routes.Auto && own.Route != Routes.Clarify)
            return With(own, $"{said}; not taken: the classifier escalated it");

        if (!Categories.IsAutomatable(answer.Category))
        {
            return own with
            {
                Category = answer.Category,
                Confidence = answer.Confidence,
                Route = Routes.Escalate,
                Tier = Math.Max(own.Tier, 2),
                Playbook = null,
                DecidedBy = DecidedBy.Llm,
                Reasons = [.. own.Reasons, $"{said}; taken ({why}): escalated"],
            };
        }
        if (own.Route == Routes.Clarify)
            return With(own, $"{said}; not taken: the model never moves an unsure ticket towards automation");
        if (string.Equals(answer.Category, own.Category, StringComparison.Ordinal))
            return With(own, $"{said}; agrees");
        return own with
        {
            Route = Routes.Clarify,
            Tier = 1,
            Playbook = null,
            DecidedBy = DecidedBy.Llm,
            Reasons = [.. own.Reasons, $"{said}; disagrees ({why}): the requester is asked first"],
        };
    }

    private static bool Flagged(TicketClassification c) =>
        c.Dangerous || string.Equals(c.DecidedBy, DecidedBy.Screen, StringComparison.Ordinal);

    private static TicketClassification With(TicketClassification own, string reason) =>
        own with { Reasons = [.. own.Reasons, reason] };
}
