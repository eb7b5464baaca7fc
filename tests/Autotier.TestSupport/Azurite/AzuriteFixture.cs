using System.Globalization;
using Autotier.LocalHost.Azurite;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Autotier.TestSupport.Azurite;

/// <summary>
/// One in-memory Azurite on ports it picks itself, shared by a test collection and stopped after
/// it. A test project declares the collection (xunit wants the definition in the test assembly):
/// <code>[CollectionDefinition(AzuriteFixture.Collection)] public sealed class AzuriteCollection : ICollectionFixture&lt;AzuriteFixture&gt;;</code>
/// Tests in the collection share the storage, so each names its tables and queues with
/// <see cref="AzuriteNames"/>.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string Collection = "Azurite";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(45);
    private AzuriteProcess? _azurite;

    public AzuriteProcess Process => _azurite ?? throw new InvalidOperationException("Azurite has not started");

    public string ConnectionString => Process.ConnectionString;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        _azurite = await AzuriteProcess.StartAsync(new AzuriteOptions(DataDirectory: null), NullLogger.Instance, timeout.Token).ConfigureAwait(false);
    }

    public async Task DisposeAsync()
    {
        if (_azurite is not null) await _azurite.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>
/// Storage names unique to one test, valid for both queues (lowercase letters, digits, single
/// hyphens) and tables (letters and digits, a letter first), at most 63 characters.
/// </summary>
public static class AzuriteNames
{
    private static int _counter;

    /// <summary>A fresh prefix such as <c>t3f9a1c02</c>: a letter, then a per-process counter and random hex.</summary>
    public static string Prefix()
    {
        var n = Interlocked.Increment(ref _counter);
        return string.Create(CultureInfo.InvariantCulture, $"t{n}{Random.Shared.Next():x8}");
    }

    /// <summary>
    /// A queue name: the prefix, then a lowercase hint of letters and digits; at most 56
    /// characters, so the host's <c>-poison</c> queue beside it is still a valid name.
    /// </summary>
    public static string Queue(string hint) => Name(hint, 56);

    /// <summary>A table name: the prefix, then a hint of letters and digits.</summary>
    public static string Table(string hint) => Name(hint, 63);

    private static string Name(string hint, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(hint);
        var clean = new string([.. hint.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit)]);
        var name = Prefix() + clean;
        return name.Length <= maxLength ? name : name[..maxLength];
    }
}
