using System.Globalization;

namespace Autotier.Adapters;

/// <summary>Azurite's development account: the local host starts Azurite with it, the CLI finds that Azurite with it.</summary>
public static class AzuriteAccount
{
    /// <summary>Azurite's well-known development account key (public, the same on every machine).</summary>
    public const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    public const string Name = "devstoreaccount1";

    /// <summary>A connection string for the development account on these ports of 127.0.0.1.</summary>
    public static string ConnectionString(int blobPort, int queuePort, int tablePort) =>
        string.Create(CultureInfo.InvariantCulture,
            $"DefaultEndpointsProtocol=http;AccountName={Name};AccountKey={Key};" +
            $"BlobEndpoint=http://127.0.0.1:{blobPort}/{Name};" +
            $"QueueEndpoint=http://127.0.0.1:{queuePort}/{Name};" +
            $"TableEndpoint=http://127.0.0.1:{tablePort}/{Name};");
}
