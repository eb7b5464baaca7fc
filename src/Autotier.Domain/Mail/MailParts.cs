namespace Autotier.Domain.Mail;

/// <summary>The signed single-use links behind "Did this resolve your issue?".</summary>
public sealed record ConfirmLinks(string Yes, string No);

/// <summary>
/// The one-click ratings of a closing mail, from 1 (poor) to 5 (great), in that order (the TS's
/// <c>RatingLinks</c> tuple).
/// </summary>
public sealed record RatingLinks(string Poor, string NotGreat, string Ok, string Good, string Great)
{
    /// <summary>What each score means, in the words the rating page and the mail both use (TS RATING_LABELS).</summary>
    public static IReadOnlyList<string> Labels { get; } = ["Poor", "Not great", "OK", "Good", "Great"];

    /// <summary>The links for scores 1 to 5.</summary>
    public IReadOnlyList<string> InOrder => [Poor, NotGreat, Ok, Good, Great];
}

/// <summary>A guide as a mail shows it: its title, the steps, and an intro when the guide has its own.</summary>
public sealed record GuideText(string Title, IReadOnlyList<string> Steps, string? Intro = null);

/// <summary>A picture shown in a mail's HTML through a <c>cid:</c> link.</summary>
public sealed record InlineImage(string ContentId, string Name, string ContentType, string ContentBase64);

/// <summary>
/// Issue #32, fix 2: what an escalation mail promises. While no person has responded the promise is
/// the response due time (a P1's is 15 minutes away), not the resolution deadline hours later; once
/// someone has, it is the resolution due time.
/// </summary>
/// <param name="ResponseDue">When a person must first respond (SLA response window), if known.</param>
/// <param name="ResolutionDue">When the ticket must be resolved (SLA resolution window), if known.</param>
/// <param name="PersonResponded">An engineer has already responded (a plan or a public note).</param>
/// <param name="TimeZone">The client's IANA time zone, in which the time is written.</param>
public sealed record EscalationPromise(DateTimeOffset? ResponseDue, DateTimeOffset? ResolutionDue, bool PersonResponded, string TimeZone)
{
    /// <summary>No promise: "They will be in touch as soon as they can."</summary>
    public static EscalationPromise None(string timeZone) => new(null, null, false, timeZone);
}
