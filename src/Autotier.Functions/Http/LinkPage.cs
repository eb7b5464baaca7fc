using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Autotier.Functions.Http;

/// <summary>
/// The small page behind a link in a mail: plain, readable on a phone, kept out of search engines
/// and caches, with the ops page's security headers (its own stylesheet allowed by hash, nothing
/// else; never framed; no referrer). Browsers get the page, API clients JSON.
/// </summary>
public static class LinkPage
{
    private const string Style =
        "body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222;line-height:1.5}"
        + "h1{font-size:1.4rem}button{font:inherit;font-size:1.1rem;padding:.7rem 1.4rem;border-radius:.4rem;border:1px solid #1b5e9e;background:#1b5e9e;color:#fff;cursor:pointer}"
        + "button:focus-visible{outline:3px solid #f0a500;outline-offset:2px}";

    public static bool WantsHtml(HttpRequest request) =>
        request?.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>A page with a line of text and, when asking, a button that posts to the page's own address.</summary>
    public static IActionResult Page(HttpResponse response, int status, string title, string text, string? button = null)
    {
        var form = button is null ? "" : $"<form method=\"post\"><button type=\"submit\">{Encode(button)}</button></form>";
        return Render(response, status, title, $"<p>{Encode(text)}</p>{form}", Style);
    }

    private const string RatingStyle = Style
        + "fieldset{border:0;padding:0;margin:0 0 1rem}legend{font-weight:600;margin-bottom:.5rem}"
        + ".score{display:block;padding:.5rem .7rem;margin:.3rem 0;border:1px solid #bbb;border-radius:.4rem;cursor:pointer}"
        + ".score input{margin-right:.6rem;transform:scale(1.3)}label[for=comment]{display:block;font-weight:600;margin-bottom:.3rem}"
        + "textarea{font:inherit;width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #888;border-radius:.4rem;margin-bottom:.2rem}"
        + ".hint{color:#555;font-size:.95rem;margin-top:0}";

    /// <summary>
    /// The rating page: the score the link carries already chosen, the five scores as large radio
    /// buttons with words, an optional comment; the form posts to the page's own address (token included).
    /// </summary>
    public static IActionResult RatingForm(HttpResponse response, string ticketId, int score, int maxComment)
    {
        var choices = string.Concat(Autotier.Domain.Mail.RatingLinks.Labels.Select((label, i) =>
            $"<label class=\"score\"><input type=\"radio\" name=\"score\" value=\"{i + 1}\"{(i + 1 == score ? " checked" : "")} required>{i + 1} - {Encode(label)}</label>"));
        var body =
            $"<p>Thanks for taking a moment to tell us how we did with request {Encode(ticketId)}. Check your rating and press the button to send it.</p>"
            + $"<form method=\"post\"><fieldset><legend>Your rating, from 1 (poor) to 5 (great)</legend>{choices}</fieldset>"
            + "<label for=\"comment\">Anything you would like to tell us? (optional)</label>"
            + $"<textarea id=\"comment\" name=\"comment\" rows=\"4\" maxlength=\"{maxComment}\" aria-describedby=\"comment-hint\"></textarea>"
            + "<p id=\"comment-hint\" class=\"hint\">Please don't include passwords or other private details.</p>"
            + "<button type=\"submit\">Send my rating</button></form>";
        return Render(response, 200, "How did we do?", body, RatingStyle);
    }

    private static ContentResult Render(HttpResponse response, int status, string title, string bodyHtml, string style) =>
        HtmlPage.Render(response, status, title, $"<main><h1>{Encode(title)}</h1>{bodyHtml}</main>", style);

    private static string Encode(string text) => HtmlPage.Encode(text);
}
