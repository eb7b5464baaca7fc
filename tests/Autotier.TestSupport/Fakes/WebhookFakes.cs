using System.Collections.Concurrent;
using Autotier.Application.Webhooks;

namespace Autotier.TestSupport.Fakes;

public sealed class InMemoryDeliveryIds : IDeliveryIds
{
    public ConcurrentDictionary<string, DateTimeOffset> Claimed { get; } = new();

    public Task<bool> ClaimAsync(string id, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        Task.FromResult(Claimed.TryAdd(id, expiresAt));

    public Task ReleaseAsync(string id, CancellationToken cancellationToken)
    {
        Claimed.TryRemove(id, out _);
        return Task.CompletedTask;
    }
}

/// <summary>The intake queue in memory, with the claim check: anything past <see cref="InlineLimit"/> characters of raw is claimed.</summary>
public sealed class InMemoryDeliveryInbox : IDeliveryInbox
{
    public int InlineLimit { get; set; } = int.MaxValue;

    public Exception? Failure { get; set; }

    public ConcurrentQueue<WebhookDelivery> Sent { get; } = new();

    public ConcurrentDictionary<string, WebhookDelivery> Claims { get; } = new();

    public Task SendAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (Failure is not null) throw Failure;
        if ((delivery.Raw?.Length ?? 0) > InlineLimit)
        {
            var name = $"intake/{Guid.NewGuid()}.json";
            Claims[name] = delivery;
            delivery = new WebhookDelivery { Claim = name };
        }
        Sent.Enqueue(delivery);
        return Task.CompletedTask;
    }

    public Task<WebhookDelivery?> ReadClaimAsync(string claim, CancellationToken cancellationToken) =>
        Task.FromResult(Claims.TryGetValue(claim, out var d) ? d : null);

    public Task DropClaimAsync(string claim, CancellationToken cancellationToken)
    {
        Claims.TryRemove(claim, out _);
        return Task.CompletedTask;
    }
}

public sealed class InMemoryReviewStore : IReviewStore
{
    public ConcurrentDictionary<string, ReviewItem> Items { get; } = new();

    public Task KeepAsync(ReviewItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        Items[item.Id] = item;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ReviewItem>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ReviewItem>>(Items.Values.ToList());

    public Task<ReviewItem?> GetAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(Items.TryGetValue(id, out var i) ? i : null);

    public Task<bool> RemoveAsync(string id, CancellationToken cancellationToken) => Task.FromResult(Items.TryRemove(id, out _));
}

/// <summary>A ConnectWise key source in memory: the keys it knows, and every URL it was asked for.</summary>
public sealed class FakeConnectWiseKeys : IConnectWiseKeySource
{
    public ConcurrentDictionary<string, string> Keys { get; } = new();

    public ConcurrentQueue<Uri> Asked { get; } = new();

    public Task<string?> FetchAsync(Uri keyUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyUrl);
        Asked.Enqueue(keyUrl);
        var id = System.Web.HttpUtility.ParseQueryString(keyUrl.Query)["id"] ?? "";
        return Task.FromResult(Keys.TryGetValue(id, out var key) ? key : null);
    }
}
