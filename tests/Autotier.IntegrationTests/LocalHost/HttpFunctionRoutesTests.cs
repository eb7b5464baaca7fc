using System.Net;
using Autotier.LocalHost.Http;
using Autotier.LocalHost.Indexing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Autotier.IntegrationTests.LocalHost;

public sealed class HttpFunctionRoutesTests
{
    /// <summary>
    /// The Functions host's ASP.NET Core integration answers a function that throws with a bare 500;
    /// the local host must not be kinder (a JSON body tests could come to rely on) nor leak the error.
    /// </summary>
    [Fact(Timeout = 60_000)]
    public async Task A_function_that_throws_gets_a_bare_500_naming_nothing()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddMvcCore();
        await using var app = builder.Build();
        var functions = FunctionCatalog.Scan(typeof(ThrowingHttpFunction).Assembly).Where(f => f.Name == "lhThrows");
        HttpFunctionRoutes.Map(app, functions, "api", durable: null!);
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        var response = await http.GetAsync(new Uri("api/throws", UriKind.Relative));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        await app.StopAsync();
    }
}
