using System.Collections.Concurrent;
using Autotier.Application.Ports;
using Autotier.Domain.Clients;
using Autotier.Domain.Kb;

namespace Autotier.Application.Kb;

/// <summary>
/// The knowledge base as the ticket path reads it: a client's articles (its own partition and the
/// <c>*</c> one) read at most once every <see cref="MaxAge"/>, with their search index built once per
/// read, as the TypeScript app keeps them (<c>CLIENT_SETTINGS_MAX_AGE_MS</c>): every guide a playbook
/// sends needs them, and this makes that one read per client every few seconds. An article changed
/// in another process (the CLI, another instance) is used within 5 s; one put through this instance
/// at once. Success counts may lag as long (they only weigh in ranking).
/// </summary>
public sealed class KnowledgeBase(IKbStore store, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    private sealed record Entry(long ReadAt, Task<KbIndex> Index);

    /// <summary>The client's articles and their index; reads that overlap share one read.</summary>
    public Task<KbIndex> ForClientAsync(string clientId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        while (true)
        {
            if (entries.TryGetValue(clientId, out var known)
                && known.Index is { IsFaulted: false, IsCanceled: false }
                && time.GetElapsedTime(known.ReadAt) < MaxAge)
                return known.Index.WaitAsync(cancellationToken);
            var entry = new Entry(time.GetTimestamp(), LoadAsync(clientId));
            var won = known is null ? entries.TryAdd(clientId, entry) : entries.TryUpdate(clientId, entry, known);
            if (!won) continue; // another caller started a read meanwhile: share it
            // A failed read is not kept (nor used above while it is still here): the next caller tries again.
            _ = entry.Index.ContinueWith(
                t => entries.TryRemove(new KeyValuePair<string, Entry>(clientId, entry)),
                CancellationToken.None, TaskContinuationOptions.NotOnRanToCompletion, TaskScheduler.Default);
            return entry.Index.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The best article of the category for the ticket, or null (the built-in guide is then the playbook's fallback).</summary>
    public async Task<KbArticle?> BestArticleAsync(ClientProfile client, string category, string ticketText, string? site, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return (await ForClientAsync(client.ClientId, cancellationToken)).Best(category, client, ticketText, site);
    }

    /// <summary>Software errors: the documented fix for the error the ticket names, or null (escalate; no generic guide).</summary>
    public async Task<KbArticle?> KnownErrorAsync(ClientProfile client, string ticketText, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return (await ForClientAsync(client.ClientId, cancellationToken)).KnownError(client, ticketText);
    }

    /// <summary>Stores the article; this instance uses it from the next read on.</summary>
    public async Task PutAsync(KbArticle article, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(article);
        await store.PutAsync(article, cancellationToken).ConfigureAwait(false);
        if (article.IsGeneral) entries.Clear();
        else entries.TryRemove(article.ClientId, out _);
    }

    public Task RecordOutcomeAsync(string clientId, string articleId, bool fixedIt, string key, CancellationToken cancellationToken) =>
        store.RecordOutcomeAsync(clientId, articleId, fixedIt, key, cancellationToken);

    // Not the first caller's token: the read is shared, and one caller giving up must not fail the
    // others (each waits with its own token above). The storage client's own timeouts bound it.
    private Task<KbIndex> LoadAsync(string clientId) => Task.Run(async () =>
        KbIndex.Build(await store.ForClientAsync(clientId, CancellationToken.None).ConfigureAwait(false)));
}
