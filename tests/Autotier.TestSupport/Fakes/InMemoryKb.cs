using System.Collections.Concurrent;
using Autotier.Application.Ports;
using Autotier.Domain.Kb;

namespace Autotier.TestSupport.Fakes;

/// <summary>The knowledge base held in memory, same contract as <c>TableKbStore</c>; counts the reads of a client's articles.</summary>
public sealed class InMemoryKbStore : IKbStore
{
    private readonly ConcurrentDictionary<string, KbArticle> articles = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> outcomes = new(StringComparer.Ordinal);
    private int reads;

    /// <summary>How many times <see cref="ForClientAsync"/> was called.</summary>
    public int Reads => reads;

    /// <summary>While set, reads wait for it (to hold reads open and overlap them).</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>The next read throws this, once.</summary>
    public Exception? FailNextRead { get; set; }

    public Task EnsureCreatedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task PutAsync(KbArticle article, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(article);
        articles[article.Key] = article;
        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<KbArticle>> ForClientAsync(string clientId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref reads);
        if (Gate is { } gate) await gate.Task.WaitAsync(cancellationToken);
        if (FailNextRead is { } failure)
        {
            FailNextRead = null;
            throw failure;
        }
        return [.. articles.Values.Where(a => a.IsGeneral || a.ClientId == clientId).OrderBy(a => a.Key, StringComparer.Ordinal)];
    }

    public Task<IReadOnlyList<KbArticle>> AllAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<KbArticle>>([.. articles.Values.OrderBy(a => a.Key, StringComparer.Ordinal)]);

    public Task RecordOutcomeAsync(string clientId, string articleId, bool fixedIt, string key, CancellationToken cancellationToken)
    {
        if (!outcomes.TryAdd($"{clientId}|{articleId}|{key}", 0)) return Task.CompletedTask;
        var found = articles.TryGetValue($"{clientId}/{articleId}", out var own) ? own
            : articles.TryGetValue($"{KbArticles.AllClients}/{articleId}", out var general) ? general : null;
        if (found is not null)
            articles[found.Key] = found with { Uses = found.Uses + 1, Successes = found.Successes + (fixedIt ? 1 : 0) };
        return Task.CompletedTask;
    }
}
