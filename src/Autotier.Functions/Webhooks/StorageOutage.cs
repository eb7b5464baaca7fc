using System.Net.Sockets;
using Autotier.Functions.Http;
using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Autotier.Functions.Webhooks;

/// <summary>
/// Storage being unavailable (unreachable, busy, timing out) rather than a bug or bad input, as the
/// TypeScript app's storageOutage: the caller is told to come back, with <c>Retry-After</c>, and
/// nothing was taken (a webhook's delivery id is let go before this is answered).
/// </summary>
public static class StorageOutage
{
    public const string Message = "autotier cannot reach its storage for the moment; nothing was taken, try again shortly";

    public static bool IsOutage(Exception? error)
    {
        for (var (e, depth) = (error, 0); e is not null && depth < 6; e = e.InnerException, depth++)
        {
            switch (e)
            {
                case RequestFailedException r when r.Status is 0 or 503 || (r.Status == 500 && r.ErrorCode is "OperationTimedOut" or "InternalError"):
                case HttpRequestException:
                case SocketException:
                    return true;
                case AggregateException a when a.InnerExceptions.Count > 0 && a.InnerExceptions.All(IsOutage):
                    return true;
            }
        }
        return false;
    }

    public static IActionResult Answer(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.HttpContext.Response.Headers.RetryAfter = "30";
        return HttpJson.Error(StatusCodes.Status503ServiceUnavailable, Message);
    }
}
