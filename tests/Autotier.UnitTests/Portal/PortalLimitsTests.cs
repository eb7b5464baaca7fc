using System.Net;
using System.Text;
using Autotier.Application.Portal;
using Autotier.Domain.Clients;
using Autotier.Functions.Http;
using Autotier.Functions.Portal;
using Autotier.TestSupport.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Autotier.UnitTests.Portal;

/// <summary>Who the portal's caller is (issue #34 fix 5) and the hourly slots of its limits.</summary>
public sealed class PortalLimitsTests
{
    /// <summary>The address a request with this X-Forwarded-For reaches the function with, through the middleware the worker runs.</summary>
    private static async Task<string> CallerOfAsync(string forwardedFor, Action<ForwardedHeadersOptions> configure)
    {
        var options = new ForwardedHeadersOptions();
        configure(options);
        var context = new DefaultHttpContext();
        // The Functions host reaches the worker over loopback: a known proxy.
        context.Connection.RemoteIpAddress = IPAddress.Loopback;
        context.Request.Headers["X-Forwarded-For"] = forwardedFor;
        string? seen = null;
        var middleware = new ForwardedHeadersMiddleware(c =>
        {
            seen = ClientAddress.Of(c.Request);
            return Task.CompletedTask;
        }, NullLoggerFactory.Instance, Options.Create(options));
        await middleware.Invoke(context);
        return seen!;
    }

    [Fact(Timeout = 10_000)]
    public async Task The_caller_is_the_last_forwarded_for_hop_the_platform_appended_never_a_forged_first_entry()
    {
        Assert.Equal("203.0.113.7", await CallerOfAsync("203.0.113.7", ClientAddress.Configure));
        Assert.Equal("203.0.113.7", await CallerOfAsync("198.51.100.1, 203.0.113.7", ClientAddress.Configure));
        Assert.Equal("203.0.113.7", await CallerOfAsync("10.9.9.9, 198.51.100.1,203.0.113.7", ClientAddress.Configure));
        Assert.Equal("203.0.113.7", await CallerOfAsync("198.51.100.1, 203.0.113.7:50123", ClientAddress.Configure));
        Assert.Equal("2001:db8::1", await CallerOfAsync("198.51.100.1, [2001:db8::1]:443", ClientAddress.Configure));
        // What the pinned ForwardLimit prevents: with every proxy trusted (the usual advice behind
        // Azure's front end, whose addresses are not known) a middleware that walks the whole list
        // (later worker packages set ForwardLimit = null) takes the caller's own first entry; one hop does not.
        static void TrustAll(ForwardedHeadersOptions o)
        {
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
        }
        Assert.Equal("198.51.100.1", await CallerOfAsync("198.51.100.1, 203.0.113.7", o =>
        {
            ClientAddress.Configure(o);
            TrustAll(o);
            o.ForwardLimit = null;
        }));
        Assert.Equal("203.0.113.7", await CallerOfAsync("198.51.100.1, 203.0.113.7", o =>
        {
            ClientAddress.Configure(o);
            TrustAll(o);
        }));
    }

    [Fact(Timeout = 10_000)]
    public async Task Without_a_proxy_in_front_the_connections_own_address_counts()
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("::ffff:192.0.2.4");
        Assert.Equal("192.0.2.4", ClientAddress.Of(context.Request));
        Assert.Equal("unknown", ClientAddress.Of(new DefaultHttpContext().Request));
        await Task.CompletedTask;
    }

    [Fact(Timeout = 10_000)]
    public async Task Slots_are_per_key_per_hour_and_a_new_hour_brings_a_new_allowance()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-03-02T09:10:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var limits = new PortalRateLimits(new InMemoryTokenStore(), clock);
        var taken = 0;
        for (var i = 0; i < 35; i++)
            if (await limits.TakeSolvedAsync("203.0.113.7", CancellationToken.None)) taken++;
        Assert.Equal(PortalRateLimits.SolvedPerIpPerHour, taken);
        Assert.True(await limits.TakeSolvedAsync("203.0.113.8", CancellationToken.None), "another caller has its own slots");

        for (var i = 0; i < PortalRateLimits.PerAddressPerHour; i++)
            Assert.True(await limits.TakeSubmissionAsync($"Flood@Demo.example", $"192.0.2.{i}", CancellationToken.None));
        Assert.False(await limits.TakeSubmissionAsync("flood@demo.example", "192.0.2.99", CancellationToken.None), "the address is counted whatever its case");

        clock.Advance(TimeSpan.FromMinutes(50));
        Assert.True(await limits.TakeSolvedAsync("203.0.113.7", CancellationToken.None));
        Assert.True(await limits.TakeSubmissionAsync("flood@demo.example", "192.0.2.99", CancellationToken.None));
    }

    private static string Principal(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void With_easy_auth_the_signed_in_user_is_trusted_otherwise_sign_in_or_the_clients_anonymous_setting()
    {
        var client = new ClientProfile("demo", "Demo Dental Group");
        var request = new DefaultHttpContext().Request;
        request.Headers["x-ms-client-principal"] = Principal("""{"claims":[{"typ":"name","val":"Pat Kim"},{"typ":"preferred_username","val":" Pat@Demo.example "}]}""");
        Assert.Equal(new PortalPages.SignedIn("pat@demo.example", "Pat Kim"), PortalAccess.For(request, client, easyAuth: true).SignedIn);
        // Without Easy Auth in front nobody vouches for the header: everyone is anonymous.
        Assert.True(PortalAccess.For(request, client, easyAuth: false).Anonymous);

        var nobody = new DefaultHttpContext().Request;
        var refused = PortalAccess.For(nobody, client, easyAuth: true);
        Assert.Equal(401, refused.RefusedStatus);
        Assert.Equal("sign in with your Demo Dental Group account to use this page", refused.Refusal);
        var open = PortalAccess.For(nobody, client with { Portal = new PortalSettings(Anonymous: true) }, easyAuth: true);
        Assert.Null(open.RefusedStatus);
        Assert.True(open.Anonymous);

        Assert.Null(PortalAccess.SignedInUser("not base64!"));
        Assert.Null(PortalAccess.SignedInUser(Principal("[1,2]")));
        Assert.Null(PortalAccess.SignedInUser(Principal("""{"claims":[{"typ":"name","val":"No Address"}]}""")));
    }
}
