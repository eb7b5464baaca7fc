using Autotier.Functions.Http;
using Autotier.LocalHost.Indexing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Autotier.LocalHost.Http;

/// <summary>
/// One Kestrel route per <c>[HttpTrigger]</c>: <c>{routePrefix}/{Route}</c> (or the function's name
/// when it has no route) for its methods, as the Functions host maps them. Function keys are not
/// enforced, as with <c>func start</c>. A function that throws answers a bare 500, as the Functions
/// host's ASP.NET Core integration does: the local host never gives a kinder answer than Azure.
/// </summary>
public static partial class HttpFunctionRoutes
{
    public static IReadOnlyList<string> Map(WebApplication app, IEnumerable<FunctionEntry> functions, string routePrefix, DurableTaskClient durable)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(functions);
        var mapped = new List<string>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Autotier.LocalHost.Http");
        foreach (var function in functions.Where(f => f.Kind == TriggerKind.Http))
        {
            var trigger = (HttpTriggerAttribute)function.TriggerAttribute;
            var pattern = Pattern(routePrefix, trigger.Route ?? function.Name);
            var methods = (trigger.Methods is { Length: > 0 } m ? m : ["get", "post", "put", "delete", "patch", "head", "options"])
                .Select(x => x.ToUpperInvariant()).ToArray();
            app.MapMethods(pattern, methods, (HttpContext context) => InvokeAsync(context, function, durable, logger));
            mapped.Add($"{string.Join(',', methods)} {pattern} -> {function.Name}");
        }
        return mapped;
    }

    public static string Pattern(string routePrefix, string route) =>
        "/" + string.Join('/', new[] { routePrefix.Trim('/'), route.Trim('/') }.Where(s => s.Length > 0));

    private static async Task InvokeAsync(HttpContext context, FunctionEntry function, DurableTaskClient durable, ILogger logger)
    {
        try
        {
            var route = context.Request.RouteValues.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.OrdinalIgnoreCase);
            var result = await FunctionInvoker.InvokeAsync(
                function, new InvocationBindings(context.RequestServices, context.Request, durable, context.RequestAborted, route));
            switch (result)
            {
                case IActionResult action:
                    await SendAsync(context, action);
                    break;
                case IResult minimal:
                    await minimal.ExecuteAsync(context);
                    break;
                case null:
                    context.Response.StatusCode = StatusCodes.Status204NoContent;
                    break;
                default:
                    throw new InvalidOperationException($"{function.Name} returned {result.GetType().Name}, which the local host cannot send");
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away.
        }
#pragma warning disable CA1031 // The host turns any failure of a function into a 500; so does this one.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFailed(logger, function.Name, e);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            }
        }
    }

    /// <summary>Writes an MVC result from a plain endpoint (no controller, so the action context is built here).</summary>
    public static Task SendAsync(HttpContext context, IActionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "function {Function} failed")]
    private static partial void LogFailed(ILogger logger, string function, Exception exception);
}
