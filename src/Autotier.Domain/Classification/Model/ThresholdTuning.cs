namespace Autotier.Domain.Classification.Model;

/// <summary>One labelled ticket as the whole classifier saw it, for tuning.</summary>
/// <param name="Route">The route it gave at threshold 0 (<see cref="Routes.Auto"/> means automation could take it).</param>
/// <param name="Confidence">Its confidence.</param>
/// <param name="Category">The category it gave.</param>
/// <param name="Label">The right category.</param>
/// <param name="Dangerous">Marked as never to be automated (the history's own flag).</param>
public sealed record TuningRow(string Route, double Confidence, string Category, string Label, bool Dangerous = false);

/// <param name="Threshold">The lowest confidence at which automation reaches the target precision.</param>
/// <param name="Precision">Of the tickets automation would take at that threshold, the share it classifies correctly.</param>
/// <param name="Coverage">The share of all tickets automation would take.</param>
/// <param name="EngineeringAutomated">Tickets labelled engineering (never for automation) that it would still take.</param>
/// <param name="DangerousAbove">The highest confidence of a dangerous ticket automation could take; thresholds at or below it were refused (null: none).</param>
public sealed record ThresholdChoice(
    double Threshold,
    double Precision,
    double Coverage,
    int Automated,
    int N,
    int EngineeringAutomated,
    bool Met,
    double? DangerousAbove = null);

/// <summary>
/// Tunes a client's automation threshold for precision on its own labelled history, the
/// TypeScript's tuneThreshold: the lowest threshold whose automated share is at least the target
/// precision correct wins, so automation covers as much as it can while staying that precise;
/// minAutomated keeps a handful of lucky tickets from deciding; when no threshold meets the target
/// the strictest is returned, not met. New in the port: a threshold that would automate any ticket
/// the history marks dangerous is refused outright, whatever its precision, so tuning can never
/// open automation to a ticket known to need an engineer.
/// </summary>
public static class ThresholdTuning
{
    /// <summary>Below this, a threshold lets through guesses that are as likely wrong as right.</summary>
    public const double LowestUnforcedThreshold = 0.5;

    public static ThresholdChoice Tune(IReadOnlyList<TuningRow> rows, double targetPrecision, int minAutomated = 20)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var scored = rows.Where(r => r.Route == Routes.Auto).OrderByDescending(r => r.Confidence).ToList();
        var n = rows.Count;
        double? dangerousAbove = scored.Where(r => r.Dangerous).Select(r => (double?)r.Confidence).Max();
        ThresholdChoice? best = null, strictest = null;
        int correct = 0, engineering = 0;
        for (var i = 0; i < scored.Count; i++)
        {
            var s = scored[i];
            // Every cut from here down would automate a dangerous ticket.
            if (s.Dangerous) break;
            if (s.Category == s.Label) correct++;
            if (s.Label == Categories.Engineering) engineering++;
            // Only cut between distinct confidences: every ticket at the threshold is automated.
            if (i + 1 < scored.Count && scored[i + 1].Confidence == s.Confidence) continue;
            var automated = i + 1;
            var precision = (double)correct / automated;
            var choice = new ThresholdChoice(
                Metrics.Round(s.Confidence),
                Metrics.Round(precision),
                Metrics.Round((double)automated / n),
                automated,
                n,
                engineering,
                precision >= targetPrecision && automated >= minAutomated,
                dangerousAbove);
            strictest ??= choice;
            if (choice.Met) best = choice;
        }
        // Rounded to 4 places, a threshold could come out at or under a dangerous ticket's confidence.
        if (best is not null && dangerousAbove is { } d && best.Threshold <= d) best = null;
        return best ?? strictest ?? new ThresholdChoice(1, 0, 0, 0, n, 0, false, dangerousAbove);
    }

    /// <summary>
    /// Whether a tuned threshold may replace a client's live one: lowering it below 0.5 takes
    /// force, since a history with few or easy tickets can make a low threshold look precise.
    /// </summary>
    public static (bool Save, string Message) Change(string clientId, double current, double tuned, bool force)
    {
        var change = FormattableString.Invariant($"client {clientId}: automation threshold {current} -> {tuned}");
        if (tuned < LowestUnforcedThreshold && tuned < current && !force)
            return (false, FormattableString.Invariant($"{change} not saved: that lowers it below {LowestUnforcedThreshold}; pass --force to save it anyway"));
        return (true, change);
    }
}
