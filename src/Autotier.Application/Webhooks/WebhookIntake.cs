using System.Text;
using System.Text.Json;
using Autotier.Domain.Webhooks;
using Microsoft.Extensions.Logging;

namespace Autotier.Application.Webhooks;

/// <summary>
/// Every webhook takes the same path, as the TypeScript app's webhookIntake: what the headers alone
/// can refuse is refused before the body is read (no secret, unsigned, stale, a malformed
/// signature, wrong Basic credentials); then the body (413 past the route's limit, as bytes
/// arrive), authenticity (401, no detail to the caller, the reason in the log), the schema (400),
/// the delivery id claimed (a repeat answers 200 duplicate and nothing of it is processed), onto the
/// intake queue (the claim let go if that fails), 202 at once. The ticket is made from the queue.
/// </summary>
public sealed partial class WebhookIntake(
    WebhookSettings settings, IDeliveryIds ids, IDeliveryInbox queue, ConnectWiseKeyCache connectWiseKeys, TimeProvider time, ILogger<WebhookIntake> logger)
{
    public const string Generic = "generic";

    /// <summary>How long a delivery id is remembered: PSAs retry failed deliveries for hours, not weeks.</summary>
    public static readonly TimeSpan RememberDeliveries = TimeSpan.FromDays(7);

    /// <summary>Largest webhook body accepted; larger deliveries get 413.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary>The route's source is connected here: the generic webhook always, a PSA only when it is the configured one.</summary>
    public string? NotConfigured(string source) =>
        source == Generic || source == settings.PsaVendor ? null : $"no {source} connection is configured";

    /// <summary>What the headers alone say: a refusal before any of the body is read, or null to read on.</summary>
    public AuthFailure BeforeBody(string source, Func<string, string?> header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var failure = source switch
        {
            Generic => settings.GenericSecrets.Count == 0 ? AuthFailure.NoSecretConfigured
                : string.IsNullOrEmpty(header("x-autotier-signature")) || string.IsNullOrEmpty(header("x-autotier-timestamp")) ? AuthFailure.NotSigned
                : WebhookAuth.VerifyGeneric([], header("x-autotier-timestamp"), "x", settings.GenericSecrets, time.GetUtcNow()) == AuthFailure.StaleTimestamp ? AuthFailure.StaleTimestamp
                : WebhookAuth.StrictBase64(header("x-autotier-signature")) is { Length: 32 } ? AuthFailure.None : AuthFailure.BadSignature,
            PsaVendors.Autotask => settings.PsaSecrets.Count == 0 ? AuthFailure.NoSecretConfigured
                : header("x-hook-signature") is not { } sig || !sig.StartsWith("sha1=", StringComparison.Ordinal) ? AuthFailure.NotSigned
                : WebhookAuth.StrictBase64(sig[5..]) is { Length: 20 } ? AuthFailure.None : AuthFailure.BadSignature,
            // Basic credentials are the whole proof: checked here, before a byte of the body.
            PsaVendors.HaloPsa => WebhookAuth.VerifyBasic(header("authorization"), settings.PsaSecrets),
            PsaVendors.ConnectWise => settings.PsaBaseUrl is null ? AuthFailure.NoSecretConfigured
                : string.IsNullOrEmpty(header("x-content-signature")) ? AuthFailure.NotSigned
                : WebhookAuth.ConnectWiseSignature(header("x-content-signature")) is null ? AuthFailure.BadSignature : AuthFailure.None,
            _ => AuthFailure.NoSecretConfigured,
        };
        if (failure != AuthFailure.None) LogRefused(logger, source, Reason(failure));
        return failure;
    }

    /// <summary>The whole check of a delivery read in full, then the schema, the claim and the queue.</summary>
    public async Task<WebhookResult> ReceiveAsync(string source, ReadOnlyMemory<byte> raw, Func<string, string?> header, string caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(header);
        var failure = await VerifyAsync(source, raw, header, caller, cancellationToken);
        if (failure != AuthFailure.None)
        {
            LogRefused(logger, source, Reason(failure));
            return new WebhookResult.Unauthorized(failure);
        }
        // Invalid UTF-8 becomes U+FFFD: the bytes were what was signed; the text is what is read.
        var text = Encoding.UTF8.GetString(raw.Span);
        string eventId;
        if (source == Generic)
        {
            var parsed = GenericWebhookEvent.Parse(raw);
            if (!parsed.Ok) return new WebhookResult.Invalid(parsed.Error);
            eventId = parsed.Value.EventId;
        }
        else
        {
            var parsed = PsaWebhookEvents.Parse(source, text);
            if (!parsed.Ok) return new WebhookResult.Invalid(parsed.Error);
            eventId = parsed.Value.EventId;
        }

        // The id is claimed first, atomically: a replay answered "duplicate" is not processed,
        // whatever body it carries. If the delivery cannot be queued after all, the claim is let
        // go, so the sender's retry is taken.
        var nonce = $"webhook:{source}:{eventId}";
        var now = time.GetUtcNow();
        if (!await ids.ClaimAsync(nonce, now + RememberDeliveries, cancellationToken))
        {
            var seen = LogSafe(eventId);
            LogDuplicate(logger, source, seen);
            return new WebhookResult.Duplicate(eventId);
        }
        try
        {
            // From here the caller going away must not leave a claim without a queued delivery.
            await queue.SendAsync(new WebhookDelivery { Source = source, EventId = eventId, Raw = text, ReceivedAt = now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture) }, CancellationToken.None);
        }
        catch
        {
            try
            {
                await ids.ReleaseAsync(nonce, CancellationToken.None);
            }
#pragma warning disable CA1031 // The original failure is the one to report; a failed release only means the retry is answered duplicate.
            catch (Exception e)
#pragma warning restore CA1031
            {
                var failed = LogSafe(eventId);
                LogReleaseFailed(logger, source, failed, e.GetType().Name);
            }
            throw;
        }
        var accepted = LogSafe(eventId);
        LogAccepted(logger, source, accepted);
        return new WebhookResult.Accepted(eventId);
    }

    private async Task<AuthFailure> VerifyAsync(string source, ReadOnlyMemory<byte> raw, Func<string, string?> header, string caller, CancellationToken cancellationToken)
    {
        switch (source)
        {
            case Generic:
                return WebhookAuth.VerifyGeneric(raw.Span, header("x-autotier-timestamp"), header("x-autotier-signature"), settings.GenericSecrets, time.GetUtcNow());
            case PsaVendors.Autotask:
                return WebhookAuth.VerifyAutotask(raw.Span, header("x-hook-signature"), settings.PsaSecrets);
            case PsaVendors.HaloPsa:
                return WebhookAuth.VerifyBasic(header("authorization"), settings.PsaSecrets);
            case PsaVendors.ConnectWise:
                return await VerifyConnectWiseAsync(raw, header("x-content-signature"), caller, cancellationToken);
            default:
                return AuthFailure.NoSecretConfigured;
        }
    }

    /// <summary>
    /// ConnectWise names its key's URL inside the (not yet trusted) body. Everything that can be
    /// checked without a fetch is checked first: the signature's form, the body's form, the key URL
    /// (the configured site's host, ConnectWise's callback-key page, a key id); then the keys already
    /// held (a body one of them signed is authentic whatever id it names); only then one fetch.
    /// </summary>
    private async Task<AuthFailure> VerifyConnectWiseAsync(ReadOnlyMemory<byte> raw, string? header, string caller, CancellationToken cancellationToken)
    {
        if (settings.PsaBaseUrl is null) return AuthFailure.NoSecretConfigured;
        var signature = WebhookAuth.ConnectWiseSignature(header);
        if (signature is null) return string.IsNullOrEmpty(header) ? AuthFailure.NotSigned : AuthFailure.BadSignature;
        string? keyUrl;
        try
        {
            using var document = JsonDocument.Parse(raw);
            keyUrl = document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("Metadata", out var m) && m.ValueKind == JsonValueKind.Object
                && m.TryGetProperty("key_url", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
        }
        catch (JsonException)
        {
            return AuthFailure.KeyUrlRefused;
        }
        var key = keyUrl is null ? null : WebhookAuth.ConnectWiseKeyUrl(keyUrl, settings.PsaBaseUrl);
        if (key is null) return AuthFailure.KeyUrlRefused;
        foreach (var (_, known) in connectWiseKeys.Known)
        {
            if (WebhookAuth.VerifyConnectWise(raw.Span, signature, known)) return AuthFailure.None;
        }
        var signingKey = await connectWiseKeys.GetAsync(key, caller, cancellationToken);
        if (signingKey is null) return AuthFailure.KeyUnavailable;
        return WebhookAuth.VerifyConnectWise(raw.Span, signature, signingKey) ? AuthFailure.None : AuthFailure.BadSignature;
    }

    /// <summary>Why, for the log: never the secret, never the signature.</summary>
    public static string Reason(AuthFailure failure) => failure switch
    {
        AuthFailure.NoSecretConfigured => "no secret is configured for this webhook",
        AuthFailure.NotSigned => "the request is not signed",
        AuthFailure.StaleTimestamp => "the timestamp is missing, malformed or more than 5 minutes away from now",
        AuthFailure.BadSignature => "the signature does not match",
        AuthFailure.KeyUrlRefused => "the signing key's URL is not one of the configured ConnectWise site's callback keys",
        AuthFailure.KeyUnavailable => "the signing key could not be had",
        _ => "authentic",
    };

    /// <summary>An id from outside, for a log line: bounded and with control characters escaped.</summary>
    public static string LogSafe(string value, int max = 120)
    {
        ArgumentNullException.ThrowIfNull(value);
        var cut = value.Length > max ? $"{value[..max]}…({value.Length} chars)" : value;
        return JsonSerializer.Serialize(cut)[1..^1];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Source} webhook refused (401): {Reason}")]
    private static partial void LogRefused(ILogger logger, string source, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Source} webhook: event {EventId} seen before")]
    private static partial void LogDuplicate(ILogger logger, string source, string eventId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Source} webhook: event {EventId} accepted")]
    private static partial void LogAccepted(ILogger logger, string source, string eventId);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Source} webhook: event {EventId} could not be queued and its claim could not be let go ({Error}); a retry will be answered duplicate")]
    private static partial void LogReleaseFailed(ILogger logger, string source, string eventId, string error);
}

public abstract record WebhookResult
{
    private WebhookResult() { }

    public sealed record Accepted(string EventId) : WebhookResult;

    public sealed record Duplicate(string EventId) : WebhookResult;

    public sealed record Unauthorized(AuthFailure Why) : WebhookResult;

    public sealed record Invalid(string Error) : WebhookResult;
}
