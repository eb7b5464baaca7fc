using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Autotier.E2ETests.Ops;

/// <summary>The ticket page's forms without a browser: its token read from the page, a POST not following the redirect.</summary>
public static partial class OpsForm
{
    public static bool TimelineSays(JsonElement view, string text) =>
        view.GetProperty("timeline").EnumerateArray().Any(e => e.GetProperty("note").GetString()!.Contains(text, StringComparison.Ordinal));

    [GeneratedRegex("name=\"token\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    public static async Task<HttpResponseMessage> PostAsync(OpsHostFixture host, string id, IReadOnlyDictionary<string, string> form, bool key = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"api/ops/tickets/{id}/actions", UriKind.Relative)) { Content = new FormUrlEncodedContent(form) };
        if (key) request.Headers.Add("x-functions-key", OpsHostFixture.Key);
        // Not following the redirect: the answer to the POST itself is what is checked.
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = host.App.BaseAddress };
        return await http.SendAsync(request);
    }

    public static async Task<string> PageAsync(OpsHostFixture host, string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"api/ops/tickets/{id}", UriKind.Relative));
        request.Headers.Add("x-functions-key", OpsHostFixture.Key);
        return await (await host.Http.SendAsync(request)).Content.ReadAsStringAsync();
    }

    public static async Task<string> TokenAsync(OpsHostFixture host, string id) =>
        WebUtility.HtmlDecode(TokenField().Match(await PageAsync(host, id)).Groups[1].Value);
}
