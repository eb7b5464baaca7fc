using Autotier.Application.Webhooks;
using Autotier.Domain.Webhooks;
using Autotier.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Net.Http.Headers;

namespace Autotier.Functions.Webhooks;

/// <summary>
/// The webhooks: the generic one (HMAC-SHA256 over timestamp + raw body) and one per PSA. Thin:
/// the headers are checked before the body is read, the body is read up to its limit as it
/// arrives, and <see cref="WebhookIntake"/> does the rest. 202 at once; the ticket is made from the
/// intake queue (<see cref="IntakeFunction"/>).
/// </summary>
public sealed class WebhookFunctions(WebhookIntake intake)
{
    [Function("genericWebhook")]
    public Task<IActionResult> Generic(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "webhooks/generic")] HttpRequest request, CancellationToken cancellationToken) =>
        ReceiveAsync(WebhookIntake.Generic, request, cancellationToken);

    [Function("connectwiseWebhook")]
    public Task<IActionResult> ConnectWise(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "webhooks/connectwise")] HttpRequest request, CancellationToken cancellationToken) =>
        ReceiveAsync(PsaVendors.ConnectWise, request, cancellationToken);

    [Function("autotaskWebhook")]
    public Task<IActionResult> Autotask(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "webhooks/autotask")] HttpRequest request, CancellationToken cancellationToken) =>
        ReceiveAsync(PsaVendors.Autotask, request, cancellationToken);

    [Function("halopsaWebhook")]
    public Task<IActionResult> HaloPsa(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "webhooks/halopsa")] HttpRequest request, CancellationToken cancellationToken) =>
        ReceiveAsync(PsaVendors.HaloPsa, request, cancellationToken);

    private async Task<IActionResult> ReceiveAsync(string source, HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (intake.NotConfigured(source) is { } notConfigured) return HttpJson.Error(StatusCodes.Status404NotFound, notConfigured);
        string? Header(string name) => request.Headers.TryGetValue(name, out var v) && v.Count == 1 ? v[0] : null;
        if (intake.BeforeBody(source, Header) != AuthFailure.None) return Unauthorized();
        if (!AcceptableType(source, request.ContentType))
            return HttpJson.Error(StatusCodes.Status415UnsupportedMediaType, "content type must be application/json");

        var body = await WebhookBody.ReadAsync(request, WebhookIntake.MaxBodyBytes, cancellationToken);
        if (body.Refusal is not null) return body.Refusal;
        try
        {
            var caller = request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "";
            return await intake.ReceiveAsync(source, body.Bytes, Header, caller, cancellationToken) switch
            {
                WebhookResult.Accepted a => HttpJson.Json(StatusCodes.Status202Accepted, new { eventId = a.EventId, accepted = true }),
                WebhookResult.Duplicate d => HttpJson.Json(StatusCodes.Status200OK, new { eventId = d.EventId, duplicate = true }),
                WebhookResult.Unauthorized => Unauthorized(),
                WebhookResult.Invalid i => HttpJson.Error(StatusCodes.Status400BadRequest, i.Error),
                _ => throw new InvalidOperationException("unknown webhook result"),
            };
        }
        catch (Exception e) when (StorageOutage.IsOutage(e))
        {
            return StorageOutage.Answer(request);
        }
    }

    private static IActionResult Unauthorized() => HttpJson.Error(StatusCodes.Status401Unauthorized, "unauthorized");

    /// <summary>
    /// The generic webhook takes JSON only (<c>application/json</c> or <c>+json</c>); a PSA's
    /// delivery may come without a type or as text (Halo lets its users pick), never as a form.
    /// </summary>
    private static bool AcceptableType(string source, string? contentType)
    {
        if (string.IsNullOrEmpty(contentType)) return source != WebhookIntake.Generic;
        if (!MediaTypeHeaderValue.TryParse(contentType, out var type) || type.MediaType.Value is not { } media) return false;
        var json = media.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
        return json || (source != WebhookIntake.Generic && media.Equals("text/plain", StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>Reads a webhook's raw bytes, bounded as they arrive.</summary>
public static class WebhookBody
{
    public sealed record Read(ReadOnlyMemory<byte> Bytes, IActionResult? Refusal);

    /// <summary>
    /// At most <paramref name="limit"/> bytes: the declared length is checked before anything is
    /// read, the server is told the route's limit (Kestrel then refuses the rest of a lying
    /// chunked body itself), and the read stops one byte past the limit.
    /// </summary>
    public static async Task<Read> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var tooLarge = new Read(default, HttpJson.Error(StatusCodes.Status413PayloadTooLarge, $"request body is larger than {limit} bytes"));
        if (request.ContentLength > limit) return tooLarge;
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } max) max.MaxRequestBodySize = limit + 1;
        var buffer = new byte[Math.Min(limit + 1, (int?)request.ContentLength + 1 ?? 16 * 1024)];
        var total = 0;
        try
        {
            while (true)
            {
                if (total == buffer.Length)
                {
                    if (buffer.Length > limit) break;
                    Array.Resize(ref buffer, Math.Min(buffer.Length * 2, limit + 1));
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(total), cancellationToken);
                if (read == 0) break;
                total += read;
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return tooLarge;
        }
        if (total > limit) return tooLarge;
        if (total == 0) return new Read(default, HttpJson.Error(StatusCodes.Status400BadRequest, "request body is empty; send a JSON object"));
        return new Read(buffer.AsMemory(0, total), null);
    }
}
