using System.Text.Json;
using Autotier.Domain.Classification;
using Autotier.Domain.Text;

namespace Autotier.Domain.Assistant;

/// <summary>The model's second opinion: a category, how sure it is, and one sentence why.</summary>
public sealed record TriageAnswer(string Category, double Confidence, string Reason);

/// <summary>The model's briefing as it wrote it (not yet fit to show: see <see cref="BriefingText"/>).</summary>
public sealed record BriefingAnswer(string Summary, IReadOnlyList<string> Steps);

public enum ReplyAnswer
{
    Yes,
    No,
    Unclear,
    NewIssue,
}

public sealed record KbDraftAnswer(string Title, IReadOnlyList<string> Steps, IReadOnlyList<string> Tags);

/// <summary>
/// The model's answers, read strictly: a JSON object with exactly the use's fields, each of the
/// right type, value and length (the limits of the TypeScript app's zod schemas); anything else,
/// an extra field, a duplicate field, a category that does not exist, is no answer (null). Strings
/// are trimmed as zod's <c>.trim()</c> did. An answer that parses is still only data: what it may
/// change is decided by the guards.
/// </summary>
public static class AssistantAnswers
{
    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false, MaxDepth = 8 };

    public static TriageAnswer? ParseTriage(string? content) => Parse(content, root =>
    {
        if (!Only(root, "category", "confidence", "reason")) return null;
        var category = Text(root, "category", trim: false, 1, 64);
        if (!Categories.IsCategory(category)) return null;
        if (!root.TryGetProperty("confidence", out var c) || c.ValueKind != JsonValueKind.Number || !c.TryGetDouble(out var confidence)
            || confidence is < 0 or > 1)
            return null;
        var reason = Text(root, "reason", trim: false, 0, 500);
        return reason is null ? null : new TriageAnswer(category!, confidence, reason);
    });

    public static BriefingAnswer? ParseBriefing(string? content) => Parse(content, root =>
    {
        if (!Only(root, "summary", "steps")) return null;
        var summary = Text(root, "summary", trim: true, 1, 2000);
        var steps = Texts(root, "steps", 0, 10, 1, 500);
        return summary is null || steps is null ? null : new BriefingAnswer(summary, steps);
    });

    public static ReplyAnswer? ParseReply(string? content) => Parse<object>(content, root =>
    {
        if (!Only(root, "answer")) return null;
        return Text(root, "answer", trim: false, 1, 16) switch
        {
            "yes" => ReplyAnswer.Yes,
            "no" => ReplyAnswer.No,
            "unclear" => ReplyAnswer.Unclear,
            "new_issue" => ReplyAnswer.NewIssue,
            _ => null,
        };
    }) is ReplyAnswer answer ? answer : null;

    public static KbDraftAnswer? ParseKbDraft(string? content) => Parse(content, root =>
    {
        if (!Only(root, "title", "steps", "tags")) return null;
        var title = Text(root, "title", trim: true, 1, 200);
        var steps = Texts(root, "steps", 1, 20, 1, 1000);
        var tags = Texts(root, "tags", 0, 10, 1, 40);
        return title is null || steps is null || tags is null ? null : new KbDraftAnswer(title, steps, tags);
    });

    private static T? Parse<T>(string? content, Func<JsonElement, T?> read)
        where T : class
    {
        if (string.IsNullOrEmpty(content)) return null;
        try
        {
            using var document = JsonDocument.Parse(content, Strict);
            return document.RootElement.ValueKind == JsonValueKind.Object ? read(document.RootElement) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Every field named, and no other.</summary>
    private static bool Only(JsonElement root, params string[] names)
    {
        var seen = 0;
        foreach (var property in root.EnumerateObject())
        {
            if (!names.Contains(property.Name, StringComparer.Ordinal)) return false;
            seen++;
        }
        return seen == names.Length;
    }

    private static string? Text(JsonElement root, string name, bool trim, int min, int max) =>
        root.TryGetProperty(name, out var value) ? Text(value, trim, min, max) : null;

    private static string? Text(JsonElement value, bool trim, int min, int max)
    {
        if (value.ValueKind != JsonValueKind.String) return null;
        var text = value.GetString()!;
        if (trim) text = JsText.Trim(text);
        return text.Length >= min && text.Length <= max ? text : null;
    }

    private static string[]? Texts(JsonElement root, string name, int minCount, int maxCount, int min, int max)
    {
        if (!root.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array) return null;
        var count = array.GetArrayLength();
        if (count < minCount || count > maxCount) return null;
        var texts = new string[count];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var text = Text(item, trim: true, min, max);
            if (text is null) return null;
            texts[i++] = text;
        }
        return texts;
    }
}
