using System.Security.Cryptography;
using System.Text.Json;
using Autotier.Adapters.Tables;
using Autotier.Application.Json;
using Autotier.Application.Mail;
using Autotier.Domain.Clients;
using Autotier.Domain.Mail;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;

namespace Autotier.Adapters.Mail;

/// <summary>Raw mail in the <c>&lt;prefix&gt;-mail</c> container as <c>raw/&lt;sha256&gt;.eml</c>, as the TypeScript app keeps it.</summary>
public sealed class BlobMailStore(BlobContainerClient container) : IMailStore
{
    public Task EnsureCreatedAsync(CancellationToken cancellationToken) => container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);

    public async Task<string> PutRawAsync(ReadOnlyMemory<byte> mime, CancellationToken cancellationToken)
    {
        var name = $"raw/{Convert.ToHexStringLower(SHA256.HashData(mime.Span))}.eml";
        try
        {
            // The name is the content's hash: a blob already there holds the same bytes.
            await container.GetBlobClient(name).UploadAsync(
                BinaryData.FromBytes(mime),
                new BlobUploadOptions
                {
                    HttpHeaders = new BlobHttpHeaders { ContentType = "message/rfc822" },
                    Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                },
                cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Stored before: the same mail delivered again.
        }
        return name;
    }

    public async Task<string> PutAttachmentAsync(string ticketId, MailAttachment attachment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        var name = $"attachments/{ticketId}/{Convert.ToHexStringLower(SHA256.HashData(attachment.Content))[..16]}-{attachment.Filename}";
        await container.GetBlobClient(name).UploadAsync(
            BinaryData.FromBytes(attachment.Content),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = attachment.ContentType } },
            cancellationToken);
        return name;
    }

    public async Task<byte[]?> GetRawAsync(string blob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        if (!blob.StartsWith("raw/", StringComparison.Ordinal) || blob.Contains("..", StringComparison.Ordinal)) return null;
        try
        {
            return (await container.GetBlobClient(blob).DownloadContentAsync(cancellationToken)).Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }
}

/// <summary>Message-IDs and their tickets in <c>&lt;prefix&gt;MailThreads</c> (<c>id / &lt;normalized Message-ID&gt;</c>).</summary>
public sealed class TableMailThreads(TableClient table) : IMailThreads
{
    public async Task<string?> FindAsync(string messageId, CancellationToken cancellationToken)
    {
        var key = Key(messageId);
        if (key is null) return null;
        var row = await table.GetEntityIfExistsAsync<TableEntity>("id", key, ["TicketId"], cancellationToken);
        return row.HasValue ? row.Value!.GetString("TicketId") : null;
    }

    public async Task RememberAsync(string messageId, string ticketId, CancellationToken cancellationToken)
    {
        if (Key(messageId) is not { } key) return;
        await table.UpsertEntityAsync(new TableEntity("id", key) { ["TicketId"] = ticketId }, TableUpdateMode.Replace, cancellationToken);
    }

    private static string? Key(string messageId)
    {
        var id = InboundMailRules.NormalizeMessageId(messageId);
        return id.Length is 0 or > 500 ? null : TableKeys.Escape(id);
    }
}

/// <summary>
/// Clients by mail domain, read from the clients table (one row per client, its profile as JSON)
/// and cached for a minute: mail intake asks for every mail.
/// </summary>
public sealed class TableClientDomains(TableClient clients, TimeProvider time) : IClientDomains
{
    private (DateTimeOffset At, IReadOnlyList<ClientProfile> Profiles)? cache;

    public async Task<ClientProfile?> FindByMailDomainAsync(string domain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if (domain.Length == 0) return null;
        var profiles = cache is { } c && time.GetUtcNow() - c.At < TimeSpan.FromMinutes(1) ? c.Profiles : await LoadAsync(cancellationToken);
        return profiles.FirstOrDefault(p => p.EmailDomains.Any(d => string.Equals(d, domain, StringComparison.OrdinalIgnoreCase)));
    }

    private async Task<IReadOnlyList<ClientProfile>> LoadAsync(CancellationToken cancellationToken)
    {
        var profiles = new List<ClientProfile>();
        await foreach (var row in clients.QueryAsync<TableEntity>(r => r.PartitionKey == "client", select: ["Json"], cancellationToken: cancellationToken))
            if (JsonSerializer.Deserialize<ClientProfile>(row.GetString("Json"), AutotierJson.Options) is { } p) profiles.Add(p);
        cache = (time.GetUtcNow(), profiles);
        return profiles;
    }
}

/// <summary>The mail queue; messages base64 as the Functions host's queue trigger expects.</summary>
public sealed class StorageMailInbox(QueueClient queue) : IMailInbox
{
    private volatile bool created;

    public async Task EnqueueAsync(MailIntakeMessage message, CancellationToken cancellationToken)
    {
        if (!created)
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            created = true;
        }
        await queue.SendMessageAsync(JsonSerializer.Serialize(message, AutotierJson.Options), cancellationToken);
    }
}

/// <summary>The support mailbox's Graph subscription, one row (<c>graph / subscription</c>).</summary>
public sealed class TableGraphSubscriptionStore(TableClient table) : IGraphSubscriptionStore
{
    public async Task<GraphSubscription?> GetAsync(CancellationToken cancellationToken)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>("graph", "subscription", cancellationToken: cancellationToken);
        if (!row.HasValue) return null;
        var r = row.Value!;
        return new GraphSubscription(r.GetString("Id"), r.GetString("Resource"), r.GetDateTimeOffset("ExpiresAt") ?? DateTimeOffset.MinValue);
    }

    public Task PutAsync(GraphSubscription subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        return table.UpsertEntityAsync(
            new TableEntity("graph", "subscription") { ["Id"] = subscription.Id, ["Resource"] = subscription.Resource, ["ExpiresAt"] = subscription.ExpiresAt },
            TableUpdateMode.Replace, cancellationToken);
    }
}
