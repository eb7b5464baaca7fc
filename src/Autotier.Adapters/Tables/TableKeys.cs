using System.Text;

namespace Autotier.Adapters.Tables;

/// <summary>Row and partition keys may not hold / \ # ? or control characters; these escape them reversibly.</summary>
internal static class TableKeys
{
    public static string Escape(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c)) sb.Append('%').Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
