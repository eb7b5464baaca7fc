using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Autotier.E2ETests.Support;
using Autotier.LocalHost.Http;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Autotier.E2ETests.Ops;

/// <summary>
/// The local host with App Service authentication as Azure runs it for the ops pages
/// (<c>WEBSITE_AUTH_ENABLED=true</c>) and the portal (<c>AUTOTIER_EASY_AUTH=1</c>), signed-in users
/// simulated by <see cref="LocalSignIn"/> (<c>AUTOTIER_LOCAL_SIGN_IN=1</c>). An ops key is set too,
/// to show it does not open the pages in this mode.
/// </summary>
public sealed class SignInHostFixture : ClockHostFixture
{
    public const string Key = "ops-key-that-sign-in-mode-ignores-0123456789";

    protected override IReadOnlyDictionary<string, string?> Settings(Dictionary<string, string?> settings)
    {
        settings["WEBSITE_AUTH_ENABLED"] = "true";
        settings["AUTOTIER_EASY_AUTH"] = "1";
        settings[LocalSignIn.Setting] = "1";
        settings["AUTOTIER_OPS_KEY"] = Key;
        return settings;
    }
}

/// <summary>Easy Auth sign-in end to end through the local host: the ops pages by app role, the portal's requester from the principal, forged principals refused.</summary>
public sealed partial class SignInTests(SignInHostFixture host) : IClassFixture<SignInHostFixture>, IDisposable
{
    private const string Engineer = """{"email":"ana@msp.example","name":"Ana Ops","roles":["Ops.Read"]}""";
    private const string Requester = """{"email":"pat@demo.example","name":"Pat Kim"}""";

    /// <summary>Never follows redirects: the 303 after an action is what is checked.</summary>
    private readonly HttpClient http = new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.App.BaseAddress, Timeout = TimeSpan.FromSeconds(90) };

    public void Dispose() => http.Dispose();

    [GeneratedRegex("name=\"token\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    [GeneratedRegex("name=\"form\" value=\"([^\"]+)\"")]
    private static partial Regex FormField();

    private static string Forged(params (string Typ, string Val)[] claims) => Convert.ToBase64String(Encoding.UTF8.GetBytes(
        JsonSerializer.Serialize(new { auth_typ = "aad", claims = claims.Select(c => new { typ = c.Typ, val = c.Val }) })));

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? signIn = null, bool browser = false,
        HttpContent? content = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        if (signIn is not null) request.Headers.Add(LocalSignIn.Header, signIn);
        if (browser) request.Headers.Accept.ParseAdd("text/html");
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        return await http.SendAsync(request);
    }

    private async Task<string> PortalFileAsync(string subject, params (string Key, string Value)[] extra)
    {
        var form = await SendAsync(HttpMethod.Get, "api/portal/demo", Requester, browser: true);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var html = await form.Content.ReadAsStringAsync();
        Assert.Contains("Signed in as Pat Kim (pat@demo.example)", html, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"email\"", html, StringComparison.Ordinal);
        var fields = new Dictionary<string, string>
        {
            ["form"] = WebUtility.HtmlDecode(FormField().Match(html).Groups[1].Value),
            ["subject"] = subject,
            ["description"] = "The shared drive asks for my password again and again.",
        };
        foreach (var (k, v) in extra) fields[k] = v;
        var filed = await SendAsync(HttpMethod.Post, "api/portal/demo/tickets", Requester, content: new FormUrlEncodedContent(fields), headers: ("Accept", "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, filed.StatusCode);
        return (await filed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticketId").GetString()!;
    }

    [Fact(Timeout = 300_000)]
    public async Task The_portal_takes_the_requester_from_the_principal_and_asks_anyone_else_to_sign_in()
    {
        // The demo client does not let anonymous requesters in: without a sign-in, the way to one.
        var anonymous = await SendAsync(HttpMethod.Get, "api/portal/demo", browser: true);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("/.auth/login/aad?post_login_redirect_uri=", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // A principal a caller wrote itself is removed before the portal sees it, as the platform does.
        var forged = await SendAsync(HttpMethod.Get, "api/portal/demo", browser: true,
            headers: ("X-MS-CLIENT-PRINCIPAL", Forged(("preferred_username", "boss@demo.example"), ("name", "The Boss"))));
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);

        // Signed in: the requester is the principal, whatever address the form is made to carry.
        var id = await PortalFileAsync("Shared drive keeps asking for a password", ("email", "someone-else@evil.example"), ("name", "Someone Else"));
        Assert.Equal("portal", (await host.ViewAsync(id)).GetProperty("channel").GetString());
        // The ticket API leaves the requester out; the ops page (to an engineer) and the mail say who it is.
        var ops = await (await SendAsync(HttpMethod.Get, $"api/ops/tickets/{id}", Engineer, browser: true)).Content.ReadAsStringAsync();
        Assert.Contains("pat@demo.example", ops, StringComparison.Ordinal);
        Assert.Contains("Pat Kim", ops, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", ops, StringComparison.Ordinal);
        Assert.DoesNotContain("Someone Else", ops, StringComparison.Ordinal);
        await host.MailAsync("pat@demo.example", id, _ => true, "the acknowledgement to the signed-in requester");
        Assert.Empty(await host.OutboxAsync("someone-else@evil.example"));
    }

    [Fact(Timeout = 300_000)]
    public async Task The_ops_pages_open_for_the_Ops_Read_role_only_and_an_action_is_recorded_under_the_engineers_name()
    {
        var id = await PortalFileAsync("Printer on floor 2 jams");

        // No sign-in: 401 with the way to sign in that comes back here; the ops key does not open it in this mode.
        var none = await SendAsync(HttpMethod.Get, "api/ops", browser: true);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Contains("/.auth/login/aad?post_login_redirect_uri=%2Fapi%2Fops", await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, "api/ops", headers: ("x-functions-key", SignInHostFixture.Key))).StatusCode);
        // Principal headers a caller writes itself never reach the page: the local host strips them, as Azure's front end does.
        var forged = await SendAsync(HttpMethod.Get, "api/ops",
            headers: [("X-MS-CLIENT-PRINCIPAL-NAME", "mallory@msp.example"), ("X-MS-CLIENT-PRINCIPAL", Forged(("roles", "Ops.Read")))]);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);

        // Signed in without the role: 403, saying which role is needed.
        var noRole = await SendAsync(HttpMethod.Get, "api/ops", Requester);
        Assert.Equal(HttpStatusCode.Forbidden, noRole.StatusCode);
        Assert.Contains("Ops.Read", await noRole.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, $"api/ops/tickets/{id}", Requester)).StatusCode);

        // With the role: the list, and the ticket page with its forms.
        var list = await SendAsync(HttpMethod.Get, "api/ops", Engineer, browser: true);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Contains($"data-ticket-id=\"{id}\"", await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var page = await (await SendAsync(HttpMethod.Get, $"api/ops/tickets/{id}", Engineer, browser: true)).Content.ReadAsStringAsync();
        var token = WebUtility.HtmlDecode(TokenField().Match(page).Groups[1].Value);
        Assert.NotEmpty(token);

        // An action: who did it is the signed-in engineer, not a name typed in the form.
        HttpContent Assign(string owner) => new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = token, ["action"] = "assign", ["owner"] = owner, ["by"] = "Somebody Typed This",
        });
        var assigned = await SendAsync(HttpMethod.Post, $"api/ops/tickets/{id}/actions", Engineer, browser: true, content: Assign("Sam Ortiz"));
        Assert.Equal(HttpStatusCode.SeeOther, assigned.StatusCode);
        var view = await host.ViewAsync(id);
        Assert.Equal("Sam Ortiz", view.GetProperty("owner").GetString());
        Assert.Contains(view.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("note").GetString() == "Owner set to Sam Ortiz by ana@msp.example");

        // The form's token is the engineer's own: another user with the role cannot replay it, and a user without it is refused first.
        var other = """{"email":"bo@msp.example","roles":["Ops.Read"]}""";
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Post, $"api/ops/tickets/{id}/actions", other, content: Assign("Bo"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Post, $"api/ops/tickets/{id}/actions", Requester, content: Assign("Pat"))).StatusCode);
        Assert.Equal("Sam Ortiz", (await host.ViewAsync(id)).GetProperty("owner").GetString());
    }

    [Fact(Timeout = 120_000)]
    public async Task A_sign_in_the_host_cannot_read_is_a_400_not_a_guess()
    {
        var bad = await SendAsync(HttpMethod.Get, "api/ops", "not json");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.StartsWith("{\"error\":\"X-Local-Sign-In: must be JSON", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Get, "api/ops", """{"name":"no address"}""")).StatusCode);
    }

    [Theory]
    [InlineData("WEBSITE_INSTANCE_ID")]
    [InlineData("WEBSITE_SITE_NAME")]
    public void The_simulation_refuses_to_start_where_App_Service_runs_the_app(string setting)
    {
        IConfiguration Config(params (string, string)[] values) =>
            new ConfigurationBuilder().AddInMemoryCollection(values.ToDictionary(v => v.Item1, v => (string?)v.Item2)).Build();
        Assert.False(LocalSignIn.Enabled(Config()));
        Assert.False(LocalSignIn.Enabled(Config((setting, "abc123"))));
        Assert.True(LocalSignIn.Enabled(Config((LocalSignIn.Setting, "1"))));
        var e = Assert.Throws<InvalidOperationException>(() => LocalSignIn.Enabled(Config((LocalSignIn.Setting, "1"), (setting, "abc123"))));
        Assert.Contains(setting, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_deployed_app_carries_no_sign_in_simulation()
    {
        // What is published to Azure is Autotier.Functions and what it references; the simulation is in the local host alone.
        var deployed = typeof(Autotier.Functions.Ops.OpsAccess).Assembly;
        Assert.DoesNotContain(deployed.GetReferencedAssemblies(), a => a.Name == typeof(LocalSignIn).Assembly.GetName().Name);
        Assert.DoesNotContain(deployed.GetTypes(), t => t.Name.Contains("LocalSignIn", StringComparison.Ordinal));
    }
}
