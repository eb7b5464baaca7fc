using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Autotier.Domain.Intake;

/// <summary>
/// What JavaScript's JSON.parse makes of a JSON object, which is what the TypeScript rules saw: a
/// repeated key keeps its first position and its last value, keys that are array indices come
/// first in numeric order (Object.keys), and strings may hold lone surrogates.
/// </summary>
internal sealed class JsJson
{
    private readonly Dictionary<string, JsonElement> _values = new(StringComparer.Ordinal);
    private readonly List<string> _keys = [];

    private JsJson() { }

    public static JsJson ReadObject(JsonElement obj)
    {
        var result = new JsJson();
        foreach (var property in obj.EnumerateObject())
        {
            if (!result._values.ContainsKey(property.Name)) result._keys.Add(property.Name);
            result._values[property.Name] = property.Value;
        }
        return result;
    }

    public bool TryGet(string key, out JsonElement value) => _values.TryGetValue(key, out value);

    /// <summary>The keys in Object.keys order: array indices ascending, then the rest as first written.</summary>
    public IEnumerable<string> Keys =>
        _keys.Where(k => ArrayIndex(k) is not null).OrderBy(k => ArrayIndex(k))
            .Concat(_keys.Where(k => ArrayIndex(k) is null));

    // An array index is the canonical decimal form of an integer below 2^32 - 1 (ECMA-262).
    private static uint? ArrayIndex(string key) =>
        key.Length is > 0 and <= 10
        && (key == "0" || key[0] != '0')
        && key.All(char.IsAsciiDigit)
        && uint.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
        && n < uint.MaxValue
            ? n
            : null;

    /// <summary>
    /// The string's value. System.Text.Json refuses an escaped lone surrogate ("\ud800"), which
    /// JSON.parse accepts; then the escapes are decoded here so the rules see the same text.
    /// </summary>
    public static string ReadString(JsonElement element)
    {
        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return Unescape(element.GetRawText());
        }
    }

    private static string Unescape(string quoted)
    {
        var text = new StringBuilder(quoted.Length);
        for (var i = 1; i < quoted.Length - 1; i++)
        {
            var c = quoted[i];
            if (c != '\\')
            {
                text.Append(c);
                continue;
            }
            var escape = quoted[++i];
            switch (escape)
            {
                case 'b': text.Append('\b'); break;
                case 'f': text.Append('\f'); break;
                case 'n': text.Append('\n'); break;
                case 'r': text.Append('\r'); break;
                case 't': text.Append('\t'); break;
                case 'u':
                    text.Append((char)ushort.Parse(quoted.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                    i += 4;
                    break;
                default: text.Append(escape); break; // \" \\ \/
            }
        }
        return text.ToString();
    }
}
