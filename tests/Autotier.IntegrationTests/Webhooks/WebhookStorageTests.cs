using Autotier.Adapters.Webhooks;
using Autotier.Application.Webhooks;
using Autotier.TestSupport.Azurite;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Xunit;

namespace Autotier.IntegrationTests.Webhooks;

/// <summary>The webhook adapters on Azurite: the Review table keeps a delivery whole, the inbox's claim check, delivery ids.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class WebhookStorageTests(AzuriteFixture azurite)
{
    private async Task<TableClient> TableAsync()
    {
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(AzuriteNames.Table("review"));
        await table.CreateIfNotExistsAsync();
        return table;
    }

    [Fact(Timeout = 60_000)]
    public async Task The_review_table_keeps_a_256_KiB_delivery_whole_once_and_removes_it()
    {
        var store = new TableReviewStore(await TableAsync());
        var raw = string.Concat(Enumerable.Repeat("{\"x\":\"é😀\u2028\"}", 256 * 1024 / 16));
        var item = new ReviewItem("R-abc", "generic", "evt-1", "no client \"ghost\" is set up here", raw, "2026-12-07T12:00:00.000Z");

        await store.KeepAsync(item, default);
        await store.KeepAsync(item, default);

        Assert.Equal(item, Assert.Single(await store.ListAsync(default)));
        Assert.Equal(item, await store.GetAsync("R-abc", default));
        Assert.True(await store.RemoveAsync("R-abc", default));
        Assert.False(await store.RemoveAsync("R-abc", default));
        Assert.Null(await store.GetAsync("R-abc", default));
    }

    [Fact(Timeout = 60_000)]
    public async Task The_inbox_sends_small_deliveries_inline_and_large_ones_as_a_claim_it_alone_can_read()
    {
        var queue = new QueueClient(azurite.ConnectionString, AzuriteNames.Queue("intake"), StorageDeliveryInbox.ClientOptions());
        var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(AzuriteNames.Queue("claims"));
        var inbox = new StorageDeliveryInbox(queue, container);
        await inbox.EnsureCreatedAsync(default);

        await inbox.SendAsync(new WebhookDelivery { Source = "generic", EventId = "small", Raw = "{}" }, default);
        var big = new WebhookDelivery { Source = "generic", EventId = "big", Raw = new string('x', 60_000), ReceivedAt = "2026-12-07T12:00:00.000Z" };
        await inbox.SendAsync(big, default);

        var messages = (await queue.ReceiveMessagesAsync(10)).Value;
        Assert.Equal(2, messages.Length);
        var small = messages[0].Body.ToObjectFromJson<WebhookDelivery>(Autotier.Application.Json.AutotierJson.Options)!;
        Assert.Equal("small", small.EventId);
        var claim = messages[1].Body.ToObjectFromJson<WebhookDelivery>(Autotier.Application.Json.AutotierJson.Options)!;
        Assert.Null(claim.Raw);
        Assert.NotNull(claim.Claim);
        Assert.Contains("\"$claim\"", messages[1].Body.ToString(), StringComparison.Ordinal);

        Assert.Equal(big, await inbox.ReadClaimAsync(claim.Claim!, default));
        Assert.Null(await inbox.ReadClaimAsync("../other/blob.json", default));
        await inbox.DropClaimAsync(claim.Claim!, default);
        Assert.Null(await inbox.ReadClaimAsync(claim.Claim!, default));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_delivery_id_is_claimed_once_and_can_be_let_go()
    {
        var ids = new TableDeliveryIds(await TableAsync());
        var until = DateTimeOffset.UtcNow.AddDays(7);
        Assert.True(await ids.ClaimAsync("webhook:generic:e/1#?", until, default));
        Assert.False(await ids.ClaimAsync("webhook:generic:e/1#?", until, default));
        await ids.ReleaseAsync("webhook:generic:e/1#?", default);
        await ids.ReleaseAsync("webhook:generic:e/1#?", default);
        Assert.True(await ids.ClaimAsync("webhook:generic:e/1#?", until, default));
    }
}
