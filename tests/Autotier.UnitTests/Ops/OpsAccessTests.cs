using System.Text;
using Autotier.Functions.Ops;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Xunit;

namespace Autotier.UnitTests.Ops;

public sealed class OpsAccessTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    private static HttpRequest Request(string query = "", bool browser = false, params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = "/api/ops";
        context.Request.QueryString = new QueryString(query);
        if (browser) context.Request.Headers.Accept = "text/html";
        foreach (var (name, value) in headers) context.Request.Headers[name] = value;
        return context.Request;
    }

    private static string Principal(params (string Typ, string Val)[] claims) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new { claims = claims.Select(c => new { typ = c.Typ, val = c.Val }) })));

    private static int Status(IActionResult? result) => result switch
    {
        ContentResult c => c.StatusCode ?? 200,
        null => 200,
        _ => throw new InvalidOperationException(result.GetType().Name),
    };

    private static readonly OpsAccessSettings KeyOnly = new(SignIn: false, Key: "the-ops-key-0123456789");
    private static readonly OpsAccessSettings SignIn = new(SignIn: true, Key: "the-ops-key-0123456789");

    [Fact]
    public void Without_sign_in_the_ops_key_opens_the_pages_by_header_or_query_and_nothing_else_does()
    {
        Assert.Equal(401, Status(OpsAccess.Check(Request(), KeyOnly, Now).Refusal));
        Assert.Equal(401, Status(OpsAccess.Check(Request("?code=wrong"), KeyOnly, Now).Refusal));
        Assert.Equal(401, Status(OpsAccess.Check(Request(headers: ("x-functions-key", "the-ops-key-012345678")), KeyOnly, Now).Refusal));
        // A principal header means nothing without App Service authentication: anyone could send one.
        Assert.Equal(401, Status(OpsAccess.Check(Request(headers: [("X-MS-CLIENT-PRINCIPAL-NAME", "eve"), ("X-MS-CLIENT-PRINCIPAL", Principal(("roles", "Ops.Read")))]), KeyOnly, Now).Refusal));
        Assert.Equal(new OpsCaller("ops key", null), OpsAccess.Check(Request(headers: ("x-functions-key", "the-ops-key-0123456789")), KeyOnly, Now).Caller);
        Assert.Equal(new OpsCaller("ops key", "the-ops-key-0123456789"), OpsAccess.Check(Request("?code=the-ops-key-0123456789"), KeyOnly, Now).Caller);
    }

    [Fact]
    public void With_no_key_and_no_sign_in_the_pages_are_closed_to_everyone()
    {
        var closed = new OpsAccessSettings(false, null);
        Assert.Equal(403, Status(OpsAccess.Check(Request("?code="), closed, Now).Refusal));
        Assert.Equal(403, Status(OpsAccess.Check(Request(headers: ("x-functions-key", "anything")), closed, Now).Refusal));
    }

    [Fact]
    public void With_sign_in_the_principal_needs_the_Ops_Read_role_and_a_browser_is_offered_the_sign_in()
    {
        var none = OpsAccess.Check(Request(browser: true), SignIn, Now).Refusal;
        Assert.Equal(401, Status(none));
        Assert.Contains("/.auth/login/aad?post_login_redirect_uri=%2Fapi%2Fops", ((ContentResult)none!).Content, StringComparison.Ordinal);
        var noRole = OpsAccess.Check(Request(headers: [("X-MS-CLIENT-PRINCIPAL-NAME", "sam@msp.example"), ("X-MS-CLIENT-PRINCIPAL", Principal(("roles", "Portal.Use")))]), SignIn, Now).Refusal;
        Assert.Equal(403, Status(noRole));
        Assert.Contains("\"error\":\"the ops pages need the Ops.Read app role", ((ContentResult)noRole!).Content, StringComparison.Ordinal);
        Assert.Equal(403, Status(OpsAccess.Check(Request(headers: [("X-MS-CLIENT-PRINCIPAL-NAME", "sam@msp.example"), ("X-MS-CLIENT-PRINCIPAL", "not base64!")]), SignIn, Now).Refusal));
        // Signed in, the key is not the way in: the platform's sign-in guards the pages.
        Assert.Equal(401, Status(OpsAccess.Check(Request(headers: ("x-functions-key", "the-ops-key-0123456789")), SignIn, Now).Refusal));
        var ok = OpsAccess.Check(Request(headers: [("X-MS-CLIENT-PRINCIPAL-NAME", "sam@msp.example"), ("X-MS-CLIENT-PRINCIPAL", Principal(("http://schemas.microsoft.com/ws/2008/06/identity/claims/role", "Ops.Read")))]), SignIn, Now);
        Assert.Null(ok.Refusal);
        Assert.Equal("sam@msp.example", ok.Caller!.Who);
    }

    [Fact]
    public void A_refusal_page_has_the_security_headers_and_encodes_what_it_repeats()
    {
        var request = Request(browser: true);
        var refusal = (ContentResult)OpsPages.Refuse(request, 400, "That filter does not work", "unknown filter: <script>", Now);
        Assert.Equal(400, refusal.StatusCode);
        Assert.Contains("unknown filter: &lt;script&gt;", refusal.Content, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", refusal.Content, StringComparison.Ordinal);
        var h = request.HttpContext.Response.Headers;
        Assert.StartsWith("default-src 'none'; style-src 'sha256-", h.ContentSecurityPolicy.ToString(), StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", h.ContentSecurityPolicy.ToString(), StringComparison.Ordinal);
        Assert.Equal("nosniff", h.XContentTypeOptions.ToString());
        Assert.Equal("no-referrer", h["Referrer-Policy"].ToString());
        Assert.Equal("no-store", h.CacheControl.ToString());
    }
}
