using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Autotier.Functions.Http;

/// <summary>
/// The one renderer of the app's server-side pages (the link pages, the ops pages, the portal): a whole
/// document with the security headers every page gets. The page's own stylesheet and script are
/// allowed by their hash under <c>default-src 'none'</c>, so nothing else runs or loads and no
/// <c>'unsafe-inline'</c> is needed; never framed, never cached, never sent as a referrer.
/// Everything from outside goes through <see cref="Encode"/> before it reaches the body.
/// </summary>
public static class HtmlPage
{
    private static readonly ConcurrentDictionary<string, string> Hashes = new(StringComparer.Ordinal);

    /// <summary>Text into element content or a quoted attribute value.</summary>
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>The CSP source for an inline style or script: its SHA-256, base64.</summary>
    public static string Hash(string text) =>
        Hashes.GetOrAdd(text, t => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(t)))}'");

    /// <summary>
    /// The policy: the page's own style and script by hash; a page with a script may also ask this
    /// app (<c>connect-src 'self'</c>: the portal's suggestions) and nothing else.
    /// </summary>
    public static string ContentSecurityPolicy(string style, string? script) =>
        $"default-src 'none'; style-src {Hash(style)}; script-src {(script is null ? "'none'" : Hash(script))}; "
        + (script is null ? "" : "connect-src 'self'; ")
        + "img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    /// <param name="bodyHtml">Trusted markup, built with <see cref="Encode"/> around everything that came from outside.</param>
    public static ContentResult Render(HttpResponse response, int status, string title, string bodyHtml, string style, string? script = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        var h = response.Headers;
        h.ContentSecurityPolicy = ContentSecurityPolicy(style, script);
        h.XContentTypeOptions = "nosniff";
        h["Referrer-Policy"] = "no-referrer";
        h.CacheControl = "no-store";
        h.XFrameOptions = "DENY";
        return new ContentResult
        {
            StatusCode = status,
            ContentType = "text/html; charset=utf-8",
            Content = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                // An empty icon: otherwise the browser asks for /favicon.ico, which is not a route (a 404 per page).
                + "<meta name=\"robots\" content=\"noindex\"><link rel=\"icon\" href=\"data:,\">"
                + $"<title>{Encode(title)}</title><style>{style}</style></head>"
                + $"<body>{bodyHtml}{(script is null ? "" : $"<script>{script}</script>")}</body></html>",
        };
    }
}
