using Autotier.Functions.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Autotier.LocalHost.Http;

/// <summary>
/// What the TypeScript runtime answered before any function ran: a URL or headers over 16 KiB get
/// 431, a malformed percent-encoding in the path 400, both with a JSON <c>{error}</c>. Kestrel's own
/// limits are set above these (64 KiB) so this middleware, not a bare Kestrel refusal, answers in
/// between; past 64 KiB Kestrel refuses the request itself (414/431, no body).
/// </summary>
public static class RequestLimits
{
    public const int MaxUrlOrHeaderBytes = 16 * 1024;

    public static void Configure(KestrelServerLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits.MaxRequestLineSize = 64 * 1024;
        limits.MaxRequestHeadersTotalSize = 64 * 1024;
    }

    public static void Use(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(async (context, next) =>
        {
            var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "";
            var headers = 0L;
            foreach (var (name, values) in context.Request.Headers)
            {
                foreach (var v in values) headers += name.Length + (v?.Length ?? 0) + 4;
            }
            if (target.Length > MaxUrlOrHeaderBytes || headers > MaxUrlOrHeaderBytes)
            {
                await Refuse(context, StatusCodes.Status431RequestHeaderFieldsTooLarge, "request URL or headers are too large");
                return;
            }
            if (!WellEncoded(target))
            {
                await Refuse(context, StatusCodes.Status400BadRequest, "the URL has a malformed percent-encoding");
                return;
            }
            await next(context);
        });
    }

    private static bool WellEncoded(string target)
    {
        for (var i = 0; i < target.Length; i++)
        {
            if (target[i] != '%') continue;
            if (i + 2 >= target.Length || !Uri.IsHexDigit(target[i + 1]) || !Uri.IsHexDigit(target[i + 2])) return false;
            i += 2;
        }
        return true;
    }

    private static Task Refuse(HttpContext context, int status, string error) =>
        HttpFunctionRoutes.SendAsync(context, HttpJson.Error(status, error));
}
