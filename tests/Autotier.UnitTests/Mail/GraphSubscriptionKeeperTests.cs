using Autotier.Application.Mail;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Autotier.UnitTests.Mail;

/// <summary>The TypeScript keepSubscription's rules: 4 days asked for, renewed with 2 left, re-created when Graph dropped it.</summary>
public sealed class GraphSubscriptionKeeperTests
{
    private sealed class FakeGraph : IGraphMailbox
    {
        public Dictionary<string, GraphSubscription> Subscriptions { get; } = [];
        public List<GraphSubscriptionRequest> Requests { get; } = [];

        public Task<byte[]?> GetMimeAsync(string messageId, CancellationToken cancellationToken) => Task.FromResult<byte[]?>(null);

        public Task<GraphSubscription> SubscribeAsync(GraphSubscriptionRequest request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            var s = new GraphSubscription($"sub-{Subscriptions.Count + 1}", "/users/support%40msp.example/mailFolders('inbox')/messages", request.ExpiresAt);
            Subscriptions[s.Id] = s;
            return Task.FromResult(s);
        }

        public Task<GraphSubscription?> RenewAsync(string id, DateTimeOffset expiresAt, CancellationToken cancellationToken)
        {
            if (!Subscriptions.TryGetValue(id, out var s)) return Task.FromResult<GraphSubscription?>(null);
            return Task.FromResult<GraphSubscription?>(Subscriptions[id] = s with { ExpiresAt = expiresAt });
        }
    }

    private sealed class Store : IGraphSubscriptionStore
    {
        public GraphSubscription? Current { get; set; }
        public Task<GraphSubscription?> GetAsync(CancellationToken cancellationToken) => Task.FromResult(Current);
        public Task PutAsync(GraphSubscription subscription, CancellationToken cancellationToken)
        {
            Current = subscription;
            return Task.CompletedTask;
        }
    }

    [Fact(Timeout = 10_000)]
    public async Task Creates_keeps_renews_before_expiry_and_recreates_when_Graph_dropped_it()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-03-02T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var graph = new FakeGraph();
        var store = new Store();
        var keeper = new GraphSubscriptionKeeper(graph, store, new GraphMailSettings(["state-new", "state-old"], "https://autotier.example"), time);

        Assert.Equal("created", await keeper.KeepAsync(false, CancellationToken.None));
        var request = Assert.Single(graph.Requests);
        Assert.Equal(("https://autotier.example/api/mail/graph", "https://autotier.example/api/mail/graph/lifecycle", "state-new"),
            (request.NotificationUrl, request.LifecycleNotificationUrl, request.ClientState));
        Assert.Equal("kept", await keeper.KeepAsync(false, CancellationToken.None));

        time.SetUtcNow(DateTimeOffset.Parse("2026-03-04T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("renewed", await keeper.KeepAsync(false, CancellationToken.None));
        Assert.Equal(DateTimeOffset.Parse("2026-03-08T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture), store.Current!.ExpiresAt);

        Assert.Equal("renewed", await keeper.KeepAsync(true, CancellationToken.None));
        graph.Subscriptions.Clear();
        Assert.Equal("created", await keeper.KeepAsync(true, CancellationToken.None));

        // Expired while nobody looked: not renewable, a new one.
        time.Advance(TimeSpan.FromDays(10));
        Assert.Equal("created", await keeper.KeepAsync(false, CancellationToken.None));
    }

    [Fact(Timeout = 10_000)]
    public async Task Does_nothing_when_Graph_mail_intake_is_not_configured()
    {
        var keeper = new GraphSubscriptionKeeper(null, new Store(), new GraphMailSettings([], ""), TimeProvider.System);
        Assert.Equal("off", await keeper.KeepAsync(true, CancellationToken.None));
    }
}
