using Autotier.Domain.Kb;

namespace Autotier.Application.Ports;

/// <summary>The knowledge base's articles (Table Storage: <c>&lt;prefix&gt;Kb</c>).</summary>
public interface IKbStore
{
    /// <summary>Creates the table if it is missing (the CLI and the host's start call this, never the ticket path).</summary>
    Task EnsureCreatedAsync(CancellationToken cancellationToken);

    /// <summary>Stores the article under its client and id, replacing what was there: putting it twice is putting it once.</summary>
    Task PutAsync(KbArticle article, CancellationToken cancellationToken);

    /// <summary>The client's own articles and the general ones (<c>*</c>).</summary>
    Task<IReadOnlyList<KbArticle>> ForClientAsync(string clientId, CancellationToken cancellationToken);

    /// <summary>Every article of every client (export, import's merge).</summary>
    Task<IReadOnlyList<KbArticle>> AllAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Counts one use of the article (the client's own, else the general one of that id) and whether
    /// it fixed the problem; at most once per <paramref name="key"/> (a retried step counts once).
    /// Nothing happens when there is no such article.
    /// </summary>
    Task RecordOutcomeAsync(string clientId, string articleId, bool fixedIt, string key, CancellationToken cancellationToken);
}
