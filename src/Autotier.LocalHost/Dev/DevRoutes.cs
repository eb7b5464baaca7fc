using System.Text.Json;
using Autotier.Application.Ports;
using Autotier.Application.Tickets;
using Autotier.Functions.Http;
using Autotier.LocalHost.Durable;
using Autotier.LocalHost.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;

namespace Autotier.LocalHost.Dev;

/// <summary>
/// Routes only the local host has, which the end-to-end tests and people trying autotier use:
/// the dev outbox, the virtual clock, and the Durable instance status (the part of the Durable
/// extension's HTTP API the tests read). None is registered in Azure.
/// </summary>
public static class DevRoutes
{
    public static void Map(WebApplication app, DurableTaskClient durable, VirtualClockOrchestrationService? virtualClock, Timers.TimerTriggerHost timers)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/dev/outbox", async Task (HttpContext context, IDevOutbox outbox) =>
        {
            var to = context.Request.Query["to"].ToString();
            if (string.IsNullOrWhiteSpace(to)) {
                await HttpFunctionRoutes.SendAsync(context, HttpJson.Error(400, "to: is required"));
                return;
            }
            var mails = await outbox.ListAsync(to, context.RequestAborted);
            await HttpFunctionRoutes.SendAsync(context, HttpJson.Json(200, mails.Select(m => new
            {
                to = m.To,
                replyTo = m.ReplyTo,
                subject = m.Subject,
                text = m.Text,
                html = m.Html,
                sentAt = IsoTime.Format(m.SentAt),
            }).ToArray()));
        });

        app.MapPost("/_local/clock", async Task (HttpContext context) =>
        {
            if (virtualClock is null)
            {
                await HttpFunctionRoutes.SendAsync(context, HttpJson.Error(404, "the clock moves only with AUTOTIER_VIRTUAL_CLOCK=1"));
                return;
            }
            long advanceMs;
            try
            {
                using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
                advanceMs = body.RootElement.TryGetProperty("advanceMs", out var a) ? a.GetInt64() : 0;
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                advanceMs = -1;
            }
            // At most ten years a step: further than any SLA or retention, and within what the clock can hold.
            if (advanceMs < 0 || advanceMs > (long)TimeSpan.FromDays(3660).TotalMilliseconds)
            {
                await HttpFunctionRoutes.SendAsync(context, HttpJson.Error(400, "advanceMs: send {\"advanceMs\": N}, N a whole number of milliseconds from 0 to ten years"));
                return;
            }
            await virtualClock.AdvanceAsync(TimeSpan.FromMilliseconds(advanceMs));
            // The timer triggers the move made due run now; the caller sees their work done (and the
            // orchestrations they woke settled), as after that much real time.
            await timers.CaughtUpAsync(virtualClock.SettleLimit, context.RequestAborted);
            await virtualClock.SettledAsync();
            await HttpFunctionRoutes.SendAsync(context, HttpJson.Json(200, new { now = IsoTime.Format(virtualClock.Clock.GetUtcNow()) }));
        });

        app.MapGet("/durabletask/instances/{instanceId}", async Task (HttpContext context, string instanceId) =>
        {
            var instance = await durable.GetInstanceAsync(instanceId, getInputsAndOutputs: true, context.RequestAborted);
            if (instance is null)
            {
                await HttpFunctionRoutes.SendAsync(context, HttpJson.Error(404, $"no instance {instanceId}"));
                return;
            }
            // A dictionary, so absent values are written as null (as the Durable HTTP API does).
            var body = new Dictionary<string, object?>
            {
                ["name"] = instance.Name,
                ["instanceId"] = instance.InstanceId,
                ["runtimeStatus"] = instance.RuntimeStatus.ToString(),
                ["input"] = Parse(instance.SerializedInput),
                ["customStatus"] = Parse(instance.SerializedCustomStatus),
                ["output"] = Parse(instance.SerializedOutput),
                ["createdTime"] = IsoTime.Format(instance.CreatedAt),
                ["lastUpdatedTime"] = IsoTime.Format(instance.LastUpdatedAt),
            };
            if (instance.FailureDetails is { } failure) body["failureDetails"] = new { errorType = failure.ErrorType, errorMessage = failure.ErrorMessage };
            // As the Durable extension answers: 202 while it runs, 200 once it has finished.
            await HttpFunctionRoutes.SendAsync(context, HttpJson.Json(instance.IsCompleted ? 200 : 202, body));
        });
    }

    /// <summary>
    /// A serialized value as JSON; text that is not JSON (a failed orchestration's output is its
    /// error message) as a JSON string, as the Durable HTTP API answers, rather than a 500.
    /// </summary>
    private static JsonElement? Parse(string? json)
    {
        if (string.IsNullOrEmpty(json)) return null;
        try
        {
            return JsonElement.Parse(json);
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(json);
        }
    }

}
