using System.Text.Json;
using Autotier.Application.Json;
using Autotier.Application.Ports;
using Autotier.Domain.Kb;
using Azure;
using Azure.Data.Tables;

namespace Autotier.Adapters.Tables;

/// <summary>
/// Knowledge-base articles in Table Storage, laid out as the TypeScript app's <c>TableKnowledgeBase</c>:
/// <list type="bullet">
/// <item><c>&lt;clientId&gt; / &lt;articleId&gt;</c>, <c>_all / &lt;articleId&gt;</c> for general articles: the article as JSON (column <c>article</c>);</item>
/// <item><c>_outcome|&lt;client or _all&gt; / &lt;articleId&gt;|&lt;key&gt;</c>: an outcome already counted (so a retried step counts once).</item>
/// </list>
/// No caching here: <see cref="Application.Kb.KnowledgeBase"/> keeps what the ticket path reads.
/// </summary>
public sealed class TableKbStore(TableClient table) : IKbStore
{
    private const string GeneralPartition = "_all";
    private const string OutcomePrefix = "_outcome|";
    private const string ArticleColumn = "article";
    private const int MaxConcurrencyAttempts = 20;

    private static string Partition(string clientId) =>
        clientId == KbArticles.AllClients ? GeneralPartition : TableKeys.Escape(clientId);

    public Task EnsureCreatedAsync(CancellationToken cancellationToken) => table.CreateIfNotExistsAsync(cancellationToken);

    public Task PutAsync(KbArticle article, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(article);
        return table.UpsertEntityAsync(ToEntity(Partition(article.ClientId), article), TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>
    /// One query per partition, at once: each is served from its partition, where a filter that ORs
    /// two partitions may scan the whole table (outcome markers included). General articles first,
    /// then the client's own, in table order as the TypeScript app lists them.
    /// </summary>
    public async Task<IReadOnlyList<KbArticle>> ForClientAsync(string clientId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        var partitions = new SortedSet<string>(StringComparer.Ordinal) { Partition(clientId), GeneralPartition };
        var lists = await Task.WhenAll(partitions.Select(p => QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {p}"), cancellationToken)));
        return [.. lists.SelectMany(l => l)];
    }

    public Task<IReadOnlyList<KbArticle>> AllAsync(CancellationToken cancellationToken) =>
        QueryAsync("RowKey ne ''", cancellationToken);

    public async Task RecordOutcomeAsync(string clientId, string articleId, bool fixedIt, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        ArgumentNullException.ThrowIfNull(articleId);
        ArgumentNullException.ThrowIfNull(key);
        // The marker is written first, so an outcome is counted at most once per key: a crash between
        // the two writes loses one count rather than doubling one on retry.
        try
        {
            await table.AddEntityAsync(
                new TableEntity(OutcomePrefix + Partition(clientId), TableKeys.Escape($"{articleId}|{key}")), cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return; // this outcome was already counted
        }
        for (var attempt = 0; attempt < MaxConcurrencyAttempts; attempt++)
        {
            var found = await FindAsync(Partition(clientId), articleId, cancellationToken)
                ?? await FindAsync(GeneralPartition, articleId, cancellationToken);
            if (found is null) return;
            var (entity, article) = found.Value;
            var next = article with { Uses = article.Uses + 1, Successes = article.Successes + (fixedIt ? 1 : 0) };
            try
            {
                // Optimistic concurrency: another count in between fails this write (412), and it is redone on the newer row.
                await table.UpdateEntityAsync(ToEntity(entity.PartitionKey, next), entity.ETag, TableUpdateMode.Replace, cancellationToken);
                return;
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
            }
        }
        throw new InvalidOperationException($"knowledge-base article {articleId}: too many concurrent updates");
    }

    private async Task<(TableEntity Entity, KbArticle Article)?> FindAsync(string partition, string articleId, CancellationToken cancellationToken)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(partition, TableKeys.Escape(articleId), cancellationToken: cancellationToken);
        return row.HasValue ? (row.Value!, Read(row.Value!)) : null;
    }

    private async Task<IReadOnlyList<KbArticle>> QueryAsync(string filter, CancellationToken cancellationToken)
    {
        var list = new List<KbArticle>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (row.PartitionKey.StartsWith(OutcomePrefix, StringComparison.Ordinal)) continue;
            list.Add(Read(row));
        }
        return list;
    }

    private static TableEntity ToEntity(string partition, KbArticle article) =>
        new(partition, TableKeys.Escape(article.ArticleId)) { [ArticleColumn] = JsonSerializer.Serialize(article, AutotierJson.Options) };

    private static KbArticle Read(TableEntity row) =>
        JsonSerializer.Deserialize<KbArticle>(row.GetString(ArticleColumn), AutotierJson.Options)
        ?? throw new InvalidDataException($"knowledge-base row {row.PartitionKey}/{row.RowKey} holds no article");
}
