using Autotier.Domain.Tickets;

namespace Autotier.Domain.Lifecycle;

/// <summary>Where a ticket stands against its SLA, worst first (the ops list sorts and filters on it).</summary>
public enum SlaState
{
    Breached,
    AtRisk,
    OnTrack,
    Paused,
    Met,
    None,
}

/// <summary>
/// One window of a ticket's SLA as the ops page shows it: which (response or resolution), when it is
/// due (null while the resolution clock is paused) and where it stands.
/// </summary>
public sealed record SlaWindow(string Which, DateTimeOffset? Due, SlaState State);

/// <summary>
/// A ticket's SLA in words for the people running the desk (issue #34 fix 1: the ops page stayed calm
/// while 23 SLAs were breached, because it only knew of stuck workflows). Pure: the ticket's stored
/// <see cref="SlaView"/>, its stage and now. A window is at risk once three quarters of it have
/// passed (the workflow warns the tier at the same share of the resolution budget), breached once its
/// due time has passed (or the workflow recorded the breach); the response window is met once a
/// person answered, and nothing is due on a resolved or closed ticket.
/// </summary>
public sealed record SlaStanding(SlaState State, SlaWindow? Response, SlaWindow? Resolution)
{
    /// <summary>The share of a window after which it is at risk (as <see cref="SlaPolicies.WarningFraction"/>).</summary>
    public const double AtRiskFraction = SlaPolicies.WarningFraction;

    /// <summary>The due time that matters next: the earliest of the windows still running.</summary>
    public DateTimeOffset? NextDue =>
        new[] { Response, Resolution }
            .Where(w => w is { Due: not null, State: SlaState.Breached or SlaState.AtRisk or SlaState.OnTrack })
            .Select(w => w!.Due)
            .Min();

    public bool NeedsAttention => State is SlaState.Breached or SlaState.AtRisk;

    public static SlaStanding Of(SlaView? sla, Stage stage, DateTimeOffset createdAt, DateTimeOffset now)
    {
        if (sla is null) return new SlaStanding(SlaState.None, null, null);
        var finished = stage is Stage.Resolved or Stage.Closed;

        SlaWindow response = sla.RespondedAt is { } responded
            ? new SlaWindow("response", sla.ResponseDue, responded > sla.ResponseDue ? SlaState.Breached : SlaState.Met)
            : finished
                ? new SlaWindow("response", sla.ResponseDue, SlaState.Met)
                : new SlaWindow("response", sla.ResponseDue, Running(createdAt, sla.ResponseDue, now, warned: false, breached: false));

        SlaWindow resolution = finished
            ? new SlaWindow("resolution", sla.ResolutionDue, sla.Breached ? SlaState.Breached : SlaState.Met)
            : sla.ResolutionDue is not { } due
                ? new SlaWindow("resolution", null, sla.Breached ? SlaState.Breached : SlaState.Paused)
                : new SlaWindow("resolution", due, Running(createdAt, due, now, sla.Warned, sla.Breached));

        // A breach on a finished ticket is history: it is shown on the window, but the ticket needs nobody now.
        var state = finished
            ? SlaState.Met
            : (SlaState)Math.Min((int)response.State, (int)resolution.State);
        return new SlaStanding(state, response, resolution);
    }

    private static SlaState Running(DateTimeOffset from, DateTimeOffset due, DateTimeOffset now, bool warned, bool breached)
    {
        if (breached || now >= due) return SlaState.Breached;
        var window = due - from;
        if (warned || (window > TimeSpan.Zero && now - from >= window * AtRiskFraction)) return SlaState.AtRisk;
        return SlaState.OnTrack;
    }

    /// <summary>The state in words, as the page shows it beside its colour.</summary>
    public static string Words(SlaState state) => state switch
    {
        SlaState.Breached => "breached",
        SlaState.AtRisk => "at risk",
        SlaState.OnTrack => "on track",
        SlaState.Paused => "paused",
        SlaState.Met => "met",
        _ => "no SLA yet",
    };
}
