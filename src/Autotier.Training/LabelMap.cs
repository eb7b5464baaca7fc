using System.Text.Json;
using Autotier.Domain.Classification;

namespace Autotier.Training;

/// <summary>
/// Relabels a PSA export with autotier's categories from a JSON file <c>{"&lt;PSA label&gt;": "&lt;category&gt;"}</c>,
/// as the TypeScript's mapLabels: a label the map does not name stops the command with the list
/// of them (a silent default would teach the model wrong answers) unless dropUnmapped; a label
/// that already is a category stays as it is.
/// </summary>
public static class LabelMap
{
    /// <returns>The mapped rows, and a note on what was dropped (null when nothing was).</returns>
    public static (IReadOnlyList<LabelledRow> Rows, string? Dropped) Apply(IReadOnlyList<LabelledRow> rows, string mapFile, bool dropUnmapped)
    {
        ArgumentNullException.ThrowIfNull(rows);
        string text;
        try
        {
            text = File.ReadAllText(mapFile);
        }
        catch (IOException)
        {
            throw new DataException($"{mapFile}: no such file");
        }
        catch (UnauthorizedAccessException)
        {
            throw new DataException($"{mapFile}: cannot be read");
        }
        Dictionary<string, JsonElement>? map;
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new DataException($"{mapFile}: expected an object {{\"<label>\": \"<category>\"}}");
            map = document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            throw new DataException($"{mapFile}: not valid JSON");
        }
        var wrong = map.Where(p => p.Value.ValueKind != JsonValueKind.String || !Categories.IsCategory(p.Value.GetString())).ToList();
        if (wrong.Count > 0)
            throw new DataException(
                $"{mapFile}: {string.Join(", ", wrong.Select(p => $"\"{p.Key}\" -> {p.Value.GetRawText()}"))} "
                + $"{(wrong.Count == 1 ? "is not an autotier category" : "are not autotier categories")} ({string.Join(", ", Categories.All)})");
        var unmapped = new Dictionary<string, int>(StringComparer.Ordinal);
        var order = new List<string>();
        var mapped = new List<LabelledRow>();
        foreach (var row in rows)
        {
            var target = map.TryGetValue(row.Label, out var to) ? to.GetString() : row.Label;
            if (Categories.IsCategory(target)) mapped.Add(row with { Label = target! });
            else
            {
                if (!unmapped.TryGetValue(row.Label, out var n)) order.Add(row.Label);
                unmapped[row.Label] = n + 1;
            }
        }
        string? dropped = null;
        if (unmapped.Count > 0)
        {
            var list = string.Join(", ", order.Select(l => $"\"{l}\" ({unmapped[l]})"));
            if (!dropUnmapped)
                throw new DataException(
                    $"{mapFile} maps no category for {unmapped.Count} label{(unmapped.Count == 1 ? "" : "s")}: {list}; add them to the map or pass --drop-unmapped");
            dropped = $"dropped {rows.Count - mapped.Count} rows whose label has no mapping: {list}";
        }
        if (mapped.Count == 0) throw new DataException($"{mapFile}: no row has a mapped label");
        return (mapped, dropped);
    }
}
