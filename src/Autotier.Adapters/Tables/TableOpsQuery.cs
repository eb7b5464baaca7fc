using System.Globalization;
using System.Text.Json;
using Autotier.Application.Json;
using Autotier.Application.Ops;
using Autotier.Domain.Tickets;
using Azure.Data.Tables;

namespace Autotier.Adapters.Tables;

/// <summary>
/// The ops page's reads of the tickets table (<see cref="TableTicketStore"/>'s layout: one partition
/// per ticket, the reference counter in <c>_counter / ticket</c>). Ticket numbers count up per
/// deployment, so the newest tickets are the numbers just below the counter: a page reads them as a
/// few partition-range queries (<c>T-1400</c> to <c>T-1499</c>, the ticket rows only) from the
/// newest down, without an index to keep in step and without scanning the table. Ids of one length
/// sort as their numbers do, so a range that crosses a power of ten is read as two.
/// </summary>
public sealed class TableOpsQuery(TableClient table) : IOpsQuery
{
    /// <summary>Ticket numbers one range query covers.</summary>
    private const int Chunk = 100;

    /// <summary>Point reads at once for <see cref="GetManyAsync"/>.</summary>
    private const int ReadsAtOnce = 16;

    private const long FirstNumber = 1001;

    public async Task<OpsTicketPage> NewestAsync(string? before, int limit, int scanLimit, Func<Ticket, bool> keep, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var top = before is null ? await NewestNumberAsync(cancellationToken) : Number(before) - 1;
        var found = new List<Ticket>();
        var scanned = 0;
        while (top >= FirstNumber && scanned < scanLimit)
        {
            var low = Math.Max(FirstNumber, top - Math.Min(Chunk, scanLimit - scanned) + 1);
            var chunk = (await RangeAsync(low, top, cancellationToken)).OrderByDescending(t => Number(t.TicketId));
            foreach (var ticket in chunk)
            {
                if (!keep(ticket)) continue;
                found.Add(ticket);
                if (found.Count == limit)
                {
                    var more = Number(ticket.TicketId) > FirstNumber;
                    return new OpsTicketPage(found, more ? ticket.TicketId : null);
                }
            }
            scanned += (int)(top - low + 1);
            top = low - 1;
        }
        return new OpsTicketPage(found, top >= FirstNumber ? Id(top + 1) : null);
    }

    public async Task<IReadOnlyList<Ticket>> GetManyAsync(IReadOnlyCollection<string> ticketIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticketIds);
        var found = new List<Ticket>();
        foreach (var batch in ticketIds.Where(TicketIds.IsTicketId).Distinct(StringComparer.Ordinal).Chunk(ReadsAtOnce))
        {
            var rows = await Task.WhenAll(batch.Select(id => table.GetEntityIfExistsAsync<TableEntity>(id, "ticket", JsonColumns.Names, cancellationToken)));
            found.AddRange(rows.Where(r => r.HasValue && r.Value is not null).Select(r => Read(r.Value!)));
        }
        return found;
    }

    /// <summary>The tickets numbered <paramref name="low"/> to <paramref name="high"/>, one range query per id length.</summary>
    private async Task<List<Ticket>> RangeAsync(long low, long high, CancellationToken cancellationToken)
    {
        var tickets = new List<Ticket>();
        for (var from = low; from <= high;)
        {
            var sameLength = Math.Min(high, (long)Math.Pow(10, Digits(from)) - 1);
            var filter = TableClient.CreateQueryFilter($"PartitionKey ge {Id(from)} and PartitionKey le {Id(sameLength)} and RowKey eq {"ticket"}");
            await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: JsonColumns.Names, cancellationToken: cancellationToken))
                tickets.Add(Read(row));
            from = sameLength + 1;
        }
        return tickets;
    }

    private async Task<long> NewestNumberAsync(CancellationToken cancellationToken)
    {
        var counter = await table.GetEntityIfExistsAsync<TableEntity>("_counter", "ticket", ["next"], cancellationToken);
        // The counter holds the next number to give out; the newest ticket has the one before.
        return counter.HasValue && counter.Value!.GetInt64("next") is { } next ? 1000 + next - 1 : 0;
    }

    private static Ticket Read(TableEntity row) => JsonSerializer.Deserialize<Ticket>(JsonColumns.Read(row), AutotierJson.Options)!;

    private static long Number(string ticketId) => long.Parse(ticketId.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture);

    private static string Id(long number) => "T-" + number.ToString(CultureInfo.InvariantCulture);

    private static int Digits(long number) => number.ToString(CultureInfo.InvariantCulture).Length;
}
