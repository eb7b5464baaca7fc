using System.Collections.Concurrent;
using System.Text.Json;
using Autotier.Adapters;
using Autotier.Adapters.Psa;
using Autotier.Adapters.Webhooks;
using Autotier.Application.Ports;
using Autotier.Application.Webhooks;
using Autotier.Domain.Psa;
using Autotier.LocalHost;
using Autotier.LocalHost.Azurite;
using Autotier.TestSupport.Azurite;
using Autotier.TestSupport.Psa;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;
using C = Autotier.TestSupport.Psa.FakePsaServer;

namespace Autotier.E2ETests.Webhooks;

/// <summary>
/// The local host (real clock) connected to one PSA that is a <see cref="FakePsaServer"/>, configured
/// as tests/e2e/psaWebhookScenario.ts configures it: the AUTOTIER_PSA_* settings, webhook secrets,
/// the mapping (company 250 is the demo client; tiers 1, 12, 13; statuses 3, 5, 7, 8; autotier's own
/// member/resource/agent id), and the mail intake secret. Autotask and Halo are reached at the fake's
/// loopback URL; ConnectWise's site must be https (its key URLs are pinned to it), so the site is
/// <see cref="ConnectWiseSite"/> and a handler sends what is meant for it to the fake, as the
/// TypeScript suite's <c>fetch</c> does.
/// </summary>
public abstract class PsaHostFixture(string vendor) : IAsyncLifetime
{
    public const string ConnectWiseSite = "https://api-na.myconnectwise.net/v4_6_release/apis/3.0";
    public const string MailIntake = "inbound:mail-secret";

    private static readonly string[] Audiences = ["tier1", "tier2", "tier3", "oncall"];

    private AzuriteProcess? azurite;

    public string Vendor { get; } = vendor;

    /// <summary>autotier's own id in the PSA (its changes are ignored).</summary>
    public string SelfId => Vendor switch { PsaVendors.ConnectWise => "autotier", PsaVendors.Autotask => "29682885", _ => "77" };

    public string Mapping => JsonSerializer.Serialize(new
    {
        companies = new Dictionary<string, string> { ["250"] = "demo" },
        tiers = new Dictionary<string, string> { ["1"] = "1", ["2"] = "12", ["3"] = "13" },
        statuses = new Dictionary<string, string> { ["in_progress"] = "3", ["waiting_on_requester"] = "5", ["resolved"] = "7", ["closed"] = "8" },
        selfIds = new[] { SelfId },
    });

    public FakePsaServer Psa { get; private set; } = null!;

    public LocalHostApp App { get; private set; } = null!;

    public HttpClient Http { get; private set; } = new();

    public QueueClient IntakeQueue { get; private set; } = null!;

    public string StorageConnection => azurite?.ConnectionString ?? throw new InvalidOperationException("not started");

    /// <summary>Requests the app aimed anywhere but the configured ConnectWise site (none reach a server).</summary>
    public ConcurrentQueue<Uri> ForeignRequests { get; } = new();

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        azurite = await AzuriteProcess.StartAsync(new AzuriteOptions(DataDirectory: null), NullLogger.Instance, timeout.Token);
        Psa = await FakePsaServer.StartAsync();
        var cw = Vendor == PsaVendors.ConnectWise;
        var settings = new Dictionary<string, string?>
        {
            ["AUTOTIER_PSA_TYPE"] = Vendor,
            ["AUTOTIER_PSA_BASE_URL"] = cw ? ConnectWiseSite : Psa.Url,
            ["AUTOTIER_PSA_COMPANY_ID"] = C.CwCompany,
            ["AUTOTIER_PSA_USERNAME"] = cw ? C.CwPublicKey : C.AtUserName,
            ["AUTOTIER_PSA_SECRET"] = Vendor switch { PsaVendors.ConnectWise => C.CwPrivateKey, PsaVendors.Autotask => C.AtSecret, _ => C.HaloClientSecret },
            ["AUTOTIER_PSA_CLIENT_ID"] = Vendor switch { PsaVendors.ConnectWise => C.CwClientId, PsaVendors.Autotask => C.AtIntegrationCode, _ => C.HaloClientId },
            ["AUTOTIER_PSA_WEBHOOK_SECRETS"] = Vendor switch
            {
                PsaVendors.ConnectWise => "",
                PsaVendors.Autotask => "at-hook-secret-new,at-hook-secret-old",
                _ => "autotier:halo-hook-password,autotier:halo-hook-old",
            },
            ["AUTOTIER_MAIL_INTAKE_SECRETS"] = MailIntake,
            ["AUTOTIER_PSA_MAPPING"] = Mapping,
            // The tiers' alerts land in the dev outbox, where a test reads what they say.
            ["AUTOTIER_NOTIFY"] = JsonSerializer.Serialize(Audiences.ToDictionary(a => a, a => new { email = $"{a}@msp.example" })),
        };
        App = LocalHostApp.Create(
            new LocalHostSettings { Port = 0, AppSettings = settings, ConfigureServices = cw ? RouteConnectWise : null },
            azurite.ConnectionString,
            Path.Combine(RepositoryRoot.Find(), "host.json"),
            logging => logging.ClearProviders());
        await App.StartAsync(timeout.Token);
        Http = new HttpClient { BaseAddress = App.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        IntakeQueue = new QueueClient(azurite.ConnectionString, "autotier-intake");
    }

    /// <summary>The real ConnectWise API and key clients, their requests for the site sent to the fake.</summary>
    private void RouteConnectWise(IServiceCollection services)
    {
        services.AddSingleton(new PsaConnection(
            new ConnectWiseApi(new ConnectWiseSettings(ConnectWiseSite, C.CwCompany, C.CwPublicKey, C.CwPrivateKey, C.CwClientId),
                new HttpClient(new ToSite(this)) { Timeout = Timeout.InfiniteTimeSpan }),
            PsaMapping.Parse(Mapping)));
        services.AddSingleton<IConnectWiseKeySource>(new ConnectWiseKeyClient(
            ConnectWiseKeyClient.CreateHttpClient(new ToSite(this)), C.CwCompany, C.CwPublicKey, C.CwPrivateKey, C.CwClientId));
    }

    /// <summary>
    /// https://api-na.myconnectwise.net goes to the fake (the API root stripped, the callback-key page
    /// kept as is); any other host is recorded and refused, so nothing leaves the machine.
    /// </summary>
    private sealed class ToSite(PsaHostFixture fixture) : DelegatingHandler(new SocketsHttpHandler { AllowAutoRedirect = false })
    {
        private static readonly string ApiRoot = new Uri(ConnectWiseSite).AbsolutePath;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            if (uri.Scheme != Uri.UriSchemeHttps || uri.Authority != new Uri(ConnectWiseSite).Authority)
            {
                fixture.ForeignRequests.Enqueue(uri);
                throw new HttpRequestException($"{uri.Host} is not the configured site");
            }
            var path = uri.AbsolutePath.StartsWith(ApiRoot, StringComparison.Ordinal) ? uri.AbsolutePath[ApiRoot.Length..] : uri.AbsolutePath;
            request.RequestUri = new Uri(fixture.Psa.Url + path + uri.Query);
            return base.SendAsync(request, cancellationToken);
        }
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await App.DisposeAsync();
        await Psa.DisposeAsync();
        if (azurite is not null) await azurite.DisposeAsync();
    }

    /// <summary>What cannot be placed, as the ops page and the CLI list it.</summary>
    public Task<IReadOnlyList<ReviewItem>> ReviewAsync(CancellationToken cancellationToken) =>
        App.Services.GetRequiredService<ReviewItems>().ListAsync(cancellationToken);

    /// <summary>The Tickets table's name (default prefix), to see what intake filed.</summary>
    public static string TicketsTable => StorageNames.FromPrefix(null).Tickets;
}

public sealed class ConnectWiseHostFixture() : PsaHostFixture(PsaVendors.ConnectWise);

public sealed class AutotaskHostFixture() : PsaHostFixture(PsaVendors.Autotask);

public sealed class HaloPsaHostFixture() : PsaHostFixture(PsaVendors.HaloPsa);
