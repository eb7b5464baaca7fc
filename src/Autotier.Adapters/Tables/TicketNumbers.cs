using Azure;
using Azure.Data.Tables;

namespace Autotier.Adapters.Tables;

/// <summary>
/// Reference numbers count up per deployment (T-1001, T-1002, ...) with an ETag-guarded counter row
/// (<c>_counter/ticket</c> in the tickets table, column <c>next</c>, as the TypeScript app names it).
/// Within a store, the creations that wait while one reservation is on its way share the next: one
/// read and one write of the counter for all of them, in the order they asked (the TypeScript
/// <c>ticketNumbers.ts</c>); before that, 32 tickets at once each raced the others on the row and the
/// bench saw 12% refused. Between stores (instances), a conflict backs off with jitter and tries again.
/// Written by hand: no Azure SDK type batches counter reservations.
/// </summary>
internal sealed class TicketNumbers(TableClient table)
{
    public const string Partition = "_counter";
    public const string Row = "ticket";
    private const int MaxAttempts = 20;

    private readonly Lock gate = new();
    private List<TaskCompletionSource<long>> waiting = [];
    private bool reserving;

    /// <summary>
    /// The next number. A caller that gives up (<paramref name="cancellationToken"/>) leaves its number
    /// unused: the reservation it shared serves the others and is not undone.
    /// </summary>
    public Task<long> NextAsync(CancellationToken cancellationToken)
    {
        var number = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool start;
        lock (gate)
        {
            waiting.Add(number);
            start = !reserving;
            reserving = true;
        }
        if (start) _ = ReserveForWaitingAsync();
        return number.Task.WaitAsync(cancellationToken);
    }

    private async Task ReserveForWaitingAsync()
    {
        while (true)
        {
            List<TaskCompletionSource<long>> batch;
            lock (gate)
            {
                if (waiting.Count == 0)
                {
                    reserving = false;
                    return;
                }
                batch = waiting;
                waiting = [];
            }
            try
            {
                // Not any one caller's token: the reservation is everyone's in the batch.
                var first = await ReserveAsync(batch.Count, CancellationToken.None);
                for (var i = 0; i < batch.Count; i++) batch[i].TrySetResult(first + i);
            }
            catch (Exception e)
            {
                foreach (var w in batch) w.TrySetException(e);
            }
        }
    }

    /// <summary>Reserves <paramref name="count"/> consecutive numbers; returns the first.</summary>
    private async Task<long> ReserveAsync(int count, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (attempt > 0)
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, Math.Min(200, 5 << attempt))), cancellationToken);
            var counter = await table.GetEntityIfExistsAsync<TableEntity>(Partition, Row, cancellationToken: cancellationToken);
            try
            {
                if (!counter.HasValue)
                {
                    await table.AddEntityAsync(new TableEntity(Partition, Row) { ["next"] = 1L + count }, cancellationToken);
                    return 1;
                }
                var entity = counter.Value!;
                var next = entity.GetInt64("next") ?? 1;
                entity["next"] = next + count;
                await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
                return next;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another instance took these numbers: read again.
            }
        }
        // Storage's own word for too much at once (503 Server Busy): the API answers 503 with
        // Retry-After, as for any storage outage, instead of a 500.
        throw new RequestFailedException(503, "could not reserve a ticket number: the counter is too contended", "ServerBusy", null);
    }
}
