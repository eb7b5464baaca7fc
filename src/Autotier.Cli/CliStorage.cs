using System.Globalization;
using System.Net.Http;
using System.Text.RegularExpressions;
using Autotier.Adapters;
using Autotier.Adapters.Blobs;
using Autotier.Application.Ports;
using Azure;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace Autotier.Cli;

/// <summary>
/// The deployment's storage for the commands that use it, as the TypeScript CLI finds it:
/// <c>AzureWebJobsStorage</c> (or its <c>__tableServiceUri</c> identity form) and
/// <c>AUTOTIER_TABLE_PREFIX</c>; with neither, the Azurite the local host runs, on 10000-10002 or on
/// <c>AUTOTIER_AZURITE_PORT_BASE</c> and the next two (spelled out, so a failure can name where it looked).
/// </summary>
public sealed partial class CliStorage
{
    private readonly TableServiceClient tables;
    private readonly StorageConnection connection;

    private CliStorage(TableServiceClient tables, StorageConnection connection, StorageNames names, string where)
    {
        this.tables = tables;
        this.connection = connection;
        Names = names;
        Where = where;
    }

    public StorageNames Names { get; }

    /// <summary>The table endpoint, as a failure names it (<c>127.0.0.1:10002</c>, <c>account.table.core.windows.net</c>).</summary>
    public string Where { get; }

    public TableClient Table(string name) => tables.GetTableClient(name);

    /// <summary>The deployment's storage connection (queues and blobs for the commands that need them).</summary>
    public StorageConnection Connection => connection;

    /// <summary>The knowledge base's pictures (<c>&lt;prefix&gt;-kb</c>).</summary>
    public IKbImages KbImages()
    {
        var options = new BlobClientOptions();
        Shorten(options.Retry);
        return new BlobKbImages(connection.Blobs(options).GetBlobContainerClient(Names.KbImages));
    }

    /// <summary>The published models (<c>&lt;prefix&gt;-models</c>): the deployment's, or a client's.</summary>
    public BlobModelStore Models(string? client)
    {
        var options = new BlobClientOptions();
        Shorten(options.Retry);
        return BlobModelStore.For(connection.Blobs(options), Names.TablePrefix, client);
    }

    public static CliStorage Open(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var setting = context.Setting;
        StorageNames names;
        try
        {
            names = StorageNames.FromPrefix(setting("AUTOTIER_TABLE_PREFIX") is { Length: > 0 } p ? p : null);
        }
        catch (InvalidOperationException e)
        {
            throw new CliException(e.Message, ExitCodes.BadInput);
        }
        var configured = setting(StorageConnection.Name) is { Length: > 0 } s && !DevelopmentStorage().IsMatch(s)
            || setting($"{StorageConnection.Name}__tableServiceUri") is { Length: > 0 };
        try
        {
            var connection = configured
                ? StorageConnection.From(setting)
                : StorageConnection.From(name => name == StorageConnection.Name ? Azurite(PortBase(setting)) : null);
            var options = new TableClientOptions();
            Shorten(options.Retry);
            var client = connection.Tables(options);
            return new CliStorage(client, connection, names, $"{client.Uri.Host}:{client.Uri.Port}");
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException)
        {
            // A connection string the SDK cannot read is a setting to fix: bad input, one line.
            throw new CliException($"{StorageConnection.Name}: {e.Message.Split('\n')[0].Trim()}", ExitCodes.BadInput);
        }
    }

    // A command line should say soon that storage does not answer: fewer, shorter retries than a service's.
    private static void Shorten(RetryOptions retry)
    {
        retry.MaxRetries = 3;
        retry.Delay = TimeSpan.FromMilliseconds(200);
        retry.MaxDelay = TimeSpan.FromSeconds(2);
        retry.Mode = RetryMode.Exponential;
    }

    /// <summary>
    /// Runs a command's storage work; storage that does not answer becomes the one line that says what
    /// to do (exit 1), and any other storage error its own first line.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        try
        {
            return await work();
        }
        catch (Exception e) when (Unreachable(e))
        {
            throw new CliException($"cannot reach storage at {Where} — run `dotnet run --project src/Autotier.LocalHost` first or set AzureWebJobsStorage");
        }
        catch (RequestFailedException e)
        {
            throw new CliException($"storage answered {e.Status} {e.ErrorCode}: {FirstLine(e.Message)}");
        }
    }

    private static bool Unreachable(Exception e) => e switch
    {
        HttpRequestException => true,
        RequestFailedException { Status: 0 } r => r.InnerException is null || Unreachable(r.InnerException),
        AggregateException a => a.InnerExceptions.Any(Unreachable),
        _ => e.InnerException is { } inner && Unreachable(inner),
    };

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    private static int PortBase(Func<string, string?> setting)
    {
        var text = setting("AUTOTIER_AZURITE_PORT_BASE");
        if (string.IsNullOrEmpty(text)) return 10000;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65534
            ? port
            : throw new CliException($"AUTOTIER_AZURITE_PORT_BASE must be a port number, not \"{text}\"", ExitCodes.BadInput);
    }

    private static string Azurite(int portBase) => AzuriteAccount.ConnectionString(portBase, portBase + 1, portBase + 2);

    [GeneratedRegex("UseDevelopmentStorage=true", RegexOptions.IgnoreCase)]
    private static partial Regex DevelopmentStorage();
}
