using Autotier.Adapters.Tables;
using Autotier.Application.Kb;
using Autotier.Domain.Classification;
using Autotier.Domain.Kb;
using Autotier.TestSupport.Azurite;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Autotier.IntegrationTests.Adapters;

[Collection(AzuriteFixture.Collection)]
public sealed class TableKbStoreTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Updated = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    private static KbArticle Article(string clientId, string articleId, string title = "Reconnect") =>
        new(articleId, clientId, Categories.VpnRemoteAccess, title, ["Reconnect"], ["vpn"], [], null, 0, 0, Updated);

    private async Task<(TableKbStore Store, List<string> Filters, TableClient Table)> StoreAsync()
    {
        var filters = new List<string>();
        var options = new TableClientOptions();
        options.AddPolicy(new QueryFilters(filters), HttpPipelinePosition.PerCall);
        var table = new TableServiceClient(azurite.ConnectionString, options).GetTableClient(AzuriteNames.Table("kb"));
        var store = new TableKbStore(table);
        await store.EnsureCreatedAsync(default);
        return (store, filters, table);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_clients_articles_are_its_own_and_the_general_ones_read_a_partition_at_a_time()
    {
        var (store, filters, _) = await StoreAsync();
        await store.PutAsync(Article("*", "general"), default);
        await store.PutAsync(Article("acme", "own"), default);
        await store.PutAsync(Article("globex", "theirs"), default);
        await store.RecordOutcomeAsync("acme", "own", true, "T-1.playbook-1", default);
        filters.Clear();

        var acme = await store.ForClientAsync("acme", default);

        Assert.Equal(["general", "own"], acme.Select(a => a.ArticleId));
        Assert.Equal(["PartitionKey eq '_all'", "PartitionKey eq 'acme'"], filters.Order(StringComparer.Ordinal));
        Assert.Equal(["general", "theirs"], (await store.ForClientAsync("globex", default)).Select(a => a.ArticleId));
        Assert.Equal(["general", "own", "theirs"], (await store.AllAsync(default)).Select(a => a.ArticleId).Order(StringComparer.Ordinal));
        var own = acme.Single(a => a.ArticleId == "own");
        Assert.Equal((1, 1, Updated), (own.Uses, own.Successes, own.UpdatedAt));
        Assert.Equal(["Reconnect"], own.Steps);
    }

    [Fact(Timeout = 60_000)]
    public async Task Putting_an_article_again_replaces_it()
    {
        var (store, _, _) = await StoreAsync();
        await store.PutAsync(Article("acme", "own"), default);
        await store.PutAsync(Article("acme", "own", "New title"), default);
        await store.PutAsync(Article("acme", "own", "New title"), default);

        var article = Assert.Single(await store.AllAsync(default));
        Assert.Equal("New title", article.Title);
    }

    [Fact(Timeout = 60_000)]
    public async Task Outcomes_are_counted_once_per_key_even_at_once_on_the_clients_own_article_else_the_general_one()
    {
        var (store, _, _) = await StoreAsync();
        await store.PutAsync(Article("*", "password-sspr"), default);

        await Task.WhenAll(
            store.RecordOutcomeAsync("demo", "password-sspr", true, "T-1", default),
            store.RecordOutcomeAsync("demo", "password-sspr", true, "T-1", default),
            store.RecordOutcomeAsync("demo", "password-sspr", false, "T-2", default),
            store.RecordOutcomeAsync("globex", "password-sspr", true, "T-3", default),
            store.RecordOutcomeAsync("demo", "password-sspr", true, "T-4", default),
            store.RecordOutcomeAsync("demo", "no-such-article", true, "T-5", default));

        var sspr = Assert.Single(await store.AllAsync(default));
        Assert.Equal((4, 3), (sspr.Uses, sspr.Successes));

        await store.PutAsync(Article("demo", "password-sspr"), default); // the client's own copy now
        await store.RecordOutcomeAsync("demo", "password-sspr", true, "T-6", default);
        var all = await store.AllAsync(default);
        Assert.Equal((1, 1), (all.Single(a => a.ClientId == "demo").Uses, all.Single(a => a.ClientId == "demo").Successes));
        Assert.Equal(4, all.Single(a => a.IsGeneral).Uses);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_article_is_stored_as_the_TypeScript_app_stores_it()
    {
        var (store, _, table) = await StoreAsync();
        await store.PutAsync(Article("*", "general") with { Variant = new KbVariant(VpnProduct: "FortiClient") }, default);

        var row = (await table.GetEntityAsync<TableEntity>("_all", "general")).Value;
        var json = row.GetString("article");
        Assert.Contains("\"articleId\":\"general\",\"clientId\":\"*\",\"category\":\"vpn_remote_access\"", json, StringComparison.Ordinal);
        Assert.Contains("\"variant\":{\"vpnProduct\":\"FortiClient\"}", json, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_knowledge_base_reads_storage_once_for_5_seconds_and_sees_a_change_made_elsewhere_after()
    {
        var (store, filters, _) = await StoreAsync();
        var time = new FakeTimeProvider(Updated);
        var kb = new KnowledgeBase(store, time);
        var elsewhere = store; // the CLI, another instance: the same table, not through kb
        await elsewhere.PutAsync(Article("acme", "own"), default);
        filters.Clear();

        await Task.WhenAll(kb.ForClientAsync("acme", default), kb.ForClientAsync("acme", default), kb.ForClientAsync("acme", default));
        time.Advance(TimeSpan.FromMilliseconds(4999));
        await kb.ForClientAsync("acme", default);
        Assert.Equal(2, filters.Count);

        await elsewhere.PutAsync(Article("acme", "own", "New title"), default);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("New title", (await kb.ForClientAsync("acme", default)).Articles.Single().Title);
        await kb.PutAsync(Article("acme", "another"), default);
        Assert.Equal(["another", "own"], (await kb.ForClientAsync("acme", default)).Articles.Select(a => a.ArticleId));
    }

    /// <summary>Records the $filter of each query the store sends.</summary>
    private sealed class QueryFilters(List<string> filters) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message)
        {
            if (message.Request.Method != RequestMethod.Get) return;
            var query = System.Web.HttpUtility.ParseQueryString(message.Request.Uri.Query);
            if (query["$filter"] is { } filter)
                lock (filters) filters.Add(filter);
        }
    }
}
