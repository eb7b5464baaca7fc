using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Autotier.Application.Webhooks;
using Autotier.LocalHost;
using Autotier.LocalHost.Azurite;
using Autotier.TestSupport.Azurite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;
using static Autotier.E2ETests.Webhooks.WebhookHttp;

namespace Autotier.E2ETests.Webhooks;

/// <summary>A local host connected to HaloPSA (Basic auth, company 250 is the demo client), as tests/e2e/webhook-halopsa.test.ts sets it up.</summary>
public sealed class HaloHostFixture : IAsyncLifetime
{
    private AzuriteProcess? azurite;

    public LocalHostApp App { get; private set; } = null!;

    public HttpClient Http { get; private set; } = new();

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        azurite = await AzuriteProcess.StartAsync(new AzuriteOptions(DataDirectory: null), NullLogger.Instance, timeout.Token);
        App = LocalHostApp.Create(
            new LocalHostSettings
            {
                Port = 0,
                AppSettings = new Dictionary<string, string?>
                {
                    ["AUTOTIER_PSA_TYPE"] = "halopsa",
                    // The PSA's API (write-back, partial deliveries) is configured with the type; these
                    // deliveries carry the whole ticket, so nothing here calls it (loopback port 9 refuses).
                    ["AUTOTIER_PSA_BASE_URL"] = "http://127.0.0.1:9",
                    ["AUTOTIER_PSA_CLIENT_ID"] = "autotier",
                    ["AUTOTIER_PSA_SECRET"] = "not-a-real-secret",
                    ["AUTOTIER_PSA_WEBHOOK_SECRETS"] = "autotier:halo-hook-password,autotier:halo-hook-old",
                    ["AUTOTIER_PSA_MAPPING"] = """{"companies":{"250":"demo"},"tiers":{"1":"1"},"selfIds":["77"]}""",
                },
            },
            azurite.ConnectionString,
            Path.Combine(RepositoryRoot.Find(), "host.json"),
            logging => logging.ClearProviders());
        await App.StartAsync(timeout.Token);
        Http = new HttpClient { BaseAddress = App.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await App.DisposeAsync();
        if (azurite is not null) await azurite.DisposeAsync();
    }
}

/// <summary><c>POST /api/webhooks/halopsa</c> over HTTP: the delivery becomes a ticket from the queue, what cannot be placed goes to review.</summary>
public sealed class HaloWebhookTests(HaloHostFixture host) : IClassFixture<HaloHostFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(45);

    private static HttpRequestMessage Delivery(object payload, string? pair = "autotier:halo-hook-password")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("api/webhooks/halopsa", UriKind.Relative))
        {
            Content = new StringContent(JsonSerializer.Serialize(payload), Encoding.UTF8, "application/json"),
        };
        if (pair is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
        return request;
    }

    [Fact(Timeout = 120_000)]
    public async Task A_new_halo_ticket_becomes_a_ticket_with_unsafe_one_line_text_replaced_and_a_line_separator_kept_in_its_body()
    {
        var email = $"h.{Guid.NewGuid():N}@demo.example";
        var payload = new
        {
            id = "halo-" + Guid.NewGuid().ToString("N"), @event = "New Ticket Logged",
            ticket = new { id = 321, summary = "Outlook\r\nkeeps asking\u2028for my password", details = "Since the update.\u2028It asks every hour.\u2029", client_id = 250, user_name = "Ana Lima", user_email = email },
        };
        var response = await host.Http.SendAsync(Delivery(payload));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var ticketId = await TicketMailedToAsync(host.Http, email, Bound);
        var ticket = await host.Http.GetFromJsonAsync<JsonElement>(new Uri($"api/tickets/{ticketId}", UriKind.Relative));
        Assert.Equal("Outlook keeps asking for my password", ticket.GetProperty("subject").GetString());

        var replay = await host.Http.SendAsync(Delivery(payload));
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
    }

    [Fact(Timeout = 120_000)]
    public async Task Wrong_or_missing_credentials_get_401_and_the_old_pair_still_works_during_a_rotation()
    {
        var payload = new { id = "halo-" + Guid.NewGuid().ToString("N"), ticket = new { id = 5 } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Http.SendAsync(Delivery(payload, "autotier:guess"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Http.SendAsync(Delivery(payload, null))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await host.Http.SendAsync(Delivery(payload, "autotier:halo-hook-old"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.PostAsync(new Uri("api/webhooks/autotask", UriKind.Relative), new StringContent("{}"))).StatusCode);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_ticket_of_an_unmapped_company_is_kept_for_review_and_assigning_it_files_it()
    {
        var email = $"u.{Guid.NewGuid():N}@other.example";
        var id = "halo-" + Guid.NewGuid().ToString("N");
        var response = await host.Http.SendAsync(Delivery(new
        {
            id, @event = "New Ticket Logged", ticket = new { id = 777, summary = "Cannot print", client_id = 999, client_name = "Other Co", user_email = email },
        }));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var items = host.App.Services.GetRequiredService<ReviewItems>();
        using var cts = new CancellationTokenSource(Bound);
        ReviewItem? item = null;
        while (item is null)
        {
            item = (await items.ListAsync(cts.Token)).FirstOrDefault(i => i.EventId == id);
            if (item is null) await Task.Delay(100, cts.Token);
        }
        Assert.Equal(("halopsa", "halopsa company 999 / Other Co is not mapped to a client"), (item.Source, item.Reason));

        Assert.IsType<ReviewAction.Done>(await items.AssignAsync(item.Id, "demo", default));
        var ticketId = await TicketMailedToAsync(host.Http, email, Bound);
        Assert.StartsWith("T-", ticketId, StringComparison.Ordinal);
    }
}
