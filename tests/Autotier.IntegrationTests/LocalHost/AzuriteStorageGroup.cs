using Autotier.TestSupport.Azurite;
using Xunit;

namespace Autotier.IntegrationTests.LocalHost;

/// <summary>The tests that share one in-memory Azurite (xunit wants the definition in this assembly).</summary>
[CollectionDefinition(AzuriteFixture.Collection)]
public sealed class AzuriteStorageGroup : ICollectionFixture<AzuriteFixture>;
