namespace Autotier.LocalHost;

/// <summary>
/// How the local host runs. From the environment (<see cref="FromEnvironment"/>) for
/// <c>dotnet run</c>; tests build their own.
/// </summary>
public sealed record LocalHostSettings
{
    /// <summary>HTTP port on 127.0.0.1 (<c>PORT</c>, default 7071; 0 picks a free one).</summary>
    public int Port { get; init; } = 7071;

    /// <summary>
    /// Storage to use (<c>AzureWebJobsStorage</c>). When unset, the host starts its own Azurite
    /// with its data in <see cref="DataDirectory"/>.
    /// </summary>
    public string? StorageConnection { get; init; }

    /// <summary>Where the host's own Azurite keeps its data (<c>AUTOTIER_LOCAL_DATA</c>); null keeps it in memory.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>First of the three ports for the host's own Azurite (<c>AUTOTIER_AZURITE_PORT_BASE</c>, default 10000; 0 picks free ones).</summary>
    public int AzuritePortBase { get; init; } = 10000;

    /// <summary><c>AUTOTIER_VIRTUAL_CLOCK=1</c>: time moves only through <c>POST /_local/clock</c>.</summary>
    public bool VirtualClock { get; init; }

    /// <summary>Extra app settings (the process environment is read too; these win).</summary>
    public IReadOnlyDictionary<string, string?> AppSettings { get; init; } = new Dictionary<string, string?>();

    /// <summary>
    /// Tests only: runs after the app's composition, so what it registers replaces the app's (an
    /// end-to-end test points the ConnectWise client at a local server standing in for the https
    /// site, as the TypeScript suite replaces <c>fetch</c>). Never set by <see cref="FromEnvironment"/>.
    /// </summary>
    public Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? ConfigureServices { get; init; }

    public static LocalHostSettings FromEnvironment(string repositoryRoot, string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var inMemory = args.Contains("--in-memory") || Environment.GetEnvironmentVariable("AUTOTIER_AZURITE_IN_MEMORY") == "1";
        return new LocalHostSettings
        {
            Port = int.TryParse(Environment.GetEnvironmentVariable("PORT"), out var port) ? port : 7071,
            StorageConnection = Environment.GetEnvironmentVariable("AzureWebJobsStorage") is { Length: > 0 } s ? s : null,
            DataDirectory = inMemory
                ? null
                : Environment.GetEnvironmentVariable("AUTOTIER_LOCAL_DATA") is { Length: > 0 } d ? d : Path.Combine(repositoryRoot, ".azurite-dotnet"),
            AzuritePortBase = int.TryParse(Environment.GetEnvironmentVariable("AUTOTIER_AZURITE_PORT_BASE"), out var b) ? b : 10000,
            VirtualClock = Environment.GetEnvironmentVariable("AUTOTIER_VIRTUAL_CLOCK") == "1",
        };
    }
}
