using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Autotier.Adapters.Durable;
using Autotier.Application.Mail;
using Autotier.Domain.Mail;
using Autotier.Functions.Http;
using Autotier.Workflow;
using Azure;
using Azure.Messaging.EventGrid;
using Azure.Messaging.EventGrid.SystemEvents;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Autotier.Functions.Mail;

/// <summary>
/// Mail intake over HTTP: raw MIME and SendGrid Inbound Parse, Microsoft Graph change
/// notifications, ACS delivery reports. The HTTP functions only check, store and queue; the mail
/// queue's function parses (HTML can be pathological, and no mail may stall the other routes).
/// </summary>
public sealed partial class MailFunctions(
    MailRouteSettings settings,
    IMailStore store,
    IMailInbox queue,
    GraphNotifications graph,
    DeliveryReports reports,
    TimeProvider time,
    ILogger<MailFunctions> logger)
{
    /// <summary>Largest Graph notification or Event Grid delivery read.</summary>
    private const int MaxNotificationBytes = 1024 * 1024;

    [GeneratedRegex(@"^[\x21-\x39\x3b-\x7e]+:", RegexOptions.Multiline | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 250)]
    private static partial Regex HeaderLine { get; }

    [Function("mailInbound")]
    public async Task<IActionResult> Inbound(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "mail/inbound")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (settings.InboundSecrets.Count == 0) return HttpJson.Error(StatusCodes.Status404NotFound, "mail intake is not configured");
        // Credentials first: nobody gets to make us read 25 MB without them.
        if (!MailHttp.VerifyBasic(request.Headers.Authorization.ToString(), settings.InboundSecrets))
            return HttpJson.Error(StatusCodes.Status401Unauthorized, "unauthorized");
        // Multipart boundaries are case-sensitive (SendGrid's is xYzZY): only the media type is
        // compared without case; the boundary is taken as it came.
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || type.MediaType.Value is not { } media)
            return HttpJson.Error(StatusCodes.Status415UnsupportedMediaType, "content-type: send message/rfc822, text/plain or multipart/form-data");
        var multipart = media.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase);
        if (!multipart && !media.Equals("message/rfc822", StringComparison.OrdinalIgnoreCase) && !media.Equals("text/plain", StringComparison.OrdinalIgnoreCase)
            && !media.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase))
            return HttpJson.Error(StatusCodes.Status415UnsupportedMediaType, "content-type: send message/rfc822, text/plain or multipart/form-data");
        var (body, refusal) = await MailHttp.ReadAsync(request, InboundMailRules.MaxMailBytes, cancellationToken);
        if (refusal is not null) return refusal;

        byte[]? mime = body;
        if (multipart)
        {
            var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
            if (string.IsNullOrEmpty(boundary)) return HttpJson.Error(StatusCodes.Status400BadRequest, "the multipart form has no boundary");
            try
            {
                mime = await EmailField(boundary, body!, cancellationToken);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or FormatException)
            {
                return HttpJson.Error(StatusCodes.Status400BadRequest, "the multipart form could not be read");
            }
        }
        if (mime is null || mime.Length == 0)
            return HttpJson.Error(StatusCodes.Status400BadRequest, "no mail in the request: send raw MIME, or a form with an email field");
        var head = Encoding.Latin1.GetString(mime, 0, Math.Min(mime.Length, 4096));
        if (LooksLikeJson(mime)) return HttpJson.Error(StatusCodes.Status400BadRequest, "the body is JSON, not a mail: send the raw MIME of the mail");
        if (!HeaderLine.IsMatch(head)) return HttpJson.Error(StatusCodes.Status400BadRequest, "the body is not a MIME message (no header lines)");

        string blob;
        try
        {
            blob = await store.PutRawAsync(mime, cancellationToken);
            await queue.EnqueueAsync(new MailIntakeMessage("mail", blob[4..68], blob, null, time.GetUtcNow()), cancellationToken);
        }
        catch (Exception e) when (IsStorageDown(e))
        {
            LogStorage(logger, "mailInbound", Status(e));
            return MailHttp.Unavailable(request);
        }
        LogAccepted(logger, mime.Length);
        return HttpJson.Json(StatusCodes.Status202Accepted, new { accepted = true, id = blob[4..68] });
    }

    [Function("mailGraph")]
    public Task<IActionResult> GraphNotification(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "mail/graph")] HttpRequest request,
        CancellationToken cancellationToken) =>
        FromGraphAsync(request, "mailGraph", graph.NotifyAsync, cancellationToken);

    [Function("mailGraphLifecycle")]
    public Task<IActionResult> GraphLifecycle(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "mail/graph/lifecycle")] HttpRequest request,
        CancellationToken cancellationToken) =>
        FromGraphAsync(request, "mailGraphLifecycle", graph.LifecycleAsync, cancellationToken);

    /// <summary>
    /// What Graph posts (change and lifecycle notifications alike): the validation handshake
    /// answered, the body bounded, then handled; storage trouble answers 503 so Graph sends again.
    /// </summary>
    private async Task<IActionResult> FromGraphAsync(
        HttpRequest request, string function, Func<ReadOnlyMemory<byte>, CancellationToken, Task<Application.Mail.GraphNotificationResult>> handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Handshake(request) is { } echo) return echo;
        if (!settings.Graph.Configured) return HttpJson.Error(StatusCodes.Status404NotFound, "Graph mail intake is not configured");
        var (body, refusal) = await MailHttp.ReadAsync(request, MaxNotificationBytes, cancellationToken);
        if (refusal is not null) return refusal;
        try
        {
            var result = await handle(body!, cancellationToken);
            return result.Error is { } error ? HttpJson.Error(result.Status, error) : new StatusCodeResult(result.Status);
        }
        catch (Exception e) when (IsStorageDown(e))
        {
            LogStorage(logger, function, Status(e));
            return MailHttp.Unavailable(request);
        }
    }

    /// <summary>
    /// ACS email delivery reports, through an Event Grid webhook subscription (the Event Grid
    /// worker extension is not available): the validation handshake answered, each report recorded.
    /// </summary>
    [Function("acsDeliveryReport")]
    public async Task<IActionResult> DeliveryReport(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "mail/delivery-reports")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (body, refusal) = await MailHttp.ReadAsync(request, MaxNotificationBytes, cancellationToken);
        if (refusal is not null) return refusal;
        EventGridEvent[] events;
        try
        {
            events = EventGridEvent.ParseMany(BinaryData.FromBytes(body!));
        }
        catch (Exception e) when (e is JsonException or ArgumentException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            return HttpJson.Error(StatusCodes.Status400BadRequest, "body must be an array of Event Grid events");
        }
        var recorded = 0;
        foreach (var e in events)
        {
            object? data;
            try
            {
                if (!e.TryGetSystemEventData(out data)) continue;
            }
            catch (Exception ex) when (ex is JsonException or ArgumentException or FormatException or InvalidOperationException)
            {
                return HttpJson.Error(StatusCodes.Status400BadRequest, "an event's data could not be read");
            }
            switch (data)
            {
                case SubscriptionValidationEventData validation:
                    return HttpJson.Json(StatusCodes.Status200OK, new { validationResponse = validation.ValidationCode });
                case AcsEmailDeliveryReportReceivedEventData report when report.MessageId is { Length: > 0 } id && report.Status is { } status:
                    try
                    {
                        await reports.RecordAsync(new DeliveryReport(id, status.ToString(), report.Recipient ?? "", report.DeliveryStatusDetails?.StatusMessage), cancellationToken);
                    }
                    catch (Exception ex) when (IsStorageDown(ex))
                    {
                        LogStorage(logger, "acsDeliveryReport", Status(ex));
                        return MailHttp.Unavailable(request);
                    }
                    recorded++;
                    break;
            }
        }
        return HttpJson.Json(StatusCodes.Status200OK, new { recorded });
    }

    /// <summary>Graph's subscription handshake: <c>?validationToken=</c> echoed as text/plain, at once.</summary>
    private static ContentResult? Handshake(HttpRequest request) =>
        request.Query.TryGetValue("validationToken", out var token) && token.Count > 0
            ? new ContentResult { StatusCode = StatusCodes.Status200OK, ContentType = "text/plain", Content = token.ToString() }
            : null;

    /// <summary>The <c>email</c> field of a SendGrid Inbound Parse form (raw mode), as bytes.</summary>
    private static async Task<byte[]?> EmailField(string boundary, byte[] body, CancellationToken cancellationToken)
    {
        var reader = new MultipartReader(boundary, new MemoryStream(body, writable: false));
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                || !string.Equals(HeaderUtilities.RemoveQuotes(disposition.Name).Value, "email", StringComparison.Ordinal))
                continue;
            using var copy = new MemoryStream();
            await section.Body.CopyToAsync(copy, cancellationToken);
            return copy.ToArray();
        }
        return null;
    }

    /// <summary>
    /// Storage refused or could not be reached: the SDK's own error, or its retries given up
    /// (an AggregateException of them), or the connection itself.
    /// </summary>
    private static bool IsStorageDown(Exception e) => e switch
    {
        RequestFailedException => true,
        HttpRequestException or TimeoutException => true,
        AggregateException a => a.InnerExceptions.All(IsStorageDown),
        _ => false,
    };

    private static int Status(Exception e) => e switch
    {
        RequestFailedException r => r.Status,
        AggregateException a when a.InnerExceptions.FirstOrDefault() is { } inner => Status(inner),
        _ => 0,
    };

    private static bool LooksLikeJson(byte[] mime)
    {
        var i = 0;
        if (mime.Length >= 3 && mime[0] == 0xEF && mime[1] == 0xBB && mime[2] == 0xBF) i = 3;
        while (i < mime.Length && mime[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') i++;
        if (i >= mime.Length || mime[i] is not ((byte)'{' or (byte)'[')) return false;
        try
        {
            using var _ = JsonDocument.Parse(mime.AsMemory(i));
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "mail intake: accepted {Bytes} bytes")]
    private static partial void LogAccepted(ILogger logger, int bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Function}: storage refused ({Status}); answered 503")]
    private static partial void LogStorage(ILogger logger, string function, int status);
}

/// <summary>The mail routes' settings: AUTOTIER_MAIL_INTAKE_SECRETS (Basic <c>user:password</c> pairs, comma separated; none: intake off) and Graph's.</summary>
public sealed record MailRouteSettings(IReadOnlyList<string> InboundSecrets, GraphMailSettings Graph);

/// <summary>The mail queue: parses and places each accepted mail, off the HTTP path.</summary>
public sealed class MailIntakeFunction(MailIntake intake)
{
    public const string Queue = "%AUTOTIER_INTAKE_QUEUE%-mail";

    [Function("mailIntake")]
    public async Task Run(
        [QueueTrigger(Queue, Connection = "AzureWebJobsStorage")] MailIntakeMessage message,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        // Retrying cannot make a mail of a message that names none; the poison queue is for messages that might succeed.
        if (message is not { Source: "mail" or "graph", EventId.Length: > 0 }) return;
        await intake.HandleAsync(message, new DurableTicketWorkflow(durable, OrchestrationNames.Ticket), cancellationToken);
    }
}

/// <summary>Keeps the support mailbox's Graph subscription alive: checked hourly (as the TypeScript timer), renewed with 2 of its 4 days left.</summary>
public sealed class KeepGraphSubscriptionFunction(GraphSubscriptionKeeper keeper)
{
    [Function("graphSubscription")]
    public Task Run([TimerTrigger("0 5 * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        keeper.KeepAsync(force: false, cancellationToken);
}
