using System.Net.Http.Json;
using System.Text.Json;
using Autotier.Adapters;
using Autotier.Adapters.Graph;
using Autotier.Adapters.Tables;
using Autotier.Application.Kb;
using Autotier.Application.Playbooks;
using Autotier.Application.Ports;
using Autotier.Domain.Classification;
using Autotier.Domain.Playbooks;
using Autotier.Domain.Tickets;
using Autotier.LocalHost;
using Autotier.LocalHost.Dev;
using Autotier.LocalHost.GraphEmulator;
using Autotier.TestSupport.Azurite;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Autotier.IntegrationTests.Graph;

/// <summary>
/// The local host serves the demo tenant on its own port and connects the demo client to it; the
/// six cases of the TypeScript README's "Try every playbook" table give the same outcomes through
/// the playbooks, the Graph SDK over HTTP to that port, the host's outbox and knowledge base, and the
/// audit table on Azurite (the TypeScript tests/e2e/demoTenant.test.ts, up to the playbook's result:
/// mailing the guide and escalating are the lifecycle's).
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class DemoTenantTests(AzuriteFixture azurite) : IAsyncLifetime, IDisposable
{
    private const string Password = "Forgot my password";
    private const string PasswordBody = "I forgot my password and cannot sign in.";
    private readonly string prefix = AzuriteNames.Prefix();
    private LocalHostApp app = null!;
    private HttpClient http = null!;
    private readonly GraphDirectories directories = new(_ => null);

    public async Task InitializeAsync()
    {
        // The demo client as an older run stored it: no directory, no catalogue.
        var clients = new TableClientStore(new TableServiceClient(azurite.ConnectionString).GetTableClient(StorageNames.FromPrefix(prefix).Clients));
        await new TableServiceClient(azurite.ConnectionString).CreateTableIfNotExistsAsync(StorageNames.FromPrefix(prefix).Clients);
        await clients.SaveAsync(DemoSeed.Client, default);
        app = LocalHostApp.Create(
            new LocalHostSettings
            {
                Port = 0,
                AppSettings = new Dictionary<string, string?> { ["AUTOTIER_TABLE_PREFIX"] = prefix, ["AUTOTIER_TASK_HUB"] = prefix },
            },
            azurite.ConnectionString, Path.Combine(RepositoryRoot.Find(), "host.json"), logging => logging.ClearProviders());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await app.StartAsync(timeout.Token);
        http = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        await Log.EnsureCreatedAsync(default);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    public void Dispose()
    {
        http?.Dispose();
        directories.Dispose();
    }

    private TableActionLog Log => new(new TableServiceClient(azurite.ConnectionString).GetTableClient(TableActionLog.TableName(StorageNames.FromPrefix(prefix))));

    private async Task<PlaybookRun> FileAsync(string ticketId, string email, string category, string subject, string body,
        RequesterProof proof = RequesterProof.FromMailbox)
    {
        var client = (await app.Services.GetRequiredService<IClientStore>().GetAsync("demo", default))!;
        var ticket = Ticket.Create(ticketId, new NewTicket("demo", new Requester(null, email), subject, body, $"api:{ticketId}", Channel.Api)
        {
            Classification = new TicketClassification(category, Priorities.P3, 0.9, Routes.Auto, 1, [], Playbook: Playbooks.For(category, null)),
        }, DateTimeOffset.UtcNow);
        var runner = new PlaybookRunner(directories, app.Services.GetRequiredService<KnowledgeBase>(), Log, app.Services.GetRequiredService<IEmailSender>());
        return await runner.RunAsync(new PlaybookRequest(ticket, client, "playbook-1", DateTimeOffset.UtcNow, proof), default);
    }

    private async Task<IReadOnlyList<OutboxMail>> MailsAsync(string to) =>
        await app.Services.GetRequiredService<IDevOutbox>().ListAsync(to, default);

    private async Task<IReadOnlyList<ActionRecord>> AuditAsync(string ticketId) =>
        [.. (await Log.ForClientAsync("demo", null, default)).Where(r => r.TicketId == ticketId)];

    [Fact(Timeout = 120_000)]
    public async Task Serves_the_demo_tenant_on_the_app_port_and_connects_the_demo_client_to_it_keeping_the_rest()
    {
        var users = await http.GetFromJsonAsync<JsonElement>("_emulator/graph/v1.0/users?$filter=mail eq 'sspr@demo.example'");
        Assert.Equal(["sspr@demo.example"], users.GetProperty("value").EnumerateArray().Select(u => u.GetProperty("userPrincipalName").GetString()));
        var demo = (await app.Services.GetRequiredService<IClientStore>().GetAsync("demo", default))!;
        Assert.Equal(new DirectoryConnection("demo", DirectoryCredentials.None) { BaseUrl = $"{app.BaseAddress.ToString().TrimEnd('/')}/_emulator/graph" }, demo.Directory);
        Assert.Equal([("Visio", "VISIOCLIENT"), ("Microsoft Project", "PROJECTPROFESSIONAL")], demo.Access!.Products.Select(p => (p.Product, p.Sku!)));
        Assert.Equal(DemoSeed.Client.SystemProfile.VpnProduct, demo.SystemProfile.VpnProduct);
        Assert.Equal(DemoSeed.Client.SystemProfile.Printers, demo.SystemProfile.Printers);
        // Nothing to change the second time; a directory someone set up is left alone.
        var clients = app.Services.GetRequiredService<IClientStore>();
        Assert.False(await DemoTenant.ConnectAsync(clients, "demo", demo.Directory!.BaseUrl!, default));
        var own = demo with { Directory = new DirectoryConnection("t-1", DirectoryCredentials.WorkloadIdentity) { AppId = "app-1" } };
        await clients.SaveAsync(own, default);
        Assert.False(await DemoTenant.ConnectAsync(clients, "demo", demo.Directory.BaseUrl!, default));
        Assert.Equal(own.Directory, (await clients.GetAsync("demo", default))!.Directory);
    }

    [Fact(Timeout = 120_000)]
    public async Task The_six_cases_of_the_README_table_give_its_outcomes()
    {
        // 1. Password, self-service reset registered: the reset steps, nothing done to the account.
        var one = Assert.IsType<PlaybookGuide>(await FileAsync("T-2001", "sspr@demo.example", Categories.PasswordReset, Password, PasswordBody));
        Assert.Equal("Getting back into your account", one.Guide.Title);
        Assert.Contains(one.Guide.Steps, s => s.Contains("aka.ms/sspr", StringComparison.Ordinal));
        Assert.StartsWith("Self-service reset registered", one.Record!.Findings[1], StringComparison.Ordinal);
        Assert.Empty(await AuditAsync("T-2001"));

        // 2. Password, MFA only: a Temporary Access Pass, mailed only to the verified contact email.
        var two = Assert.IsType<PlaybookGuide>(await FileAsync("T-2002", "mfa-only@demo.example", Categories.PasswordReset, Password, PasswordBody));
        var passMail = Assert.Single(await MailsAsync("mfa-only@personal.example"));
        Assert.Equal("[#T-2002] Your one-time sign-in pass", passMail.Subject);
        var pass = System.Text.RegularExpressions.Regex.Match(passMail.Text, @"sign-in pass:\n\n(\S+)").Groups[1].Value;
        Assert.NotEmpty(pass);
        Assert.Equal("Getting back into your account with a one-time pass", two.Guide.Title);
        Assert.Contains("m***@personal.example", two.Guide.Intro, StringComparison.Ordinal);
        Assert.DoesNotContain(pass, JsonSerializer.Serialize<object>(two), StringComparison.Ordinal);
        Assert.Empty(await MailsAsync("mfa-only@demo.example"));
        Assert.Equal([PlaybookActions.TemporaryAccessPass], two.Record!.Actions.Select(a => a.Action));
        var passRecord = Assert.Single(await AuditAsync("T-2002"));
        Assert.Equal((PlaybookActions.TemporaryAccessPass, "mfa-only@demo.example", "done"), (passRecord.Action, passRecord.Target, passRecord.Outcome));
        Assert.DoesNotContain(pass, passRecord.ToString(), StringComparison.Ordinal);

        // 3. Password, no sign-in method registered: escalated.
        var three = Assert.IsType<PlaybookStopped>(await FileAsync("T-2003", "no-methods@demo.example", Categories.PasswordReset, Password, PasswordBody));
        Assert.Contains("not registered for MFA or self-service reset", three.Reason, StringComparison.Ordinal);
        Assert.StartsWith("Before we can help with your password we need to be sure it's really you", three.Told, StringComparison.Ordinal);

        // 4. Password, disabled account: escalated as a possible leaver or block, never "resolved".
        var four = Assert.IsType<PlaybookStopped>(await FileAsync("T-2004", "disabled@demo.example", Categories.PasswordReset, Password, PasswordBody));
        Assert.Contains("disabled@demo.example is disabled in Entra ID, which may be deliberate (a leaver or a block)", four.Reason, StringComparison.Ordinal);
        Assert.StartsWith("Your account is switched off at the moment", four.Told, StringComparison.Ordinal);

        // 5. Licence with a free seat: Visio assigned.
        var five = Assert.IsType<PlaybookGuide>(await FileAsync("T-2005", "sspr@demo.example", Categories.SoftwareAccess,
            "Visio licence", "Please can I have a Visio licence so I can open the floor plan diagrams."));
        Assert.Equal("Your access to Visio", five.Guide.Title);
        Assert.Equal([(PlaybookActions.LicenceAssigned, "sspr@demo.example")], five.Record!.Actions.Select(a => (a.Action, a.Target)));
        Assert.Contains("VISIOCLIENT: 3 of 5 seats in use.", five.Record.Findings);
        var licence = Assert.Single(await AuditAsync("T-2005"));
        Assert.Equal((PlaybookActions.LicenceAssigned, "done"), (licence.Action, licence.Outcome));
        var skus = await http.GetFromJsonAsync<JsonElement>("_emulator/graph/v1.0/subscribedSkus");
        Assert.Equal(4, skus.GetProperty("value").EnumerateArray().Single(s => s.GetProperty("skuPartNumber").GetString() == "VISIOCLIENT").GetProperty("consumedUnits").GetInt32());

        // 6. Licence with no free seat: Microsoft Project escalated with the count.
        var six = Assert.IsType<PlaybookStopped>(await FileAsync("T-2006", "sspr@demo.example", Categories.SoftwareAccess,
            "Microsoft Project licence", "Please can I have a Microsoft Project licence so I can plan the surgery refit."));
        Assert.Contains("no free Microsoft Project licence (PROJECTPROFESSIONAL: 2 of 2 in use)", six.Reason, StringComparison.Ordinal);
        Assert.StartsWith("All of your organisation's Microsoft Project licences are in use", six.Told, StringComparison.Ordinal);
        Assert.Empty(await AuditAsync("T-2006"));
    }

    [Fact(Timeout = 120_000)]
    public async Task Without_proof_of_the_address_the_cases_that_change_an_account_ask_for_it_and_change_nothing()
    {
        Assert.IsType<PlaybookNeedsProof>(await FileAsync("T-2102", "mfa-only@demo.example", Categories.PasswordReset, Password, PasswordBody, RequesterProof.None));
        Assert.IsType<PlaybookNeedsProof>(await FileAsync("T-2105", "sspr@demo.example", Categories.SoftwareAccess,
            "Visio licence", "Please can I have a Visio licence so I can open the floor plan diagrams.", RequesterProof.None));
        Assert.Empty(await MailsAsync("mfa-only@personal.example"));
        Assert.Empty(await Log.ForClientAsync("demo", null, default));
        var skus = await http.GetFromJsonAsync<JsonElement>("_emulator/graph/v1.0/subscribedSkus");
        Assert.Equal(3, skus.GetProperty("value").EnumerateArray().Single(s => s.GetProperty("skuPartNumber").GetString() == "VISIOCLIENT").GetProperty("consumedUnits").GetInt32());
        // The cases that change nothing need no proof.
        Assert.IsType<PlaybookGuide>(await FileAsync("T-2101", "sspr@demo.example", Categories.PasswordReset, Password, PasswordBody, RequesterProof.None));
        Assert.IsType<PlaybookStopped>(await FileAsync("T-2106", "sspr@demo.example", Categories.SoftwareAccess,
            "Microsoft Project licence", "Please can I have a Microsoft Project licence so I can plan the surgery refit.", RequesterProof.None));
    }
}
