using Autotier.Application.Kb;
using Autotier.Domain.Classification;
using Autotier.TestSupport.Fakes;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static Autotier.UnitTests.Domain.Kb.KbFixtures;

namespace Autotier.UnitTests.Application.Kb;

public sealed class KnowledgeBaseTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly InMemoryKbStore store = new();

    [Fact(Timeout = 10_000)]
    public async Task A_clients_articles_are_read_once_for_5_seconds_and_then_again()
    {
        await store.PutAsync(Article("general"), default);
        var kb = new KnowledgeBase(store, time);

        await kb.ForClientAsync("demo", default);
        await kb.BestArticleAsync(Demo, Categories.VpnRemoteAccess, "vpn", null, default);
        time.Advance(TimeSpan.FromMilliseconds(4999));
        await kb.ForClientAsync("demo", default);
        Assert.Equal(1, store.Reads);

        await store.PutAsync(Article("general", title: "Changed elsewhere"), default); // the CLI, another instance
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("Changed elsewhere", (await kb.ForClientAsync("demo", default)).Articles.Single().Title);
        Assert.Equal(2, store.Reads);

        await kb.ForClientAsync("globex", default);
        Assert.Equal(3, store.Reads); // per client
    }

    [Fact(Timeout = 10_000)]
    public async Task An_article_put_through_this_instance_is_used_at_once()
    {
        var kb = new KnowledgeBase(store, time);
        Assert.Null(await kb.BestArticleAsync(Demo, Categories.VpnRemoteAccess, "vpn", null, default));

        await kb.PutAsync(Article("own", "demo"), default);
        Assert.Equal("own", (await kb.BestArticleAsync(Demo, Categories.VpnRemoteAccess, "vpn", null, default))?.ArticleId);

        await kb.ForClientAsync("globex", default);
        await kb.PutAsync(Article("general"), default); // a general article changes every client's list
        Assert.Equal("general", (await kb.ForClientAsync("globex", default)).Articles.Single().ArticleId);
    }

    [Fact(Timeout = 10_000)]
    public async Task Reads_that_overlap_share_one_read_and_a_failed_read_is_not_kept()
    {
        await store.PutAsync(Article("general"), default);
        var kb = new KnowledgeBase(store, time);
        store.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reads = Enumerable.Range(0, 5).Select(_ => kb.ForClientAsync("demo", default)).ToList();
        store.Gate.SetResult();
        var indexes = await Task.WhenAll(reads);
        Assert.Equal(1, store.Reads);
        Assert.All(indexes, i => Assert.Same(indexes[0], i));

        time.Advance(KnowledgeBase.MaxAge);
        store.Gate = null;
        store.FailNextRead = new IOException("storage hiccup");
        await Assert.ThrowsAsync<IOException>(() => kb.ForClientAsync("demo", default));
        Assert.Single((await kb.ForClientAsync("demo", default)).Articles);
        Assert.Equal(3, store.Reads);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_caller_that_gives_up_does_not_fail_the_read_others_wait_for()
    {
        var kb = new KnowledgeBase(store, time);
        store.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var impatient = new CancellationTokenSource();
        var first = kb.ForClientAsync("demo", impatient.Token);
        var second = kb.ForClientAsync("demo", default);
        await impatient.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        store.Gate.SetResult();
        Assert.Empty((await second).Articles);
        Assert.Equal(1, store.Reads);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_software_error_gets_a_known_error_article_or_nothing()
    {
        await store.PutAsync(Article("restart", category: Categories.SoftwareError, title: "Restart the app", tags: ["crash", "error"]), default);
        await store.PutAsync(Article("sage", "demo", Categories.SoftwareError, "Sage export fails", tags: ["sage"]), default);
        var kb = new KnowledgeBase(store, time);

        Assert.Null(await kb.KnownErrorAsync(Demo, "Excel crash error", default));
        Assert.Equal("sage", (await kb.KnownErrorAsync(Demo, "Sage crash error", default))?.ArticleId);
    }
}
