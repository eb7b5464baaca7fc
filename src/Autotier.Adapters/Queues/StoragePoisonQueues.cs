using Autotier.Application.Ports;
using Azure;
using Azure.Storage.Queues;

namespace Autotier.Adapters.Queues;

/// <summary>
/// The poison queues on Azure Storage. Messages are moved as the stored text, without decoding:
/// the client uses no message encoding, so whatever the trigger wrote (base64) goes back byte for
/// byte and the trigger reads it as before.
/// </summary>
public sealed class StoragePoisonQueues(QueueServiceClient queues) : IPoisonQueues
{
    /// <summary>How long a message taken for a replay stays hidden: long enough to send it on and delete it.</summary>
    private static readonly TimeSpan Taken = TimeSpan.FromSeconds(60);

    public async Task<int> WaitingAsync(string queue, CancellationToken cancellationToken)
    {
        try
        {
            var properties = await queues.GetQueueClient(queue + "-poison").GetPropertiesAsync(cancellationToken);
            return properties.Value.ApproximateMessagesCount;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return 0; // never created: nothing ever failed five times
        }
    }

    public async Task<int> ReplayAsync(string queue, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        var target = queues.GetQueueClient(queue);
        var poison = queues.GetQueueClient(queue + "-poison");
        if (!(await poison.ExistsAsync(cancellationToken)).Value) return 0;
        await target.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var moved = 0;
        while (moved < max)
        {
            var batch = (await poison.ReceiveMessagesAsync(Math.Min(32, max - moved), Taken, cancellationToken)).Value;
            if (batch.Length == 0) break;
            foreach (var message in batch)
            {
                // Sent before it is deleted: a stop in between repeats a message, never loses one.
                await target.SendMessageAsync(message.MessageText, visibilityTimeout: null, timeToLive: TimeSpan.FromSeconds(-1), cancellationToken);
                await poison.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
                moved++;
            }
        }
        return moved;
    }

    /// <summary>No encoding: the stored text is moved as it is.</summary>
    public static QueueClientOptions ClientOptions() => new() { MessageEncoding = QueueMessageEncoding.None };
}
