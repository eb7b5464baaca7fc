using System.Text.Json;
using Autotier.Application.Json;
using Autotier.Application.Ports;
using Autotier.Domain.Alerts;
using Azure;
using Azure.Data.Tables;

namespace Autotier.Adapters.Notify;

/// <summary>
/// Each audience's digest state as one row (<c>_digest / state|{audience}</c>) of the delivery table,
/// changed under its ETag: queue functions on several instances deliver the same audience at once,
/// and each must see the others' arrivals. The state is bounded (<see cref="DigestPolicy.MaxEntries"/>
/// compacted alerts, the last few arrival times), so a property never reaches Table Storage's 64 KiB.
/// </summary>
public sealed class TableAlertDigestStore(TableClient table) : IAlertDigestStore
{
    private const string Partition = "_digest";
    private const int MaxTries = 20;

    public async Task<T> UpdateAsync<T>(Audience audience, Func<AlertDigestState, (AlertDigestState State, T Result)> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var row = $"state|{audience.WireName()}";
        for (var attempt = 1; ; attempt++)
        {
            var stored = await table.GetEntityIfExistsAsync<TableEntity>(Partition, row, cancellationToken: cancellationToken);
            var state = stored.HasValue
                ? JsonSerializer.Deserialize<AlertDigestState>(stored.Value!.GetString("State"), AutotierJson.Options) ?? AlertDigestState.Empty
                : AlertDigestState.Empty;
            var (next, result) = change(state);
            if (ReferenceEquals(next, state)) return result;
            var entity = new TableEntity(Partition, row) { ["State"] = JsonSerializer.Serialize(next, AutotierJson.Options) };
            try
            {
                if (stored.HasValue) await table.UpdateEntityAsync(entity, stored.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                else await table.AddEntityAsync(entity, cancellationToken);
                return result;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < MaxTries)
            {
                // Another instance wrote first: apply the change again to what it wrote.
            }
        }
    }
}
