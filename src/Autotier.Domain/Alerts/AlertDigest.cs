namespace Autotier.Domain.Alerts;

/// <summary>
/// When alerts to one audience come in bursts (95 tickets reaching tier 3 in an evening made 95
/// Teams posts and 95 mails), the rest are gathered into one digest per window.
/// </summary>
/// <param name="BurstSize">This many alerts within <paramref name="Window"/> go out one by one; more are gathered.</param>
/// <param name="Window">How long a digest gathers before it is sent, and the span a burst is counted over.</param>
/// <param name="MaxSinglePerHour">
/// Single posts allowed per audience in any hour: a steady trickle just under the burst rate (one alert
/// every 70 s) would otherwise post ~50 times an hour one by one.
/// </param>
/// <param name="MaxEntries">Alerts a digest lists by name; the rest are counted (a table property holds 64 KiB).</param>
public sealed record DigestPolicy(int BurstSize, TimeSpan Window, int MaxSinglePerHour, int MaxEntries)
{
    public static DigestPolicy Default { get; } = new(5, TimeSpan.FromMinutes(5), 5, 25);

    /// <summary>
    /// Posts one audience's channel can get in any hour: the singles, plus digests, which are at least a
    /// window apart (one more where an hour starts mid-window).
    /// </summary>
    public int MaxPostsPerHour => MaxSinglePerHour + (int)Math.Floor(TimeSpan.FromHours(1) / Window) + 1;
}

/// <summary>A closed digest waiting to be delivered, named by its audience and the time it opened.</summary>
/// <param name="More">Alerts gathered beyond <see cref="DigestPolicy.MaxEntries"/>: counted, not listed.</param>
public sealed record AlertDigestBatch(string Id, DateTimeOffset OpenedAt, DateTimeOffset ClosedAt, IReadOnlyList<AlertFacts> Alerts, int More)
{
    public int Count => Alerts.Count + More;
}

/// <summary>One audience's recent alerts and its open and closed digests; stored as one row.</summary>
public sealed record AlertDigestState
{
    public static AlertDigestState Empty { get; } = new();

    /// <summary>When alerts arrived, within the last window.</summary>
    public IReadOnlyList<DateTimeOffset> Arrivals { get; init; } = [];

    /// <summary>When alerts went out one by one, within the last hour.</summary>
    public IReadOnlyList<DateTimeOffset> Singles { get; init; } = [];

    /// <summary>When the digest now gathering opened; null when none is.</summary>
    public DateTimeOffset? OpenedAt { get; init; }

    public IReadOnlyList<AlertFacts> Pending { get; init; } = [];

    public int PendingMore { get; init; }

    /// <summary>A digest closed but not yet delivered on every channel.</summary>
    public AlertDigestBatch? Sealed { get; init; }
}

/// <summary>What to do with an arriving alert.</summary>
public enum AlertAdmission
{
    /// <summary>Post it on its own.</summary>
    Alone,

    /// <summary>It waits in the audience's digest.</summary>
    Gathered,
}

/// <summary>
/// The digest rule, pure: the queue function and the timer apply it to the stored state under an
/// ETag, so two instances delivering at once see one count.
/// </summary>
public static class AlertDigest
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    /// <summary>
    /// An alert arrives at <paramref name="now"/>. It goes out alone while its audience is quiet (fewer
    /// than <see cref="DigestPolicy.BurstSize"/> alerts within the window, fewer than the hourly singles);
    /// otherwise, and for as long as a digest is open, it is gathered.
    /// </summary>
    public static (AlertDigestState State, AlertAdmission Admission) Admit(AlertDigestState state, AlertFacts alert, DateTimeOffset now, DigestPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(policy);
        // A redelivered message that was already gathered stays gathered once.
        if (state.Pending.Any(a => a.Key == alert.Key && a.TicketId == alert.TicketId)) return (state, AlertAdmission.Gathered);
        var arrivals = state.Arrivals.Where(a => a > now - policy.Window).ToList();
        var singles = state.Singles.Where(s => s > now - Hour).ToList();
        // A P1's first page is never held back in a digest: whoever is on call must hear of it at once.
        // Re-pages (p1_repage) are reminders and count like any other alert, so a night with several
        // unplanned P1s still brings a bounded number of posts an hour.
        var gather = alert.Kind != AlertKinds.P1Page
            && (state.OpenedAt is not null || arrivals.Count >= policy.BurstSize || singles.Count >= policy.MaxSinglePerHour);
        // Only the last BurstSize arrivals matter to the count: the row stays small in a storm.
        arrivals.Add(now);
        arrivals = [.. arrivals.TakeLast(policy.BurstSize)];
        if (!gather)
        {
            singles.Add(now);
            return (state with { Arrivals = arrivals, Singles = singles }, AlertAdmission.Alone);
        }
        var listed = state.Pending.Count < policy.MaxEntries;
        return (state with
        {
            Arrivals = arrivals,
            Singles = singles,
            OpenedAt = state.OpenedAt ?? now,
            Pending = listed ? [.. state.Pending, Compact(alert)] : state.Pending,
            PendingMore = state.PendingMore + (listed ? 0 : 1),
        }, AlertAdmission.Gathered);
    }

    /// <summary>
    /// The digest to deliver now, if any: one already sealed and not yet delivered, or the open one
    /// once its window has passed (sealed here, so every instance delivers the same batch).
    /// </summary>
    public static (AlertDigestState State, AlertDigestBatch? Due) Flush(AlertDigestState state, Audience audience, DateTimeOffset now, DigestPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(policy);
        if (state.Sealed is not null) return (state, state.Sealed);
        if (state.OpenedAt is not { } opened || now < opened + policy.Window) return (state, null);
        var batch = new AlertDigestBatch($"digest.{audience.WireName()}.{opened.UtcTicks}", opened, now, state.Pending, state.PendingMore);
        return (state with { OpenedAt = null, Pending = [], PendingMore = 0, Sealed = batch }, batch);
    }

    /// <summary>The batch went out on every channel; a late duplicate of an older id changes nothing.</summary>
    public static AlertDigestState Delivered(AlertDigestState state, string digestId)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Sealed?.Id == digestId ? state with { Sealed = null } : state;
    }

    /// <summary>When the open digest is due, for a timer that wants to sleep until then.</summary>
    public static DateTimeOffset? DueAt(AlertDigestState state, DigestPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(policy);
        return state.Sealed is not null ? state.Sealed.ClosedAt : state.OpenedAt + policy.Window;
    }

    /// <summary>A digest lists a line per alert: the long message is not needed, and the row must stay small.</summary>
    private static AlertFacts Compact(AlertFacts alert) => alert with
    {
        Message = alert.Message.Length > 200 ? alert.Message[..200] : alert.Message,
        Summary = null,
        Subject = alert.Subject is { Length: > 120 } s ? s[..120] : alert.Subject,
        Requester = null,
    };
}
