using System.ClientModel.Primitives;
using System.Globalization;

namespace Autotier.Adapters.Assistant;

/// <summary>
/// The SDK's retry policy narrowed to what a ticket can wait for (as the TypeScript adapter did): only
/// a 429 is retried, only when its Retry-After is at most <c>maxWait</c>, at most <c>maxRetries</c>
/// times. Anything else (5xx, timeouts, a long Retry-After) fails at once and autotier goes on with its
/// own rules; the SDK's default would back off and retry 5xx and timeouts for seconds.
/// </summary>
internal sealed class RetryAfterPolicy : ClientRetryPolicy
{
    private readonly TimeSpan maxWait;
    private readonly TimeProvider time;
    private readonly Func<TimeSpan, CancellationToken, Task>? wait;

    public RetryAfterPolicy(int maxRetries, TimeSpan maxWait, TimeProvider time, Func<TimeSpan, CancellationToken, Task>? wait = null)
        : base(maxRetries)
    {
        this.maxWait = maxWait;
        this.time = time;
        this.wait = wait;
    }

    protected override bool ShouldRetry(PipelineMessage message, Exception? exception) =>
        exception is null
        && message.Response is { Status: 429 } response
        && RetryAfter(response, time.GetUtcNow()) is { } delay
        && delay <= maxWait
        // The base counts the tries against maxRetries (the count itself is not public).
        && base.ShouldRetry(message, exception);

    protected override ValueTask<bool> ShouldRetryAsync(PipelineMessage message, Exception? exception) =>
        new(ShouldRetry(message, exception));

    protected override TimeSpan GetNextDelay(PipelineMessage message, int tryCount) =>
        message.Response is { } response && RetryAfter(response, time.GetUtcNow()) is { } delay ? delay : maxWait;

    protected override Task WaitAsync(TimeSpan time, CancellationToken cancellationToken) =>
        wait?.Invoke(time, cancellationToken) ?? Task.Delay(time, this.time, cancellationToken);

    protected override void Wait(TimeSpan time, CancellationToken cancellationToken) =>
        WaitAsync(time, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Retry-After: <c>retry-after-ms</c> (Azure OpenAI's), or <c>retry-after</c> in seconds or as an HTTP date.</summary>
    internal static TimeSpan? RetryAfter(PipelineResponse response, DateTimeOffset now)
    {
        foreach (var name in new[] { "retry-after-ms", "x-ms-retry-after-ms" })
            if (response.Headers.TryGetValue(name, out var ms)
                && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds >= 0)
                return TimeSpan.FromMilliseconds(milliseconds);
        if (!response.Headers.TryGetValue("retry-after", out var value) || string.IsNullOrWhiteSpace(value)) return null;
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
            return TimeSpan.FromSeconds(seconds);
        return DateTimeOffset.TryParseExact(value.Trim(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? (at > now ? at - now : TimeSpan.Zero)
            : null;
    }
}
