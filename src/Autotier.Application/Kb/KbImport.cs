using Autotier.Application.Ports;
using Autotier.Domain.Kb;

namespace Autotier.Application.Kb;

/// <summary>
/// Importing articles (the CLI's <c>kb import</c>, the local host's starter articles): every article
/// is put under its client and id, keeping the uses and successes an article of that key has earned,
/// so importing the same folder twice changes nothing.
/// </summary>
public static class KbImport
{
    /// <summary>Puts the articles; returns how many. Callers check every file before calling (nothing is written on bad input).</summary>
    public static async Task<int> ImportAsync(IKbStore store, IReadOnlyList<KbArticle> articles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(articles);
        var duplicate = articles.GroupBy(a => a.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"two articles have the id {duplicate.Key}", nameof(articles));
        var existing = (await store.AllAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(a => a.Key, StringComparer.Ordinal);
        foreach (var article in articles)
        {
            var put = existing.TryGetValue(article.Key, out var before)
                ? article with { Uses = before.Uses, Successes = before.Successes }
                : article;
            await store.PutAsync(put, cancellationToken).ConfigureAwait(false);
        }
        return articles.Count;
    }
}
