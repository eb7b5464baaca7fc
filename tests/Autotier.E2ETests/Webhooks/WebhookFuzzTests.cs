using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Autotier.E2ETests.Support;
using Autotier.LocalHost.Dev;
using Xunit;

namespace Autotier.E2ETests.Webhooks;

/// <summary>
/// The seeded fuzz of tests/e2e/fuzz.test.ts for the webhook routes: hostile input gets a 4xx with a
/// JSON <c>{error}</c>, never a 5xx, and only accepted deliveries become tickets.
/// </summary>
[Collection(LocalHostFixture.Collection)]
public sealed class WebhookFuzzTests(LocalHostFixture host)
{
    private static readonly string[] Hostile =
    [
        "",
        " ",
        new string('x', 70_000),
        "Printer\r\nBcc: all@demo.example",
        "\u0000\u0001\u001b[2J",
        "\u202Egnp.exe",
        "\u2028\u2029",
        "<script>alert(1)</script>",
        "'; DROP TABLE tickets; --",
        "../../etc/passwd",
        "%zz%00",
        string.Concat(Enumerable.Repeat("😀", 500)),
        "T-1/../../x",
        "{\"$claim\":\"x\"}",
        "__proto__",
        "constructor",
    ];

    /// <summary>mulberry32, as the TypeScript fuzz: small, seeded, repeatable.</summary>
    private sealed class Mulberry32(uint seed)
    {
        private uint state = seed;

        public double Next()
        {
            state += 0x6d2b79f5;
            var t = state;
            t = unchecked((t ^ (t >> 15)) * (1 | t));
            t = unchecked(t + ((t ^ (t >> 7)) * (61 | t))) ^ t;
            return (t ^ (t >> 14)) / 4294967296.0;
        }
    }

    [Fact(Timeout = 240_000)]
    public async Task Hostile_deliveries_get_a_json_4xx_never_a_5xx_and_only_accepted_ones_become_tickets()
    {
        var rnd = new Mulberry32(20261123);
        T Pick<T>(IReadOnlyList<T> xs) => xs[(int)Math.Floor(rnd.Next() * xs.Count)];
        object? Value() => Pick<Func<object?>>([
            () => Pick(Hostile),
            () => (long)Math.Floor(rnd.Next() * 1e9) - 500_000_000,
            () => null,
            () => true,
            () => new[] { Pick(Hostile) },
            () => new Dictionary<string, object?> { [Pick(Hostile)] = Pick(Hostile) },
            () => 1e308,
        ])();
        var email = $"fuzz.{Guid.NewGuid():N}@demo.example";
        Dictionary<string, object?> Mutate()
        {
            var v = new Dictionary<string, object?>
            {
                ["eventId"] = "fz-" + Guid.NewGuid().ToString("N")[..12],
                ["clientId"] = "demo",
                ["requester"] = new Dictionary<string, object?> { ["name"] = "Sam", ["email"] = email },
                ["subject"] = "VPN drops",
                ["body"] = "It drops.",
            };
            var field = Pick(["eventId", "clientId", "requester", "subject", "body", "externalId", "channel", "extra", "requester.extra"]);
            if (field == "requester") v["requester"] = rnd.Next() < 0.5 ? Value() : new Dictionary<string, object?> { ["name"] = Value(), ["email"] = Value() };
            else if (field == "requester.extra") ((Dictionary<string, object?>)v["requester"]!)[Pick(Hostile)] = Value();
            else v[field] = Value();
            return v;
        }

        var (requests, accepted) = (0, 0);
        // A ticket per (client, external id): two accepted deliveries naming one externalId are one ticket.
        var tickets = new HashSet<string>(StringComparer.Ordinal);
        async Task Check(HttpResponseMessage response, string what)
        {
            requests++;
            Assert.True((int)response.StatusCode < 500, $"{what} answered {(int)response.StatusCode}");
            if ((int)response.StatusCode >= 400)
            {
                var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                Assert.Equal(JsonValueKind.String, body.GetProperty("error").ValueKind);
            }
        }

        for (var i = 0; i < 120; i++)
        {
            var fields = rnd.Next() < 0.3 ? null : Mutate();
            var raw = fields is null ? Pick(Hostile) : JsonSerializer.Serialize(fields);
            var signed = rnd.Next() < 0.7;
            using var request = WebhookHttp.Generic(raw, secret: signed ? DevWebhookSecret.Value : null,
                contentType: Pick(["application/json", "application/json", "text/plain", "application/x-www-form-urlencoded"]));
            if (!signed && rnd.Next() < 0.5)
            {
                request.Headers.Add("x-autotier-timestamp", Pick(["0", "-1", "1e99", "now", "99999999999999999999"]));
                request.Headers.Add("x-autotier-signature", new string(JsonSerializer.Serialize(Value()).Where(c => c is >= ' ' and <= '~').Take(500).ToArray()));
            }
            var response = await host.Http.SendAsync(request);
            if ((int)response.StatusCode == 202)
            {
                accepted++;
                tickets.Add(fields?.GetValueOrDefault("externalId") as string ?? (string)fields!["eventId"]!);
            }
            await Check(response, $"generic webhook {raw[..Math.Min(60, raw.Length)]}");
        }
        foreach (var path in new[] { "api/webhooks/connectwise", "api/webhooks/autotask", "api/webhooks/halopsa" })
        {
            for (var i = 0; i < 5; i++)
            {
                await Check(await host.Http.PostAsync(new Uri(path, UriKind.Relative), new StringContent(Pick(Hostile), Encoding.UTF8, "application/json")), path);
            }
        }
        Assert.Equal(135, requests);
        Assert.True(accepted > 0, "the fuzz accepted nothing: it tests only refusals");

        // Everything accepted is processed from the queue: a ticket (acknowledged to the requester),
        // or, for a client nobody set up, kept for review. Nothing refused became either.
        var review = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Autotier.Application.Webhooks.ReviewItems>(host.App.Services);
        async Task<(int Acknowledged, int Reviewed)> Outcomes(CancellationToken ct)
        {
            var mails = await host.Http.GetFromJsonAsync<JsonElement[]>(new Uri($"api/dev/outbox?to={Uri.EscapeDataString(email)}", UriKind.Relative), ct);
            var kept = await review.ListAsync(ct);
            return (mails!.Count(m => m.GetProperty("subject").GetString()!.Contains("We've got your request", StringComparison.Ordinal)),
                kept.Count(r => r.Raw.Contains(email, StringComparison.Ordinal)));
        }
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var (acknowledged, reviewed) = await Outcomes(cts.Token);
            if (acknowledged + reviewed >= tickets.Count) break;
            await Task.Delay(250, cts.Token);
        }
        await Task.Delay(2_000);
        var (finalAcknowledged, finalReviewed) = await Outcomes(default);
        Assert.Equal(tickets.Count, finalAcknowledged + finalReviewed);
    }
}
