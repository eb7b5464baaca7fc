using Azure.Data.Tables;

namespace Autotier.Adapters.Tables;

/// <summary>
/// A JSON document across as many string properties as it needs (<c>Json</c>, <c>Json1</c>,
/// <c>Json2</c>, ...). Table Storage refuses a string property over 32K UTF-16 characters, and a
/// valid ticket can serialize longer than that (a 20,000-character body of quotes or line breaks
/// doubles when escaped, and corrections add their notes): one property would turn such a ticket
/// into a failed write on every try. An entity may hold 1 MiB, which the ticket's own limits stay far under.
/// </summary>
internal static class JsonColumns
{
    public const string First = "Json";

    /// <summary>Under the 32K limit with room to spare.</summary>
    private const int ChunkChars = 30_000;

    /// <summary>Enough for any ticket the intake accepts (its limits total well under 200,000 characters escaped).</summary>
    private const int MaxChunks = 16;

    /// <summary>The property names a reader selects.</summary>
    public static IReadOnlyList<string> Names { get; } = [First, .. Enumerable.Range(1, MaxChunks - 1).Select(i => First + i.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    public static void Write(TableEntity entity, string json)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentNullException.ThrowIfNull(json);
        var position = 0;
        var chunk = 0;
        do
        {
            if (chunk == MaxChunks) throw new InvalidOperationException($"a document of {json.Length} characters does not fit one table entity");
            var length = Math.Min(ChunkChars, json.Length - position);
            // Never split a surrogate pair: each property would hold half a character.
            if (position + length < json.Length && char.IsHighSurrogate(json[position + length - 1])) length--;
            entity[Names[chunk++]] = json.Substring(position, length);
            position += length;
        }
        while (position < json.Length);
    }

    public static string Read(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var first = entity.GetString(First) ?? throw new InvalidOperationException("row has no Json property");
        if (!entity.ContainsKey(Names[1])) return first;
        var all = new System.Text.StringBuilder(first);
        for (var i = 1; i < MaxChunks && entity.GetString(Names[i]) is { } more; i++) all.Append(more);
        return all.ToString();
    }
}
