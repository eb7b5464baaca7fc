using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Autotier.Application.Psa;

namespace Autotier.Adapters.Psa;

/// <summary>How a PSA adapter calls its API: timeouts, retries and their bound.</summary>
public sealed record PsaHttpOptions
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Attempts of one call, the first included.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>The longest wait between attempts, whatever <c>Retry-After</c> asks for.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The wait between attempts (tests pass one that records and returns at once).</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;
}

/// <summary>
/// The HTTP layer the PSA adapters share (TypeScript restClient.ts): JSON in and out, a timeout per
/// call, throttling (429, <c>Retry-After</c> in seconds or as a date) and server errors retried with
/// back-off, every wait bounded. A call that creates something (<paramref name="Create"/>) is retried
/// only when the PSA said it did not take it (429): a timeout or a 5xx may have created it, and the
/// caller's own retry looks for it before creating again. Errors name the vendor, method, path
/// without its query (queries carry addresses) and status: never credentials, never bodies.
/// </summary>
internal sealed class PsaHttp(
    string vendor,
    HttpClient http,
    string baseUrl,
    Func<CancellationToken, Task<IReadOnlyList<KeyValuePair<string, string>>>> headers,
    PsaHttpOptions options,
    Func<bool>? onUnauthorized = null)
{
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public string Vendor => vendor;

    /// <summary>The answer's JSON, or null for an empty answer.</summary>
    public async Task<JsonElement?> JsonAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken, bool create = false)
    {
        using var response = await SendAsync(method, path, body, create, allowNotFound: false, cancellationToken);
        return await ReadAsync(response!, method, path, cancellationToken);
    }

    /// <summary>A form post (OAuth2 token requests): retried as a read, since asking for a token twice is harmless.</summary>
    public async Task<JsonElement?> FormAsync(string path, IReadOnlyDictionary<string, string> form, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, path, new FormBody(form), create: false, allowNotFound: false, cancellationToken);
        return await ReadAsync(response!, HttpMethod.Post, path, cancellationToken);
    }

    private sealed record FormBody(IReadOnlyDictionary<string, string> Fields);

    /// <summary>A read that answers 404 gives null rather than an error.</summary>
    public async Task<JsonElement?> MaybeAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, create: false, allowNotFound: true, cancellationToken);
        return response is null ? null : await ReadAsync(response, HttpMethod.Get, path, cancellationToken);
    }

    private async Task<JsonElement?> ReadAsync(HttpResponseMessage response, HttpMethod method, string path, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(text)) return null;
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new PsaApiException(vendor, (int)response.StatusCode, $"{vendor} {method} {PathOnly(path)} answered something that is not JSON", e);
        }
    }

    private async Task<HttpResponseMessage?> SendAsync(HttpMethod method, string path, object? body, bool create, bool allowNotFound, CancellationToken cancellationToken)
    {
        var url = baseUrl.TrimEnd('/') + path;
        var form = body as FormBody;
        var payload = body is null || form is not null ? null : JsonSerializer.Serialize(body, Json);
        var reauthorized = false;
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage? response = null;
            string failure;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(options.Timeout);
                try
                {
                    using var request = new HttpRequestMessage(method, url);
                    request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                    foreach (var header in await headers(timeout.Token)) request.Headers.TryAddWithoutValidation(header.Key, header.Value);
                    if (payload is not null) request.Content = new StringContent(payload, Encoding.UTF8, "application/json");
                    if (form is not null) request.Content = new FormUrlEncodedContent(form.Fields);
                    response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
                    if (response.IsSuccessStatusCode) return response;
                    if (allowNotFound && response.StatusCode == HttpStatusCode.NotFound)
                    {
                        response.Dispose();
                        return null;
                    }
                    failure = string.Create(CultureInfo.InvariantCulture, $"{vendor} {method} {PathOnly(path)} answered {(int)response.StatusCode}");
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    failure = $"{vendor} {method} {PathOnly(path)} timed out";
                }
                catch (HttpRequestException e)
                {
                    failure = $"{vendor} {method} {PathOnly(path)} failed: {e.HttpRequestError}";
                }
            }
            var status = response is null ? 0 : (int)response.StatusCode;
            // An expired or revoked OAuth token: fetched again once.
            if (status == 401 && !reauthorized && onUnauthorized?.Invoke() == true)
            {
                reauthorized = true;
                response!.Dispose();
                attempt--;
                continue;
            }
            var retryable = status == 429 || (!create && (status == 0 || status >= 500));
            if (!retryable || attempt >= options.MaxAttempts)
            {
                response?.Dispose();
                throw new PsaApiException(vendor, status, failure);
            }
            var asked = RetryAfter(response);
            response?.Dispose();
            var backoff = TimeSpan.FromMilliseconds(500 * Math.Pow(2, attempt - 1) * (0.5 + (Random.Shared.NextDouble() / 2)));
            var wait = asked ?? backoff;
            await options.Delay(wait > options.MaxDelay ? options.MaxDelay : wait, cancellationToken);
        }
    }

    /// <summary>Seconds or an HTTP date, as RFC 9110 allows; null when absent or unreadable.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        var header = response?.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }

    private static string PathOnly(string path)
    {
        var query = path.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? path : path[..query];
    }
}

/// <summary>Reading the PSAs' JSON defensively: ids come as numbers or strings, any field may be missing or null.</summary>
internal static class J
{
    public static string? Str(JsonElement? e, string name) =>
        e is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var v) ? Scalar(v) : null;

    public static string? Scalar(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Number => v.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    public static bool? Bool(JsonElement? e, string name) =>
        e is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    public static JsonElement? Obj(JsonElement? e, string name) =>
        e is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : null;

    public static IEnumerable<JsonElement> Items(JsonElement? e, string? name = null)
    {
        var list = name is null ? e : e is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var v) ? v : null;
        return list is { ValueKind: JsonValueKind.Array } a ? a.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Object).ToList() : [];
    }

    /// <summary>A PSA id as a number in request bodies (they are numeric in all three APIs); the text when it is not one.</summary>
    public static object Num(string id) => long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : id;

    public static string Escape(string value) => Uri.EscapeDataString(value);
}
