using System.Text;
using System.Text.Json;
using Autotier.Application.Json;
using Autotier.Application.Webhooks;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;

namespace Autotier.Adapters.Webhooks;

/// <summary>
/// The intake queue (<c>AUTOTIER_INTAKE_QUEUE</c>) with the claim check of the TypeScript app's
/// JsonQueue: messages are base64 JSON, as the queue trigger expects; one whose base64 is past
/// 48 KiB (a queue message holds 64 KiB) goes to the <c>&lt;prefix&gt;-intake</c> container and the
/// message carries <c>{"$claim": "&lt;queue&gt;/&lt;uuid&gt;.json"}</c>.
/// </summary>
public sealed class StorageDeliveryInbox(QueueClient queue, BlobContainerClient overflow) : IDeliveryInbox
{
    public const int MaxInlineMessageChars = 48 * 1024;

    public async Task SendAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(delivery, AutotierJson.Options);
        // The client base64-encodes (QueueMessageEncoding.Base64): the size that counts is the encoded one.
        var encoded = (Encoding.UTF8.GetByteCount(json) + 2) / 3 * 4;
        if (encoded > MaxInlineMessageChars)
        {
            var name = $"{queue.Name}/{Guid.NewGuid()}.json";
            await overflow.GetBlobClient(name).UploadAsync(
                BinaryData.FromString(json), new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } }, cancellationToken);
            json = JsonSerializer.Serialize(new WebhookDelivery { Claim = name }, AutotierJson.Options);
        }
        await queue.SendMessageAsync(json, visibilityTimeout: null, timeToLive: TimeSpan.FromSeconds(-1), cancellationToken);
    }

    public async Task<WebhookDelivery?> ReadClaimAsync(string claim, CancellationToken cancellationToken)
    {
        if (!IsClaimName(claim)) return null;
        try
        {
            var content = await overflow.GetBlobClient(claim).DownloadContentAsync(cancellationToken);
            return content.Value.Content.ToObjectFromJson<WebhookDelivery>(AutotierJson.Options);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task DropClaimAsync(string claim, CancellationToken cancellationToken)
    {
        if (IsClaimName(claim)) await overflow.GetBlobClient(claim).DeleteIfExistsAsync(cancellationToken: cancellationToken);
    }

    // Only names this inbox makes: a message cannot point the reader at another blob.
    private bool IsClaimName(string claim) =>
        claim.StartsWith(queue.Name + "/", StringComparison.Ordinal) && claim.EndsWith(".json", StringComparison.Ordinal)
        && Guid.TryParseExact(claim[(queue.Name.Length + 1)..^5], "D", out _);

    public static QueueClientOptions ClientOptions() => new() { MessageEncoding = QueueMessageEncoding.Base64 };

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await overflow.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
    }
}
