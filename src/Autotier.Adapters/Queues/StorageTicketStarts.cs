using System.Text.Json;
using Autotier.Application.Json;
using Autotier.Application.Ports;
using Azure.Storage.Queues;

namespace Autotier.Adapters.Queues;

/// <summary>
/// The <c>&lt;AUTOTIER_INTAKE_QUEUE&gt;-start</c> queue. The client must encode messages in base64,
/// as the Functions host's queue trigger expects by default.
/// </summary>
public sealed class StorageTicketStarts(QueueClient queue) : ITicketStarts
{
    public async Task EnqueueAsync(StartTicketMessage message, CancellationToken cancellationToken)
    {
        await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await queue.SendMessageAsync(JsonSerializer.Serialize(message, AutotierJson.Options), cancellationToken);
    }

    public static QueueClientOptions ClientOptions() => new() { MessageEncoding = QueueMessageEncoding.Base64 };
}
