using System.Text;

namespace Autotier.TestSupport.Mail;

/// <summary>
/// The HTML of issue #33's attack pass, generated: a multi-megabyte table (5.8 MB froze the
/// TypeScript app for four minutes) and a nest of divs (1.1 MB stalled it 18 s).
/// </summary>
public static class PathologicalHtml
{
    public static string HugeTable(int bytes)
    {
        var html = new StringBuilder("<html><body><p>The printer in room 4 is jammed, here is the log:</p><table>");
        for (var i = 0; html.Length < bytes; i++)
            html.Append("<tr><td>row ").Append(i).Append("</td><td>paper jam at tray 2</td><td><b>error</b> 13.B2</td></tr>");
        return html.Append("</table></body></html>").ToString();
    }

    public static string DivNest(int bytes)
    {
        var depth = bytes / 11;
        return "<html><body><p>VPN drops every hour.</p>" + string.Concat(Enumerable.Repeat("<div>", depth)) + "deep" + string.Concat(Enumerable.Repeat("</div>", depth)) + "</body></html>";
    }
}
