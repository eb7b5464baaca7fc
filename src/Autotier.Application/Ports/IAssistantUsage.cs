using Autotier.Domain.Assistant;

namespace Autotier.Application.Ports;

/// <summary>
/// Calls, tokens and fallbacks per client and UTC day: the daily budget reads it, so it must be shared
/// by every instance (a table in Azure). Rows hold counts and a reason word, never a prompt or an answer.
/// </summary>
public interface IAssistantUsage
{
    /// <summary>Tokens the client used on that UTC day (YYYY-MM-DD).</summary>
    Task<long> TokensOnAsync(string clientId, string day, CancellationToken cancellationToken);

    /// <summary>Records one use once per key: a retried activity overwrites its own row rather than count twice.</summary>
    Task RecordAsync(AssistantUsage usage, CancellationToken cancellationToken);

    /// <summary>Sums over the UTC days the range [since, until) touches: the metrics' <c>llm</c> block.</summary>
    Task<AssistantTotals> TotalsAsync(string clientId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken);
}

/// <summary>Requests sent, tokens used, and uses that fell back to autotier's own rules.</summary>
public sealed record AssistantTotals(long Calls, long Tokens, long Fallbacks);

/// <param name="Key">Idempotency key: (ticket, step), with the use appended.</param>
/// <param name="Calls">1 when a request was sent, 0 when it was not (budget, breaker).</param>
/// <param name="Reason">Why it fell back: budget, breaker, timeout, http 500, invalid, ...; null when answered.</param>
public sealed record AssistantUsage(
    string ClientId, string Day, string Key, AssistantUse Use, int Calls, int Tokens, bool Fallback, string? Reason);
