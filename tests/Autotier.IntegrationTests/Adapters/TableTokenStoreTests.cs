using Autotier.Adapters.Tables;
using Autotier.TestSupport.Azurite;
using Azure.Data.Tables;
using Xunit;

namespace Autotier.IntegrationTests.Adapters;

/// <summary>Single-use link nonces on Azurite: the insert is the claim; forgetting frees it; the sweep drops expired ones.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class TableTokenStoreTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact(Timeout = 60_000)]
    public async Task A_nonce_is_used_once_forgetting_frees_it_and_the_sweep_drops_only_expired_ones()
    {
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(AzuriteNames.Table("tokens"));
        await table.CreateIfNotExistsAsync();
        var tokens = new TableTokenStore(table);

        var claims = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => tokens.UseAsync("T-1001.playbook-1/x", T0.AddDays(14), default)));
        Assert.Equal(1, claims.Count(c => c));

        await tokens.ForgetAsync("T-1001.playbook-1/x", default);
        await tokens.ForgetAsync("never-used", default);
        Assert.True(await tokens.UseAsync("T-1001.playbook-1/x", T0.AddDays(14), default));

        Assert.True(await tokens.UseAsync("old", T0.AddDays(-1), default));
        Assert.Equal(1, await tokens.SweepAsync(T0, default));
        Assert.False(await tokens.UseAsync("T-1001.playbook-1/x", T0.AddDays(14), default));
        Assert.True(await tokens.UseAsync("old", T0.AddDays(-1), default));
    }
}
