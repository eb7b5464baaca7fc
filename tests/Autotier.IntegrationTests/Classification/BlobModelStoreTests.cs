using Autotier.Adapters.Classification;
using Autotier.Adapters.Blobs;
using Autotier.Domain.Classification;
using Autotier.Domain.Classification.Model;
using Autotier.TestSupport.Azurite;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Autotier.IntegrationTests.Classification;

[Collection(AzuriteFixture.Collection)]
public sealed class BlobModelStoreTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    private static TextClassifier Small(params string[] labels) =>
        TextClassifier.Train(
            [.. labels.SelectMany(l => new[] { $"{l} one", $"{l} two" })],
            [.. labels.SelectMany(l => new[] { l, l })],
            new TrainOptions(Dims: 1 << 10));

    private (BlobServiceClient Service, string Prefix) Storage() =>
        (new BlobServiceClient(azurite.ConnectionString), AzuriteNames.Prefix().ToLowerInvariant());

    private static ModelSource Source(BlobServiceClient service, string prefix) =>
        new(BlobModelStore.For(service, prefix, null), c => BlobModelStore.For(service, prefix, c), NullLogger<ModelSource>.Instance);

    [Fact(Timeout = 120_000)]
    public async Task PublishKeepsEveryVersion_AndCurrentNamesTheLatest()
    {
        var (service, prefix) = Storage();
        var store = BlobModelStore.For(service, prefix, null);
        Assert.Null(await store.LoadCurrentAsync(default));
        var first = ModelFile.Save(Small(Categories.PasswordReset, Categories.Engineering));
        var second = ModelFile.Save(Small(Categories.PrinterPeripheral, Categories.Engineering));
        Assert.Equal(1, (await store.PublishAsync(first, [Categories.Engineering, Categories.PasswordReset], "a.csv", Now, default)).Version);
        var published = await store.PublishAsync(second, [Categories.Engineering, Categories.PrinterPeripheral], "b.csv", Now, default);
        Assert.Equal(2, published.Version);
        var container = service.GetBlobContainerClient($"{prefix}-models");
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync()) names.Add(blob.Name);
        Assert.Equal(["classifier/current.json", "classifier/v0001.bin.gz", "classifier/v0002.bin.gz"], names.Order(StringComparer.Ordinal));
        var current = await store.LoadCurrentAsync(default);
        Assert.Equal(2, current!.Value.Info.Version);
        Assert.Equal("b.csv", current.Value.Info.Source);
        Assert.Equal(second, current.Value.Model);
    }

    [Fact(Timeout = 120_000)]
    public async Task ModelSource_PrefersTheClientsModel_ThenTheDeployments_ThenTheBuiltIn()
    {
        var (service, prefix) = Storage();
        var source = Source(service, prefix);
        Assert.Same(BuiltInModel.Load(), await source.LoadAsync("acme", default));

        var deployment = Small(Categories.VpnRemoteAccess, Categories.Engineering);
        await BlobModelStore.For(service, prefix, null).PublishAsync(ModelFile.Save(deployment), deployment.Labels, "d.csv", Now, default);
        Assert.Equal(deployment.Labels, (await source.LoadAsync("acme", default)).Labels);

        var acme = Small(Categories.SoftwareAccess, Categories.SoftwareError, Categories.Engineering);
        await BlobModelStore.For(service, prefix, "acme").PublishAsync(ModelFile.Save(acme), acme.Labels, "acme.csv", Now, default);
        Assert.Equal(acme.Labels, (await source.LoadAsync("acme", default)).Labels);
        Assert.Equal(deployment.Labels, (await source.LoadAsync("other", default)).Labels);
    }

    [Fact(Timeout = 120_000)]
    public async Task ModelSource_PassesOverAModelWhoseLabelsAreNotCategories_OrWhoseFileIsNotAModel()
    {
        var (service, prefix) = Storage();
        var source = Source(service, prefix);
        var foreign = Small("Purchase", "HR Support");
        await BlobModelStore.For(service, prefix, null).PublishAsync(ModelFile.Save(foreign), foreign.Labels, "public.csv", Now, default);
        Assert.Same(BuiltInModel.Load(), await source.LoadAsync(null, default));

        await BlobModelStore.For(service, prefix, "acme").PublishAsync([1, 2, 3], [Categories.Engineering, Categories.PasswordReset], "broken", Now, default);
        Assert.Same(BuiltInModel.Load(), await source.LoadAsync("acme", default));
    }
}
