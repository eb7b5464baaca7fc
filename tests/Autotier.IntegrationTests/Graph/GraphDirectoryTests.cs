using System.Diagnostics;
using Autotier.Adapters.Graph;
using Autotier.Application.Ports;
using Autotier.LocalHost.GraphEmulator;
using Autotier.TestSupport.Graph;
using Xunit;

namespace Autotier.IntegrationTests.Graph;

/// <summary>
/// The Graph adapter (the Microsoft Graph SDK) against the emulator over real HTTP, Kestrel on a free
/// port (the TypeScript tests/integration/adapters/graph/graphDirectory.test.ts).
/// </summary>
public sealed class GraphDirectoryTests : IAsyncLifetime
{
    private const string Visio = "c5928f49-12ba-48f7-ada3-0d743a3601d5";
    private GraphEmulatorServer server = null!;
    private readonly List<GraphDirectory> made = [];

    private GraphEmulator Graph => server.Emulator;

    public async Task InitializeAsync() => server = await GraphEmulatorServer.StartAsync(GraphTestCredential.Token);

    public async Task DisposeAsync()
    {
        foreach (var d in made) d.Dispose();
        await server.DisposeAsync();
    }

    private GraphDirectory Directory(int maxRetries = 3, TimeSpan? timeout = null, int maxWait = 30)
    {
        var d = new GraphDirectory(new GraphTestCredential(), new GraphDirectoryOptions
        {
            BaseUrl = server.Url, MaxRetries = maxRetries, AttemptTimeout = timeout ?? TimeSpan.FromSeconds(2), MaxWaitSeconds = maxWait,
        });
        made.Add(d);
        return d;
    }

    [Fact(Timeout = 30_000)]
    public async Task Finds_a_user_by_mail_UPN_or_proxy_address_with_the_fields_the_playbooks_read()
    {
        var u = Graph.AddUser(new EmulatedUser
        {
            UserPrincipalName = "kim.park@demodental.onmicrosoft.com",
            Mail = "Kim.Park@demo.example",
            ProxyAddresses = ["SMTP:Kim.Park@demo.example", "smtp:kim@demo.example"],
            DisplayName = "Kim Park",
            OnPremisesSyncEnabled = true,
            OnPremisesDomainName = "demo.local",
            OnPremisesSamAccountName = "kpark",
            OfficeLocation = "Riverside",
            UsageLocation = "GB",
            AssignedSkuIds = [Visio],
        });
        var d = Directory();
        foreach (var address in new[] { "kim.park@demo.example", "KIM.PARK@demodental.onmicrosoft.com", "kim@demo.example" })
            Assert.Equal(u.Id, (await d.FindUserAsync(address, default))?.Id);
        var found = (await d.FindUserAsync("kim.park@demo.example", default))!;
        Assert.Equal(
            (u.Id, "kim.park@demodental.onmicrosoft.com", "Kim.Park@demo.example", "Kim Park", true, "Riverside", "GB"),
            (found.Id, found.UserPrincipalName, found.Mail, found.DisplayName, found.AccountEnabled, found.OfficeLocation, found.UsageLocation));
        Assert.Equal(new OnPremisesAccount("demo.local", "kpark"), found.OnPremises);
        Assert.Equal([Visio], found.AssignedSkuIds);
        Assert.Null(await d.FindUserAsync("someone@else.example", default));
        var query = Graph.Requests.First(r => r.Path == "/users").Query;
        Assert.Contains("$filter=mail eq 'kim.park@demo.example' or userPrincipalName eq", query, StringComparison.Ordinal);
        Assert.Contains("$select=id,userPrincipalName,mail", query, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Treats_two_accounts_with_one_address_as_unknown_and_escapes_quotes_in_the_filter()
    {
        Graph.AddUser(new EmulatedUser { UserPrincipalName = "a@demo.example", Mail = "neil@demo.example" });
        Graph.AddUser(new EmulatedUser { UserPrincipalName = "b@demo.example", Mail = "neil@demo.example" });
        Assert.Null(await Directory().FindUserAsync("neil@demo.example", default));
        await Directory().FindUserAsync("o'neil@demo.example", default);
        Assert.Contains("mail eq 'o''neil@demo.example'", Graph.Requests.Last().Query, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Reads_registration_and_verified_email_methods_and_creates_a_Temporary_Access_Pass()
    {
        var u = Graph.AddUser(new EmulatedUser
        {
            UserPrincipalName = "sam@demo.example",
            Registration = new EmulatedRegistration(true, true, true),
            EmailMethods = ["sam.home@example.org"],
        });
        var d = Directory();
        var reg = await d.RegistrationAsync(u.Id, default);
        Assert.Equal((true, true, true), (reg.SsprRegistered, reg.SsprEnabled, reg.MfaRegistered));
        Assert.Equal(["microsoftAuthenticatorPush"], reg.Methods);
        Assert.Equal(["sam.home@example.org"], await d.VerifiedEmailsAsync(u.Id, default));
        var tap = await d.CreateTemporaryAccessPassAsync(u.Id, 60, usableOnce: true, default);
        Assert.Equal(Graph.Passes[u.Id].Pass, tap.Pass);
        Assert.Equal((60, true), (tap.LifetimeMinutes, tap.UsableOnce));
        var body = Graph.Requests.Last().Body!.Value;
        Assert.Equal((60, true), (body.GetProperty("lifetimeInMinutes").GetInt32(), body.GetProperty("isUsableOnce").GetBoolean()));
        Assert.DoesNotContain(tap.Pass, tap.ToString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Reads_free_seats_assigns_a_licence_and_adds_a_group_member_once()
    {
        var u = Graph.AddUser(new EmulatedUser { UserPrincipalName = "sam@demo.example", UsageLocation = "GB" });
        Graph.Skus[Visio] = new EmulatedSku { SkuId = Visio, SkuPartNumber = "VISIOCLIENT", Enabled = 5, Consumed = 4 };
        Graph.Groups["g-adobe"] = [];
        var d = Directory();
        Assert.Equal([new SubscribedSku(Visio, "VISIOCLIENT", 5, 4)], await d.SubscribedSkusAsync(default));
        await d.AssignLicenceAsync(u.Id, Visio, default);
        Assert.Equal([Visio], u.AssignedSkuIds);
        var body = Graph.Requests.Last().Body!.Value;
        Assert.Equal(Visio, body.GetProperty("addLicenses")[0].GetProperty("skuId").GetString());
        Assert.Equal(0, body.GetProperty("removeLicenses").GetArrayLength());
        Assert.True(await d.AddGroupMemberAsync("g-adobe", u.Id, default));
        Assert.False(await d.AddGroupMemberAsync("g-adobe", u.Id, default));
        Assert.Contains(u.Id, Graph.Groups["g-adobe"]);
    }

    [Fact(Timeout = 30_000)]
    public async Task Says_why_Graph_refused_no_usage_location_or_no_token()
    {
        var u = Graph.AddUser(new EmulatedUser { UserPrincipalName = "sam@demo.example" });
        Graph.Skus[Visio] = new EmulatedSku { SkuId = Visio, SkuPartNumber = "VISIOCLIENT", Enabled = 5, Consumed = 0 };
        var refused = await Assert.ThrowsAsync<DirectoryException>(() => Directory().AssignLicenceAsync(u.Id, Visio, default));
        Assert.Equal((DirectoryFailure.Rejected, 400), (refused.Kind, refused.Status));
        Assert.Matches("assign the licence.*invalid usage location", refused.Message);
        using var anonymous = new GraphDirectory(null, new GraphDirectoryOptions { BaseUrl = server.Url });
        Assert.Equal(401, (await Assert.ThrowsAsync<DirectoryException>(() => anonymous.SubscribedSkusAsync(default))).Status);
    }

    [Fact(Timeout = 30_000)]
    public async Task Retries_after_429_for_as_long_as_Retry_After_says_then_succeeds()
    {
        Graph.Fail(new GraphFault(429, "1"));
        var clock = Stopwatch.StartNew();
        Assert.Empty(await Directory().SubscribedSkusAsync(default));
        Assert.True(clock.ElapsedMilliseconds >= 950, $"waited for Retry-After ({clock.ElapsedMilliseconds} ms)");
        Assert.Equal(2, Graph.Requests.Count(r => r.Path == "/subscribedSkus"));
    }

    [Fact(Timeout = 30_000)]
    public async Task Gives_up_on_throttling_that_lasts_or_asks_for_a_longer_wait_than_one_activity_may_take()
    {
        Graph.Fail(new GraphFault(429, "1"), new GraphFault(429, "1"));
        var lasting = await Assert.ThrowsAsync<DirectoryException>(() => Directory(maxRetries: 1).SubscribedSkusAsync(default));
        Assert.Equal((DirectoryFailure.Throttled, 1), (lasting.Kind, lasting.RetryAfterSeconds));
        Graph.Fail(new GraphFault(429, "120"));
        var clock = Stopwatch.StartNew();
        var longWait = await Assert.ThrowsAsync<DirectoryException>(() => Directory().SubscribedSkusAsync(default));
        Assert.Matches("throttling.*wait 120 s", longWait.Message);
        Assert.True(clock.ElapsedMilliseconds < 5000, "did not wait two minutes");
    }

    [Fact(Timeout = 30_000)]
    public async Task Reports_5xx_and_a_call_that_hangs_past_the_timeout()
    {
        Graph.Fail(new GraphFault(500));
        var failed = await Assert.ThrowsAsync<DirectoryException>(() => Directory().SubscribedSkusAsync(default));
        Assert.Equal((DirectoryFailure.Unavailable, 500), (failed.Kind, failed.Status));
        Graph.Fail(new GraphFault(Hang: TimeSpan.FromSeconds(5)));
        var hung = await Assert.ThrowsAsync<DirectoryException>(() => Directory(timeout: TimeSpan.FromMilliseconds(200)).SubscribedSkusAsync(default));
        Assert.Equal(DirectoryFailure.Timeout, hung.Kind);
        Assert.Contains("did not answer in time (read the licences)", hung.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task The_callers_own_cancellation_is_a_cancellation_not_Graph_trouble()
    {
        // A host shutting down cancels the activity: that must not end the playbook in an escalation.
        Graph.Fail(new GraphFault(Hang: TimeSpan.FromSeconds(5)));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Directory().SubscribedSkusAsync(cancel.Token));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_server_that_is_not_there_is_unavailable_not_a_crash()
    {
        using var nowhere = new GraphDirectory(null, new GraphDirectoryOptions { BaseUrl = $"http://127.0.0.1:{Autotier.TestSupport.CliRun.ClosedPortBase() + 2}", MaxRetries = 0 });
        var e = await Assert.ThrowsAsync<DirectoryException>(() => nowhere.FindUserAsync("sam@demo.example", default));
        Assert.Equal(DirectoryFailure.Unavailable, e.Kind);
        Assert.StartsWith("Microsoft Graph could not be reached (find the user)", e.Message, StringComparison.Ordinal);
    }
}
