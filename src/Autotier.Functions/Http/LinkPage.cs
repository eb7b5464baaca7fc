using System.Net;
using System.Security.Cryptography;
using System.Text;
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

    private static readonly string StyleHash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)));

    public static bool WantsHtml(HttpRequest request) =>
        request?.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>A page with a line of text and, when asking, a button that posts to the page's own address.</summary>
    public static IActionResult Page(HttpResponse response, int status, string title, string text, string? button = null)
    {
        var form = button is null ? "" : $"<form method=\"post\"><button type=\"submit\">{Encode(button)}</button></form>";
        return Render(response, status, title, $"<p>{Encode(text)}</p>{form}", Style, StyleHash);
    }

    private const string RatingStyle = Style
        + "fieldset{border:0;padding:0;margin:0 0 1rem}legend{font-weight:600;margin-bottom:.5rem}"
        + ".score{display:block;padding:.5rem .7rem;margin:.3rem 0;border:1px solid #bbb;border-radius:.4rem;cursor:pointer}"
        + ".score input{margin-right:.6rem;transform:scale(1.3)}label[for=comment]{display:block;font-weight:600;margin-bottom:.3rem}"
        + "textarea{font:inherit;width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #888;border-radius:.4rem;margin-bottom:.2rem}"
        + ".hint{color:#555;font-size:.95rem;margin-top:0}";

    private static readonly string RatingStyleHash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(RatingStyle)));

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
        return Render(response, 200, "How did we do?", body, RatingStyle, RatingStyleHash);
    }

    private static ContentResult Render(HttpResponse response, int status, string title, string bodyHtml, string style, string styleHash) =>
        Html(response, status, title, $"<main><h1>{Encode(title)}</h1>{bodyHtml}</main>", new InlineAsset(style, styleHash));

    /// <summary>
    /// The one renderer of the app's server-side pages (these link pages, the requester portal): a
    /// whole document around <paramref name="bodyHtml"/> (trusted markup the caller built with
    /// everything from outside encoded) with the security headers. The page's own stylesheet and
    /// script are inline and allowed by their SHA-256 hashes, so the policy needs no
    /// <c>'unsafe-inline'</c> and nothing injected can run; <c>connect-src 'self'</c> lets a page's
    /// script ask this app (the portal's suggestions) and nothing else.
    /// </summary>
    public static ContentResult Html(HttpResponse response, int status, string title, string bodyHtml, InlineAsset style, InlineAsset? script = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(style);
        var h = response.Headers;
        h.ContentSecurityPolicy = script is null
            ? $"default-src 'none'; style-src 'sha256-{style.Hash}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
            : $"default-src 'none'; style-src 'sha256-{style.Hash}'; script-src 'sha256-{script.Hash}'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        h.XContentTypeOptions = "nosniff";
        h["Referrer-Policy"] = "no-referrer";
        h.CacheControl = "no-store";
        h.XFrameOptions = "DENY";
        return new ContentResult
        {
            StatusCode = status,
            ContentType = "text/html; charset=utf-8",
            Content = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                + $"<meta name=\"robots\" content=\"noindex\"><title>{Encode(title)}</title><style>{style.Text}</style></head>"
                + $"<body>{bodyHtml}{(script is null ? "" : $"<script>{script.Text}</script>")}</body></html>",
        };
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}

/// <summary>A page's inline stylesheet or script and the SHA-256 (base64) its CSP allows it by.</summary>
public sealed record InlineAsset(string Text, string Hash)
{
    public InlineAsset(string text)
        : this(text, Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text))))
    {
    }
}
