using Autotier.LocalHost;
using Autotier.LocalHost.Azurite;
using Autotier.LocalHost.GraphEmulator;
using Autotier.TestSupport.Azurite;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Autotier.E2ETests.Mail;

/// <summary>
/// The local host with mail intake switched on (Basic secrets, a support mailbox, Graph client
/// states) and Microsoft Graph served by the emulator on a port of its own, over its own in-memory Azurite.
/// </summary>
public sealed class MailHostFixture : IAsyncLifetime
{
    public const string Collection = "MailHost";
    public const string Mailbox = "support@msp.example";
    public const string ClientState = "graph-client-state-new";

    private AzuriteProcess? azurite;
    private LocalHostApp? app;

    public GraphEmulatorServer Graph { get; private set; } = null!;

    public LocalHostApp App => app ?? throw new InvalidOperationException("not started");

    public HttpClient Http { get; private set; } = new();

    public TableServiceClient Tables { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        azurite = await AzuriteProcess.StartAsync(new AzuriteOptions(DataDirectory: null), NullLogger.Instance, timeout.Token);
        Graph = await GraphEmulatorServer.StartAsync();
        app = LocalHostApp.Create(
            new LocalHostSettings
            {
                Port = 0,
                AppSettings = new Dictionary<string, string?>
                {
                    ["AUTOTIER_MAIL_INTAKE_SECRETS"] = "inbound:mail-secret-1,inbound:mail-secret-0",
                    ["AUTOTIER_SUPPORT_MAILBOX"] = Mailbox,
                    ["AUTOTIER_GRAPH_CLIENT_STATE"] = $"{ClientState},graph-client-state-old",
                    ["AUTOTIER_GRAPH_AUTH"] = "none",
                    ["AUTOTIER_GRAPH_BASE_URL"] = Graph.Url + "/v1.0",
                },
            },
            azurite.ConnectionString,
            Path.Combine(RepositoryRoot.Find(), "host.json"),
            logging => logging.ClearProviders());
        await app.StartAsync(timeout.Token);
        Http = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        Tables = new TableServiceClient(azurite.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (app is not null) await app.DisposeAsync();
        await Graph.DisposeAsync();
        if (azurite is not null) await azurite.DisposeAsync();
    }
}

/// <summary>
/// Runs on its own, after the parallel collections: a second local host with its own Azurite beside
/// the others loads this 2-core machine enough that the SIGTERM test's host is still starting when
/// the signal arrives.
/// </summary>
[CollectionDefinition(MailHostFixture.Collection, DisableParallelization = true)]
public sealed class MailHostGroup : ICollectionFixture<MailHostFixture>;
