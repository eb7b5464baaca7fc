namespace Autotier.Domain.Metrics;

public sealed record SteppedEscalation(string Step, DateTimeOffset At, int Tier, string Reason, int Cycle);

public sealed record SteppedHandoff(string Step, DateTimeOffset At, int Tier);

public sealed record SteppedResolution(string Step, DateTimeOffset At, string By, int Cycle);

public sealed record SteppedReopen(string Step, DateTimeOffset At, int N);

public sealed record AnswerAt(string Answer, DateTimeOffset At);

public sealed record Rating(int Score, DateTimeOffset At, string? Comment = null);

/// <summary>
/// Everything the metrics need about one ticket, kept up to date as its outcome events arrive
/// (TypeScript <c>TicketOutcomes</c>, same field names): storage keeps one small row per ticket, so a
/// metrics query reads one row per ticket and never replays a ticket's history.
/// </summary>
public sealed record TicketOutcomes(string TicketId, string ClientId, DateTimeOffset ReceivedAt)
{
    /// <summary>A ticket row stays small whatever happens to the ticket.</summary>
    public const int MaxEntries = 50;
    public const int MaxReason = 300;
    public const int MaxRatingComment = 2000;

    public string? Channel { get; init; }
    public string? Category { get; init; }
    public string? Priority { get; init; }
    public string? Route { get; init; }
    public DateTimeOffset? AcknowledgedAt { get; init; }
    public DateTimeOffset? ResponseDue { get; init; }
    public DateTimeOffset? FirstResponseAt { get; init; }
    public string? FirstResponseBy { get; init; }
    public string? GuideArticleId { get; init; }
    public string? PlaybookStopped { get; init; }
    public AnswerAt? Answer { get; init; }
    public DateTimeOffset? FirstPlanAt { get; init; }
    public IReadOnlyList<SteppedEscalation> Escalations { get; init; } = [];
    public IReadOnlyList<SteppedHandoff> Handoffs { get; init; } = [];
    public IReadOnlyList<SteppedResolution> Resolutions { get; init; } = [];
    public IReadOnlyList<SteppedReopen> Reopens { get; init; } = [];
    public DateTimeOffset? ClosedAt { get; init; }
    public DateTimeOffset? SlaWarnedAt { get; init; }
    public DateTimeOffset? SlaBreachedAt { get; init; }
    public Rating? Rating { get; init; }

    /// <summary>
    /// Folds one outcome event into a ticket's summary (null: none yet). Applying the same event again
    /// changes nothing, and the order of events does not matter (earliest and latest are kept by
    /// time), so a retried activity or a rating that races the workflow cannot skew a figure.
    /// </summary>
    public static TicketOutcomes Apply(TicketOutcomes? summary, OutcomeEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var s = summary ?? new TicketOutcomes(e.TicketId, e.ClientId, e.ReceivedAt);
        if (e.ResponseDue is { } due && s.ResponseDue is null) s = s with { ResponseDue = due };
        var at = e.At;
        return e.Kind switch
        {
            OutcomeKinds.Received => s with { Channel = e.Channel },
            OutcomeKinds.Acknowledged => s with { AcknowledgedAt = Earliest(s.AcknowledgedAt, at) },
            OutcomeKinds.Classified => s with { Category = e.Category, Priority = e.Priority, Route = e.Route },
            OutcomeKinds.Playbook when e.Result == "guide_sent" && e.ArticleId is not null => s with { GuideArticleId = s.GuideArticleId ?? e.ArticleId },
            OutcomeKinds.Playbook when e.Result == "stopped" => s with { PlaybookStopped = s.PlaybookStopped ?? Cut(e.Reason ?? "", MaxReason) },
            OutcomeKinds.Responded when s.FirstResponseAt is null || at < s.FirstResponseAt => s with { FirstResponseAt = at, FirstResponseBy = e.By },
            OutcomeKinds.Answered when s.Answer is null || at < s.Answer.At => s with { Answer = new AnswerAt(e.Answer ?? "", at) },
            OutcomeKinds.Plan => s with { FirstPlanAt = Earliest(s.FirstPlanAt, at) },
            OutcomeKinds.Resolved => s with { Resolutions = WithStep(s.Resolutions, new SteppedResolution(e.Step, at, e.By ?? "", e.Cycle ?? 0), r => r.Step, r => r.At) },
            OutcomeKinds.Escalated => s with { Escalations = WithStep(s.Escalations, new SteppedEscalation(e.Step, at, e.Tier ?? 1, Cut(e.Reason ?? "", MaxReason), e.Cycle ?? 0), r => r.Step, r => r.At) },
            OutcomeKinds.HandedUp => s with { Handoffs = WithStep(s.Handoffs, new SteppedHandoff(e.Step, at, e.Tier ?? 1), r => r.Step, r => r.At) },
            OutcomeKinds.SlaWarning => s with { SlaWarnedAt = Earliest(s.SlaWarnedAt, at) },
            OutcomeKinds.SlaBreach => s with { SlaBreachedAt = Earliest(s.SlaBreachedAt, at) },
            OutcomeKinds.Reopened => s with { Reopens = WithStep(s.Reopens, new SteppedReopen(e.Step, at, e.Reopens ?? 1), r => r.Step, r => r.At) },
            OutcomeKinds.Closed => s with { ClosedAt = s.ClosedAt is { } closed && closed >= at ? closed : at },
            OutcomeKinds.Rated when e.Score is { } score && (s.Rating is null || at >= s.Rating.At) =>
                s with { Rating = new Rating(score, at, e.Comment is { Length: > 0 } c ? Cut(c, MaxRatingComment) : null) },
            _ => s,
        };
    }

    private static DateTimeOffset Earliest(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x <= b ? x : b;

    private static string Cut(string text, int max) => text.Length > max ? text[..max] : text;

    /// <summary>Replaces the entry of the same step (a retry), keeps time order, and stays bounded.</summary>
    private static IReadOnlyList<T> WithStep<T>(IReadOnlyList<T> entries, T entry, Func<T, string> step, Func<T, DateTimeOffset> at) =>
        [.. entries.Where(e => step(e) != step(entry)).Append(entry)
            .OrderBy(at).ThenBy(step, StringComparer.Ordinal)
            .TakeLast(MaxEntries)];
}
