using System.Text.Json;
using Autotier.Application.Json;
using Autotier.Application.Ports;
using Autotier.Domain.Clients;
using Azure.Data.Tables;

namespace Autotier.Adapters.Tables;

/// <summary>Client profiles, one row each (<c>client / &lt;clientId&gt;</c>).</summary>
public sealed class TableClientStore(TableClient table) : IClientStore
{
    private const string Partition = "client";

    public async Task<ClientProfile?> GetAsync(string clientId, CancellationToken cancellationToken)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Partition, TableKeys.Escape(clientId), ["Json"], cancellationToken);
        return row.HasValue ? JsonSerializer.Deserialize<ClientProfile>(row.Value!.GetString("Json"), AutotierJson.Options) : null;
    }

    public Task SaveAsync(ClientProfile profile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return table.UpsertEntityAsync(
            new TableEntity(Partition, TableKeys.Escape(profile.ClientId)) { ["Json"] = JsonSerializer.Serialize(profile, AutotierJson.Options) },
            TableUpdateMode.Replace,
            cancellationToken);
    }
}
