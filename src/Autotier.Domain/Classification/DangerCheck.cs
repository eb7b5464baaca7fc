namespace Autotier.Domain.Classification;

/// <summary>What the learned danger check made of a ticket.</summary>
/// <param name="Probability">The model's probability that the ticket is dangerous.</param>
/// <param name="Flagged">At or above <see cref="DangerCheck.FlagAt"/>: engineering, tier 3, priority raised.</param>
/// <param name="Held">At or above <see cref="DangerCheck.HoldAt"/>: never automated, an engineer looks.</param>
/// <param name="Words">The words that pushed it towards dangerous, when the model can say.</param>
public sealed record DangerAssessment(double Probability, bool Flagged, bool Held, IReadOnlyList<string> Words);

/// <summary>
/// The learned half of the safety checks: a binary text model (labels <see cref="Dangerous"/> and
/// <see cref="Safe"/>) trained on the <c>dangerous</c> column of data/msp-tickets.csv's train split
/// and data/danger-extra.csv. It catches what the rule screen's wording misses (a sign-in disowned in
/// a phrasing the rules lack, a fraud with a new pretext) and can only escalate: a flag moves a
/// ticket to engineering, a hold keeps it from automation; a low score changes nothing.
/// </summary>
/// <param name="Model">A model whose labels are <see cref="Dangerous"/> and <see cref="Safe"/>.</param>
/// <param name="FlagAt">Probability from which the ticket is treated as dangerous.</param>
/// <param name="HoldAt">
/// Probability from which the ticket is kept from automation without being called dangerous. Below
/// <see cref="FlagAt"/> on purpose: a margin, so a dangerous ticket scored just under the flag is
/// still never automated, whatever the client's automation threshold.
/// </param>
public sealed record DangerCheck(ICategoryModel Model, double FlagAt = 0.5, double HoldAt = 0.2)
{
    public const string Dangerous = "dangerous";
    public const string Safe = "safe";

    public DangerAssessment Assess(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var prediction = Model.Predict(text);
        var p = prediction.Scores.TryGetValue(Dangerous, out var score) ? score
            : prediction.Label == Dangerous ? prediction.Confidence : 1 - prediction.Confidence;
        var words = p >= HoldAt ? WordContributions.Top(Model, text, Dangerous, 3) : [];
        return new(Math.Round(p, 3), p >= FlagAt, p >= HoldAt, words);
    }
}

/// <summary>
/// For the per-client threshold tuner: would a candidate automation threshold let any dangerous
/// ticket through? The tuner may lower a threshold to 0.5; this is the check it runs first.
/// </summary>
public static class ThresholdGuard
{
    /// <param name="Confidence">The classifier's (calibrated) confidence.</param>
    /// <param name="Category">The row's true category.</param>
    /// <param name="Predicted">The classifier's category.</param>
    /// <param name="Dangerous">The row's label: it must never be automated.</param>
    /// <param name="Held">A safety check kept the ticket from automation whatever the threshold.</param>
    public sealed record Row(double Confidence, string Category, string Predicted, bool Dangerous, bool Held = false);

    /// <summary>Whether a row would be automated at <paramref name="threshold"/> (the classifier's route rule).</summary>
    public static bool WouldAutomate(Row row, double threshold)
    {
        ArgumentNullException.ThrowIfNull(row);
        return !row.Held && Categories.IsAutomatable(row.Predicted) && row.Confidence >= threshold;
    }

    /// <summary>The dangerous rows that <paramref name="threshold"/> would automate (none is the only safe answer).</summary>
    public static IReadOnlyList<Row> AutomatedDangerous(IEnumerable<Row> rows, double threshold)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return rows.Where(r => r.Dangerous && WouldAutomate(r, threshold)).ToList();
    }

    /// <summary>True when no dangerous row would be automated at <paramref name="threshold"/>.</summary>
    public static bool IsSafe(IEnumerable<Row> rows, double threshold) => AutomatedDangerous(rows, threshold).Count == 0;

    /// <summary>The row for one classified ticket and its labels.</summary>
    public static Row RowOf(TicketClassification c, string category, bool dangerous)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new(c.Confidence, category, c.Category, dangerous, c.Dangerous || c.Held);
    }
}
