using System.Text.Json;
using Autotier.Domain.Intake;
using Autotier.Domain.Text;

namespace Autotier.Domain.Classification;

/// <summary>
/// An engineer's correction of the classifier: what it said, what the engineer says instead, and
/// why. Kept on the ticket (shown with its classification), in the client's corrections (the
/// training set of <c>autotier classifier train --client</c>) and counted as a misroute when the
/// category changed. <see cref="Note"/> is internal, never mailed.
/// </summary>
public sealed record TicketCorrection(
    string By,
    DateTimeOffset At,
    string FromCategory,
    string FromPriority,
    string ToCategory,
    string ToPriority,
    string? Note)
{
    /// <summary>The classifier put the ticket in the wrong category (a priority change alone is not a misroute).</summary>
    public bool Misroute => !string.Equals(FromCategory, ToCategory, StringComparison.Ordinal);
}

/// <summary>The body of <c>{type:"reclassified", by, category?, priority?, note?}</c> once checked.</summary>
public sealed record ReclassifyRequest(string By, string? Category, string? Priority, string? Note)
{
    /// <summary>Same limits as the other events' fields (TypeScript events.ts: by 200, note 4000).</summary>
    public const int MaxBy = 200;
    public const int MaxNote = 4000;

    private static readonly HashSet<string> KnownFields = new(StringComparer.Ordinal) { "type", "by", "category", "priority", "note" };

    /// <summary>
    /// Checks a reclassified event (the caller has read <c>type</c>). Strict like the TypeScript
    /// schemas: an unknown field is refused rather than dropped, so a typo such as <c>categroy</c>
    /// is not silently a correction of nothing.
    /// </summary>
    public static ParseResult<ReclassifyRequest> Parse(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object) return Fail("request body must be a JSON object");
        string? by = null, category = null, priority = null, note = null;
        var unknown = new List<string>();
        foreach (var property in json.EnumerateObject())
        {
            switch (property.Name)
            {
                case "type":
                    break;
                case "by":
                    if (Text(property.Value, MaxBy, out by) is { } byError) return Fail("by: " + byError);
                    break;
                case "note":
                    if (Text(property.Value, MaxNote, out note) is { } noteError) return Fail("note: " + noteError);
                    break;
                case "category":
                    if (property.Value.ValueKind != JsonValueKind.String || !Categories.IsCategory(property.Value.GetString()))
                        return Fail("category: must be one of " + string.Join(", ", Categories.All));
                    category = property.Value.GetString();
                    break;
                case "priority":
                    if (property.Value.ValueKind != JsonValueKind.String || !Priorities.IsPriority(property.Value.GetString()))
                        return Fail("priority: must be P1, P2, P3 or P4");
                    priority = property.Value.GetString();
                    break;
                default:
                    unknown.Add(property.Name);
                    break;
            }
        }
        if (by is null) return Fail("by: is required");
        if (category is null && priority is null) return Fail("category: give a category, a priority or both");
        if (unknown.Count > 0) return Fail("unknown field: " + string.Join(", ", unknown));
        return ParseResult<ReclassifyRequest>.Success(new ReclassifyRequest(by, category, priority, note));
    }

    private static ParseResult<ReclassifyRequest> Fail(string error) => ParseResult<ReclassifyRequest>.Failure(error);

    private static string? Text(JsonElement value, int max, out string? text)
    {
        text = null;
        if (value.ValueKind != JsonValueKind.String) return "must be a string";
        text = JsText.Trim(value.GetString()!);
        if (text.Length == 0) return "must not be empty";
        if (text.Length > max) return FormattableString.Invariant($"must be at most {max} characters");
        return null;
    }
}

/// <summary>Applying a correction to a classification.</summary>
public static class Reclassify
{
    /// <summary>
    /// The classification after an engineer's correction: their category and priority, decided by
    /// the engineer, confidence 1, and the route that category takes (an engineer moving a ticket
    /// out of automation sends it to a person; into an automatable category it stays with the person
    /// who made the call: a correction never starts automation on its own).
    /// </summary>
    public static TicketClassification Apply(TicketClassification current, TicketCorrection correction)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(correction);
        var reason = $"engineer {correction.By}: {Describe(correction)}";
        return current with
        {
            Category = correction.ToCategory,
            Priority = correction.ToPriority,
            Confidence = 1,
            Route = string.Equals(current.Route, Routes.Auto, StringComparison.Ordinal)
                && Categories.IsAutomatable(correction.ToCategory)
                && string.Equals(current.Category, correction.ToCategory, StringComparison.Ordinal)
                    ? Routes.Auto
                    : Routes.Escalate,
            Tier = string.Equals(correction.ToCategory, Categories.Engineering, StringComparison.Ordinal) ? Math.Max(current.Tier, 2) : current.Tier,
            // The engineer's latest call replaces an earlier one's reason, so reasons stay bounded.
            Reasons = [.. current.Reasons.Where(r => !r.StartsWith("engineer ", StringComparison.Ordinal)), reason],
            DecidedBy = Classification.DecidedBy.Engineer,
        };
    }

    public static string Describe(TicketCorrection correction)
    {
        ArgumentNullException.ThrowIfNull(correction);
        var parts = new List<string>();
        if (correction.Misroute) parts.Add($"category {correction.FromCategory} -> {correction.ToCategory}");
        if (!string.Equals(correction.FromPriority, correction.ToPriority, StringComparison.Ordinal))
            parts.Add($"priority {correction.FromPriority} -> {correction.ToPriority}");
        return parts.Count == 0 ? "confirmed the classification" : string.Join(", ", parts);
    }
}
