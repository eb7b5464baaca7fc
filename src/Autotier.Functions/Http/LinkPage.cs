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
        ArgumentNullException.ThrowIfNull(response);
        var h = response.Headers;
        h.ContentSecurityPolicy = $"default-src 'none'; style-src 'sha256-{StyleHash}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        h.XContentTypeOptions = "nosniff";
        h["Referrer-Policy"] = "no-referrer";
        h.CacheControl = "no-store";
        h.XFrameOptions = "DENY";
        var form = button is null ? "" : $"<form method=\"post\"><button type=\"submit\">{Encode(button)}</button></form>";
        return new ContentResult
        {
            StatusCode = status,
            ContentType = "text/html; charset=utf-8",
            Content = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                + $"<meta name=\"robots\" content=\"noindex\"><title>{Encode(title)}</title><style>{Style}</style></head>"
                + $"<body><main><h1>{Encode(title)}</h1><p>{Encode(text)}</p>{form}</main></body></html>",
        };
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
