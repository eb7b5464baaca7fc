using System.Collections.Concurrent;
using Autotier.Domain.Webhooks;

namespace Autotier.Application.Webhooks;

/// <summary>Fetches one ConnectWise signing key (GET the callback-key URL with the API credentials): the key, or null.</summary>
public interface IConnectWiseKeySource
{
    Task<string?> FetchAsync(Uri keyUrl, CancellationToken cancellationToken);
}

/// <summary>
/// ConnectWise's signing keys, cached by key id. A key held is served from memory and never waits
/// on anything. A key not held is fetched once at a time per id; an id that could not be had is not
/// asked for again for ten minutes; and the fetches that find nothing are budgeted per caller (the
/// address the callback came from), not globally, so a flood of forged ids from strangers spends
/// their own budget and never blocks ConnectWise's genuine callbacks.
/// </summary>
public sealed class ConnectWiseKeyCache(IConnectWiseKeySource source, TimeProvider time)
{
    public static readonly TimeSpan KeyLifetime = TimeSpan.FromHours(1);
    public static readonly TimeSpan MissMemory = TimeSpan.FromMinutes(10);
    public const int MissesPerCallerPerMinute = 10;
    private const int MaxHeld = 1000;

    private readonly ConcurrentDictionary<string, (string Key, DateTimeOffset Until)> keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> misses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> fetching = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (long Minute, int Count)> budgets = new(StringComparer.Ordinal);

    /// <summary>How many fetches were made (for tests and the log).</summary>
    public int Fetches => fetches;

    private int fetches;

    public IReadOnlyCollection<KeyValuePair<string, string>> Known
    {
        get
        {
            var now = time.GetUtcNow();
            return keys.Where(k => k.Value.Until > now).Select(k => new KeyValuePair<string, string>(k.Key, k.Value.Key)).ToList();
        }
    }

    public Task<string?> GetAsync(ConnectWiseKeyRef key, CancellationToken cancellationToken) => GetAsync(key, "", cancellationToken);

    public async Task<string?> GetAsync(ConnectWiseKeyRef key, string caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var now = time.GetUtcNow();
        if (keys.TryGetValue(key.KeyId, out var held) && held.Until > now) return held.Key;
        if (misses.TryGetValue(key.KeyId, out var missUntil) && missUntil > now) return null;
        if (!HasBudget(caller, now)) return null;
        var gate = fetching.GetOrAdd(key.KeyId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            now = time.GetUtcNow();
            if (keys.TryGetValue(key.KeyId, out held) && held.Until > now) return held.Key;
            if (misses.TryGetValue(key.KeyId, out missUntil) && missUntil > now) return null;
            Interlocked.Increment(ref fetches);
            string? fetched;
            try
            {
                fetched = await source.FetchAsync(key.FetchUrl, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
            {
                fetched = null;
            }
            if (fetched is null)
            {
                Spend(caller, now);
                Trim(misses);
                misses[key.KeyId] = now + MissMemory;
                return null;
            }
            Trim(keys);
            keys[key.KeyId] = (fetched, now + KeyLifetime);
            return fetched;
        }
        finally
        {
            gate.Release();
            fetching.TryRemove(new KeyValuePair<string, SemaphoreSlim>(key.KeyId, gate));
        }
    }

    private bool HasBudget(string caller, DateTimeOffset now) =>
        !budgets.TryGetValue(caller, out var b) || b.Minute != Minute(now) || b.Count < MissesPerCallerPerMinute;

    private void Spend(string caller, DateTimeOffset now)
    {
        var minute = Minute(now);
        if (budgets.Count > MaxHeld) budgets.Clear();
        budgets.AddOrUpdate(caller, _ => (minute, 1), (_, b) => b.Minute == minute ? (minute, b.Count + 1) : (minute, 1));
    }

    private static long Minute(DateTimeOffset now) => now.ToUnixTimeSeconds() / 60;

    // Bounded memory whatever a flood sends: past the bound the oldest entries go.
    private static void Trim<T>(ConcurrentDictionary<string, T> map)
    {
        if (map.Count < MaxHeld) return;
        foreach (var k in map.Keys.Take(map.Count - MaxHeld + 1)) map.TryRemove(k, out _);
    }
}
