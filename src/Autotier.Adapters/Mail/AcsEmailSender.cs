using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Autotier.Application.Ports;
using Autotier.Domain.Mail;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Autotier.Adapters.Mail;

/// <summary>
/// Mail mode <c>acs</c>: Azure Communication Services' Email REST API
/// (<c>POST {endpoint}/emails:send?api-version=2023-03-31</c>, then the <c>Operation-Location</c> it
/// answers is polled until Succeeded or Failed), on Azure.Core's HTTP pipeline because
/// Azure.Communication.Email is not on the package feed. The pipeline's retry policy waits out 429
/// and 503 as their <c>Retry-After</c> says. Each send carries an <c>Operation-Id</c> derived from the
/// idempotency key, so a retry names the same send to ACS; ACS remembers it only for minutes, so
/// the ledger keeps each key that went, and a second run sends nothing.
/// </summary>
public sealed class AcsEmailSender : IEmailSender
{
    public const string ApiVersion = "2023-03-31";

    /// <summary>The token scope of a managed identity or other Entra credential (the double slash is ACS's).</summary>
    public const string Scope = "https://communication.azure.com//.default";

    private readonly Uri endpoint;
    private readonly HttpPipeline pipeline;
    private readonly TableSendLedger ledger;
    private readonly string senderAddress;
    private readonly string? replyTo;
    private readonly TimeProvider time;
    private readonly TimeSpan pollFor;

    private AcsEmailSender(Uri endpoint, HttpPipeline pipeline, TableSendLedger ledger, string senderAddress, string? replyTo, TimeProvider time, TimeSpan pollFor)
    {
        this.endpoint = endpoint;
        this.pipeline = pipeline;
        this.ledger = ledger;
        this.senderAddress = senderAddress;
        this.replyTo = replyTo;
        this.time = time;
        this.pollFor = pollFor;
    }

    /// <summary>With an Entra credential (the app's managed identity).</summary>
    public static AcsEmailSender WithCredential(Uri endpoint, TokenCredential credential, TableSendLedger ledger, string senderAddress, string? replyTo, TimeProvider time, AcsOptions? options = null)
    {
        options ??= new AcsOptions();
        var pipeline = HttpPipelineBuilder.Build(options, [], [new BearerTokenAuthenticationPolicy(credential, Scope)], new ResponseClassifier());
        return new(endpoint, pipeline, ledger, senderAddress, replyTo, time, options.PollFor);
    }

    /// <summary>With an access key, signed per request (<see cref="AcsHmacPolicy"/>, dated in real time: ACS refuses a date 15 minutes off).</summary>
    public static AcsEmailSender WithAccessKey(Uri endpoint, byte[] accessKey, TableSendLedger ledger, string senderAddress, string? replyTo, TimeProvider time, AcsOptions? options = null)
    {
        options ??= new AcsOptions();
        var pipeline = HttpPipelineBuilder.Build(options, [], [new AcsHmacPolicy(accessKey, TimeProvider.System)], new ResponseClassifier());
        return new(endpoint, pipeline, ledger, senderAddress, replyTo, time, options.PollFor);
    }

    /// <summary>
    /// A stable GUID per idempotency key (SHA-256, version 5 layout), as the TypeScript
    /// <c>operationIdFor</c> makes it, so both apps name the same mail with the same operation.
    /// </summary>
    public static string OperationIdFor(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var h = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        var variant = ((Convert.ToInt32(h[16..18], 16) & 0x3f) | 0x80).ToString("x2", System.Globalization.CultureInfo.InvariantCulture);
        return $"{h[..8]}-{h[8..12]}-5{h[13..16]}-{variant}{h[18..20]}-{h[20..32]}";
    }

    public async Task<SendResult> SendAsync(MailMessage message, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (await ledger.HasAsync(idempotencyKey, cancellationToken)) return new SendResult(Duplicate: true);
        var operationId = OperationIdFor(idempotencyKey);

        using var send = pipeline.CreateMessage();
        send.Request.Method = RequestMethod.Post;
        send.Request.Uri.Reset(endpoint);
        send.Request.Uri.AppendPath("/emails:send", escape: false);
        send.Request.Uri.AppendQuery("api-version", ApiVersion);
        send.Request.Headers.SetValue("Operation-Id", operationId);
        send.Request.Headers.SetValue("Content-Type", "application/json");
        send.Request.Content = RequestContent.Create(Encoding.UTF8.GetBytes(Body(message).ToJsonString()));
        await pipeline.SendAsync(send, cancellationToken);
        if (send.Response.Status != 202 || !send.Response.Headers.TryGetValue("Operation-Location", out var location))
            throw Refused(operationId, send.Response);

        var status = await PollAsync(new Uri(location), operationId, RetryAfter(send.Response), cancellationToken);
        await ledger.RecordAsync(idempotencyKey, "acs", operationId, status, time.GetUtcNow(), cancellationToken);
        return new SendResult(Duplicate: false);
    }

    /// <summary>
    /// Reads the operation until ACS says Succeeded or Failed. A send still running after
    /// <see cref="AcsOptions.PollFor"/> was accepted and is recorded as such: ACS delivers it, and its
    /// delivery report says how it went.
    /// </summary>
    private async Task<string> PollAsync(Uri location, string operationId, TimeSpan wait, CancellationToken cancellationToken)
    {
        // Real time, not the app's clock: under the virtual clock a fake one would never wake, and ACS
        // runs on real time whatever the app's clock says.
        var until = DateTimeOffset.UtcNow + pollFor;
        while (true)
        {
            await Task.Delay(wait, cancellationToken);
            using var poll = pipeline.CreateMessage();
            poll.Request.Method = RequestMethod.Get;
            poll.Request.Uri.Reset(location);
            await pipeline.SendAsync(poll, cancellationToken);
            if (poll.Response.Status != 200) throw Refused(operationId, poll.Response);
            var body = JsonNode.Parse(poll.Response.Content.ToString());
            var status = (string?)body?["status"] ?? "";
            switch (status)
            {
                case "Succeeded":
                    return status;
                case "Failed" or "Canceled":
                    throw new MailSendException($"ACS could not send mail {operationId}: {status}{ErrorCode(body)}");
                default:
                    if (DateTimeOffset.UtcNow + wait > until) return "Running";
                    wait = RetryAfter(poll.Response);
                    break;
            }
        }
    }

    private JsonObject Body(MailMessage message)
    {
        var body = new JsonObject
        {
            ["senderAddress"] = senderAddress,
            ["content"] = new JsonObject { ["subject"] = message.Subject, ["plainText"] = message.Text, ["html"] = message.Html },
            ["recipients"] = new JsonObject { ["to"] = new JsonArray { new JsonObject { ["address"] = message.To } } },
        };
        if ((message.ReplyTo ?? replyTo) is { Length: > 0 } reply)
            body["replyTo"] = new JsonArray { new JsonObject { ["address"] = reply } };
        return body;
    }

    private static TimeSpan RetryAfter(Response response) =>
        response.Headers.TryGetValue("Retry-After", out var value) && int.TryParse(value, out var seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(Math.Min(seconds, 60))
            : TimeSpan.FromSeconds(1);

    /// <summary>The status and ACS's error code: never its message, which can quote the recipient.</summary>
    private static MailSendException Refused(string operationId, Response response)
    {
        JsonNode? body = null;
        try
        {
            body = response.Content.ToMemory().IsEmpty ? null : JsonNode.Parse(response.Content.ToString());
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's page): the status alone says enough.
        }
        return new MailSendException($"ACS did not accept mail {operationId}: HTTP {response.Status}{ErrorCode(body)}") { Status = response.Status };
    }

    private static string ErrorCode(JsonNode? body) =>
        body?["error"]?["code"] is JsonValue code && code.TryGetValue<string>(out var text) && text.Length <= 60 ? $" ({text})" : "";
}

/// <summary>The pipeline's retries (429 and 503 waited out as Retry-After says) and how long a send is polled.</summary>
public sealed class AcsOptions : ClientOptions
{
    public AcsOptions()
    {
        Retry.MaxRetries = 5;
        Retry.Mode = RetryMode.Exponential;
        Retry.Delay = TimeSpan.FromSeconds(1);
        Retry.MaxDelay = TimeSpan.FromSeconds(60);
        // Request and response bodies hold addresses and mail text: never logged.
        Diagnostics.IsLoggingContentEnabled = false;
    }

    public TimeSpan PollFor { get; set; } = TimeSpan.FromSeconds(30);
}
