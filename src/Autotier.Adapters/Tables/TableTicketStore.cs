using System.Text.Json;
using Autotier.Application.Json;
using Autotier.Application.Ports;
using Autotier.Domain.Tickets;
using Azure;
using Azure.Data.Tables;

namespace Autotier.Adapters.Tables;

/// <summary>
/// Tickets in Table Storage. Layout of the tickets table:
/// <list type="bullet">
/// <item><c>ticketId / ticket</c>: the ticket (JSON across <c>Json</c>, <c>Json1</c>, ... as long as it needs: <see cref="JsonColumns"/>) with its client and stage as columns;</item>
/// <item><c>ticketId / l|&lt;step&gt;</c>: one timeline line per step (so appends are idempotent);</item>
/// <item><c>x|&lt;clientId&gt; / &lt;externalId&gt;</c>: which ticket an external id made;</item>
/// <item><c>_counter / ticket</c>: the next reference number (column <c>next</c>, as the TypeScript app names it), guarded by its ETag.</item>
/// </list>
/// </summary>
public sealed class TableTicketStore(TableClient table) : ITicketStore
{
    private const string TicketRow = "ticket";
    private const string TimelinePrefix = "l|";
    private const int MaxCounterAttempts = 20;

    /// <summary>One per store: the creations waiting in this process share a counter reservation.</summary>
    private readonly TicketNumbers numbers = new(table);

    public async Task<TicketCreation> CreateAsync(NewTicket input, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        string ticketId;
        if (input.ExternalId is { } externalId)
        {
            var claimed = await FindExternalAsync(input.ClientId, externalId, cancellationToken);
            if (claimed is null)
            {
                ticketId = TicketIds.FromNumber(await numbers.NextAsync(cancellationToken));
                // The index row comes first: two deliveries of one external id race here, and only one wins.
                try
                {
                    await table.AddEntityAsync(
                        new TableEntity(ExternalPartition(input.ClientId), TableKeys.Escape(externalId)) { ["TicketId"] = ticketId },
                        cancellationToken);
                }
                catch (RequestFailedException e) when (e.Status == 409)
                {
                    ticketId = await FindExternalAsync(input.ClientId, externalId, cancellationToken)
                        ?? throw new InvalidOperationException("external id index row vanished", e);
                }
            }
            else
            {
                ticketId = claimed;
            }
            // An earlier delivery may have claimed the id and stopped before storing the ticket:
            // storing it now under the same number keeps the (client, external id) -> ticket promise.
            var existing = await GetAsync(ticketId, cancellationToken);
            if (existing is not null) return new TicketCreation(existing, Created: false);
        }
        else
        {
            ticketId = TicketIds.FromNumber(await numbers.NextAsync(cancellationToken));
        }

        for (var attempt = 0; ; attempt++)
        {
            var ticket = Ticket.Create(ticketId, input, now);
            try
            {
                await table.AddEntityAsync(ToEntity(ticket), cancellationToken);
                return new TicketCreation(ticket, Created: true);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                // With an external id, the number is this delivery's own (claimed above): the other
                // writer was an earlier try of the same delivery, and its ticket is the answer.
                if (input.ExternalId is not null)
                {
                    var winner = await GetAsync(ticketId, cancellationToken)
                        ?? throw new InvalidOperationException($"ticket {ticketId} conflicted but is not stored", e);
                    return new TicketCreation(winner, Created: false);
                }
                // Without one, the number belongs to somebody else's ticket (a counter that went
                // back, say after a restore): never answer with that ticket; take the next number.
                if (attempt >= MaxCounterAttempts) throw;
                ticketId = TicketIds.FromNumber(await numbers.NextAsync(cancellationToken));
            }
        }
    }

    public async Task<Ticket?> GetAsync(string ticketId, CancellationToken cancellationToken)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(ticketId, TicketRow, JsonColumns.Names, cancellationToken);
        return row.HasValue && row.Value is { } entity
            ? JsonSerializer.Deserialize<Ticket>(JsonColumns.Read(entity), AutotierJson.Options)
            : null;
    }

    public async Task<Ticket?> UpdateAsync(string ticketId, Func<Ticket, Ticket?> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 0; ; attempt++)
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>(ticketId, TicketRow, cancellationToken: cancellationToken);
            if (!row.HasValue || row.Value is null) return null;
            var current = JsonSerializer.Deserialize<Ticket>(JsonColumns.Read(row.Value), AutotierJson.Options)!;
            var updated = change(current);
            if (updated is null) return current;
            try
            {
                // Replace guarded by the ETag read: a writer in between makes this a 412, and the change
                // is applied again to what that writer stored, so no update is lost.
                await table.UpdateEntityAsync(ToEntity(updated), row.Value.ETag, TableUpdateMode.Replace, cancellationToken);
                return updated;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < MaxCounterAttempts)
            {
            }
        }
    }

    public async Task<bool> AppendTimelineAsync(string ticketId, TimelineEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var row = new TableEntity(ticketId, TimelinePrefix + TableKeys.Escape(entry.Step))
        {
            ["Json"] = JsonSerializer.Serialize(entry, AutotierJson.Options),
        };
        try
        {
            await table.AddEntityAsync(row, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<TimelineEntry>> GetTimelineAsync(string ticketId, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {ticketId} and RowKey ge {TimelinePrefix} and RowKey lt {"l}"}");
        var entries = new List<TimelineEntry>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["Json"], cancellationToken: cancellationToken))
        {
            entries.Add(JsonSerializer.Deserialize<TimelineEntry>(row.GetString("Json"), AutotierJson.Options)!);
        }
        return entries;
    }

    public async Task<IReadOnlyList<Ticket>> NotYetMovedAsync(DateTimeOffset createdFrom, DateTimeOffset createdBefore, int max, CancellationToken cancellationToken)
    {
        // A scan across partitions (one per ticket), filtered by the service on the ticket row's own
        // columns; bounded by the creation window, which the sweep keeps to a day.
        var filter = TableClient.CreateQueryFilter(
            $"RowKey eq {TicketRow} and CreatedAt ge {createdFrom} and CreatedAt lt {createdBefore} and (Stage eq {"received"} or Stage eq {"classified"})");
        var found = new List<Ticket>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: JsonColumns.Names, cancellationToken: cancellationToken))
        {
            found.Add(JsonSerializer.Deserialize<Ticket>(JsonColumns.Read(row), AutotierJson.Options)!);
            if (found.Count >= max) break;
        }
        return found;
    }

    private async Task<string?> FindExternalAsync(string clientId, string externalId, CancellationToken cancellationToken)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(ExternalPartition(clientId), TableKeys.Escape(externalId), ["TicketId"], cancellationToken);
        return row.HasValue ? row.Value!.GetString("TicketId") : null;
    }

    private static string ExternalPartition(string clientId) => "x|" + clientId;

    private static TableEntity ToEntity(Ticket ticket)
    {
        var entity = new TableEntity(ticket.TicketId, TicketRow)
        {
            ["ClientId"] = ticket.ClientId,
            ["Stage"] = JsonSerializer.Serialize(ticket.Stage, AutotierJson.Options).Trim('"'),
            ["CreatedAt"] = ticket.CreatedAt,
        };
        JsonColumns.Write(entity, JsonSerializer.Serialize(ticket, AutotierJson.Options));
        return entity;
    }
}
