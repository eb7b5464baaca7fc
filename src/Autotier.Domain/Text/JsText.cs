namespace Autotier.Domain.Text;

/// <summary>
/// JavaScript's idea of white space, which the TypeScript rules were written against (String.prototype.trim,
/// <c>\s</c>, zod's <c>.trim()</c>). .NET's <see cref="char.IsWhiteSpace(char)"/> differs: it counts U+0085
/// and not U+FEFF, so a subject of "\u0085x" would be trimmed here and refused there.
/// </summary>
internal static class JsText
{
    /// <summary>The same set as a regex character class body, for patterns that used <c>\s</c>.</summary>
    public const string WhiteSpaceClass = @"\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff";

    public static bool IsWhiteSpace(char c) => c switch
    {
        '\t' or '\n' or '\v' or '\f' or '\r' or ' ' or '\u00a0' or '\u1680' => true,
        >= '\u2000' and <= '\u200a' => true,
        '\u2028' or '\u2029' or '\u202f' or '\u205f' or '\u3000' or '\ufeff' => true,
        _ => false,
    };

    /// <summary>String.prototype.trim.</summary>
    public static string Trim(string s)
    {
        var start = 0;
        var end = s.Length;
        while (start < end && IsWhiteSpace(s[start])) start++;
        while (end > start && IsWhiteSpace(s[end - 1])) end--;
        return start == 0 && end == s.Length ? s : s[start..end];
    }
}
