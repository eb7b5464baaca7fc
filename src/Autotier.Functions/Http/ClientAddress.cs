using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;

namespace Autotier.Functions.Http;

/// <summary>
/// The caller's address as the platform vouches for it, for per-IP rate limits (issue #34 fix 5).
/// <para>
/// <c>X-Forwarded-For</c> is a list anyone can start: a caller may send <c>X-Forwarded-For: 1.2.3.4</c>
/// and Azure's front end then <em>appends</em> the address it accepted the connection from, giving
/// <c>1.2.3.4, &lt;real&gt;</c>. Only that last hop is the platform's word; every entry before it is
/// the caller's. The TypeScript portal read the first entry, so a fresh made-up address per request
/// bypassed its limits 30 times out of 30. Here the last hop alone is trusted.
/// </para>
/// <para>
/// How: ASP.NET Core's forwarded-headers middleware, which the Functions worker's ASP.NET Core
/// integration runs in front of every HTTP function (the Functions host reaches the worker over
/// loopback, a known proxy), moves the last <c>X-Forwarded-For</c> hop into
/// <c>Connection.RemoteIpAddress</c> and leaves the rest in the header. <see cref="Configure"/> pins
/// it to exactly one hop (<c>ForwardLimit = 1</c>): later worker packages set <c>ForwardLimit = null</c>,
/// which walks the list for as long as each hop is a trusted proxy, and once the known proxies are
/// opened up (the usual advice behind Azure's front end, whose addresses are not known) that walk
/// reaches the caller's own first entry again. One hop stays one hop whatever is trusted. The local host runs the
/// same middleware with the same options, so tests see what Azure does. Behind another proxy in front
/// of the function app (Front Door, Application Gateway), the last hop is that proxy: raise the limit
/// to the number of trusted proxies and list them in <c>KnownProxies</c> before relying on per-IP limits.
/// </para>
/// </summary>
public static class ClientAddress
{
    /// <summary>The forwarded-headers options both hosts use: the platform's hop, and only it.</summary>
    public static void Configure(ForwardedHeadersOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ForwardedHeaders = ForwardedHeaders.All;
        options.ForwardLimit = 1;
    }

    /// <summary>The address the platform saw (no port), or <c>unknown</c>.</summary>
    public static string Of(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.HttpContext.Connection.RemoteIpAddress is { } address
            ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
            : "unknown";
    }
}
