using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Autotier.TestSupport.Psa;

/// <summary>A request as the fake PSA received it.</summary>
public sealed record PsaRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public JsonNode? Json => Body.Length > 0 && (Body[0] is '{' or '[') ? JsonNode.Parse(Body) : null;
}

/// <summary>A fault the next matching call gets: a status (with <c>Retry-After</c>), after the call was handled or instead of it.</summary>
/// <param name="AfterHandling">The PSA did the work and then answered the error (a create that "failed" but was stored).</param>
public sealed record PsaFault(int Status, string? RetryAfter = null, bool AfterHandling = false, string? Method = null, string? PathPrefix = null);

/// <summary>
/// A local server speaking the parts of the ConnectWise PSA (REST 3.0), Autotask (REST v1.0) and
/// HaloPSA APIs that autotier calls, with each vendor's authentication checked (a port of the
/// TypeScript suite's tests/support/fakePsa.ts): ConnectWise Basic <c>company+public:private</c>
/// plus <c>clientId</c>; Autotask <c>ApiIntegrationCode</c>/<c>UserName</c>/<c>Secret</c>; Halo OAuth2
/// client credentials, then Bearer tokens. Shapes follow the vendors' REST documentation as the
/// TypeScript adapters were written against it (ConnectWise developer docs: Service/Tickets,
/// Tickets/Notes, Time/Entries; Autotask REST API v1.0: Tickets, TicketNotes, TimeEntries, query
/// filters; HaloPSA API: Tickets, Actions, Users, /auth/token). Tests load tickets into it, make it
/// throttle or fail, and read back what the adapters wrote.
/// </summary>
public sealed partial class FakePsaServer : IAsyncDisposable
{
    public const string CwCompany = "examplemsp";
    public const string CwPublicKey = "pub-key";
    public const string CwPrivateKey = "priv-key";
    public const string CwClientId = "cw-client-id";
    public const string AtIntegrationCode = "AT-INTEGRATION";
    public const string AtUserName = "autotier@example.msp";
    public const string AtSecret = "at-secret";
    public const string HaloClientId = "halo-client";
    public const string HaloClientSecret = "halo-secret";

    /// <summary>A ConnectWise callback key id (a GUID, as ConnectWise's are) and the signing key it names.</summary>
    public const string CwSigningKeyId = "0f8fad5b-d9cb-469f-a165-70867728950e";
    public const string CwSigningKey = "cw-signing-key";

    private readonly WebApplication app;
    private readonly ConcurrentQueue<PsaFault> faults = new();
    private readonly HashSet<string> haloTokens = [];
    private readonly object gate = new();
    private int nextId = 9000;
    private int haloTokenCount;

    public ConcurrentQueue<PsaRequest> Requests { get; } = new();

    /// <summary>Tickets by <c>&lt;vendor&gt;:&lt;id&gt;</c>, each in its vendor's own shape.</summary>
    public ConcurrentDictionary<string, JsonObject> Tickets { get; } = new();

    /// <summary>Notes (Halo: actions) by <c>&lt;vendor&gt;:&lt;ticket id&gt;</c>.</summary>
    public ConcurrentDictionary<string, List<JsonObject>> Notes { get; } = new();

    /// <summary>Time entries by <c>&lt;vendor&gt;:&lt;ticket id&gt;</c>.</summary>
    public ConcurrentDictionary<string, List<JsonObject>> TimeEntries { get; } = new();

    /// <summary>Contacts: Autotask's by id, ConnectWise's and Halo's users by <c>&lt;vendor&gt;:&lt;id&gt;</c>.</summary>
    public ConcurrentDictionary<string, JsonObject> Contacts { get; } = new();

    /// <summary>ConnectWise callback signing keys by key id, served at the callback-key page.</summary>
    public ConcurrentDictionary<string, string> CallbackKeys { get; } = new(StringComparer.Ordinal) { [CwSigningKeyId] = CwSigningKey };

    /// <summary>Halo tokens issued so far.</summary>
    public int HaloTokensIssued => haloTokenCount;

    public Uri BaseAddress { get; }

    public string Url => BaseAddress.ToString().TrimEnd('/');

    private FakePsaServer(WebApplication app, Uri baseAddress)
    {
        this.app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The next calls (matching method and path prefix, when given) answer these faults, in order.</summary>
    public void Fail(params PsaFault[] next)
    {
        foreach (var f in next) faults.Enqueue(f);
    }

    /// <summary>Faults not yet answered.</summary>
    public int PendingFaults => faults.Count;

    /// <summary>Drops the faults not yet answered (a test that queued them leaves none for the next).</summary>
    public void ClearFaults() => faults.Clear();

    /// <summary>Revokes every Halo token (as an administrator rotating the secret would).</summary>
    public void RevokeHaloTokens()
    {
        lock (gate) haloTokens.Clear();
    }

    public IReadOnlyList<JsonObject> NotesOf(string vendor, string ticketId)
    {
        lock (gate) return Notes.TryGetValue($"{vendor}:{ticketId}", out var list) ? [.. list] : [];
    }

    public void AddNote(string vendor, string ticketId, JsonObject note)
    {
        lock (gate) Notes.GetOrAdd($"{vendor}:{ticketId}", _ => []).Add(note);
    }

    public void AddTimeEntry(string vendor, string ticketId, JsonObject entry)
    {
        lock (gate) TimeEntries.GetOrAdd($"{vendor}:{ticketId}", _ => []).Add(entry);
    }

    public static async Task<FakePsaServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakePsaServer? server = null;
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            var request = new PsaRequest(
                context.Request.Method,
                context.Request.Path + context.Request.QueryString,
                context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
                body);
            server!.Requests.Enqueue(request);
            var (status, answer, headers) = server.Handle(context.Request, request);
            context.Response.StatusCode = status;
            foreach (var h in headers) context.Response.Headers[h.Key] = h.Value;
            context.Response.ContentType = "application/json";
            if (answer is not null) await context.Response.WriteAsync(answer.ToJsonString(), context.RequestAborted);
        });
        await app.StartAsync();
        var address = new Uri(app.Urls.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        server = new FakePsaServer(app, address);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static readonly Dictionary<string, string> NoHeaders = [];

    private (int, JsonNode?, IReadOnlyDictionary<string, string>) Handle(HttpRequest http, PsaRequest request)
    {
        var path = http.Path.Value ?? "/";
        PsaFault? fault = null;
        if (path != "/auth/token" && faults.TryPeek(out var next)
            && (next.Method is null || next.Method == request.Method)
            && (next.PathPrefix is null || path.StartsWith(next.PathPrefix, StringComparison.Ordinal))
            && faults.TryDequeue(out var taken))
            fault = taken;
        if (fault is { AfterHandling: false }) return Faulted(fault);
        (int, JsonNode?) result;
        lock (gate) result = Route(http, path, request);
        return fault is not null ? Faulted(fault) : (result.Item1, result.Item2, NoHeaders);
    }

    private static (int, JsonNode?, IReadOnlyDictionary<string, string>) Faulted(PsaFault fault) =>
        (fault.Status, new JsonObject { ["message"] = "injected" },
            fault.RetryAfter is null ? NoHeaders : new Dictionary<string, string> { ["Retry-After"] = fault.RetryAfter });

    private static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v => v.ToJsonString(),
        _ => "",
    };

    private IEnumerable<JsonObject> OfVendor(string vendor) =>
        Tickets.Where(t => t.Key.StartsWith(vendor + ":", StringComparison.Ordinal)).OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => t.Value);

    private static bool Matches(JsonObject item, JsonNode? filter) =>
        (filter as JsonArray ?? []).All(f =>
        {
            var have = Text(item[Text(f!["field"])]).ToLowerInvariant();
            var want = Text(f!["value"]).ToLowerInvariant();
            return Text(f["op"]) switch { "eq" => have == want, "contains" => have.Contains(want, StringComparison.Ordinal), _ => false };
        });

    [GeneratedRegex(@"^/api/Tickets/(\d+)$")]
    private static partial Regex HaloTicket { get; }

    // ConnectWise's callback-key page, outside the REST API root (shapes in tests/fixtures/psa/connectwise/SOURCE.md).
    [GeneratedRegex(@"^/v(4_6_release|20\d{2}_\d{1,2})/{1,2}system/callbackkey/index\.rails$")]
    private static partial Regex CwCallbackKey { get; }

    [GeneratedRegex(@"^/service/tickets/(\d+)$")]
    private static partial Regex CwTicket { get; }

    [GeneratedRegex(@"^/service/tickets/(\d+)/notes$")]
    private static partial Regex CwNotes { get; }

    [GeneratedRegex(@"^/Tickets/(\d+)$")]
    private static partial Regex AtTicket { get; }

    [GeneratedRegex(@"^/Tickets/(\d+)/Notes$")]
    private static partial Regex AtNotes { get; }

    [GeneratedRegex(@"^/Contacts/(\d+)$")]
    private static partial Regex AtContact { get; }

    private static bool CwAuthorized(IReadOnlyDictionary<string, string> h) =>
        h.TryGetValue("authorization", out var auth) && auth == "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{CwCompany}+{CwPublicKey}:{CwPrivateKey}"))
        && h.TryGetValue("clientid", out var cid) && cid == CwClientId;

    private static JsonObject Clone(JsonObject o) => (JsonObject)o.DeepClone();

    private (int, JsonNode?) Route(HttpRequest http, string p, PsaRequest request)
    {
        var method = request.Method;
        var q = http.Query;
        var h = request.Headers;
        var body = request.Json;
        Match m;

        // HaloPSA
        if (p == "/auth/token" && method == "POST")
        {
            var form = System.Web.HttpUtility.ParseQueryString(request.Body);
            if (form["grant_type"] != "client_credentials" || form["client_id"] != HaloClientId || form["client_secret"] != HaloClientSecret)
                return (401, new JsonObject { ["error"] = "invalid_client" });
            var token = $"halo-token-{++haloTokenCount}";
            haloTokens.Add(token);
            return (200, new JsonObject { ["access_token"] = token, ["token_type"] = "Bearer", ["expires_in"] = 3600 });
        }
        if (p.StartsWith("/api/", StringComparison.Ordinal))
        {
            var bearer = h.TryGetValue("authorization", out var a) ? a.Replace("Bearer ", "", StringComparison.Ordinal) : "";
            if (!haloTokens.Contains(bearer)) return (401, new JsonObject { ["message"] = "unauthorized" });
            if ((m = HaloTicket.Match(p)).Success && method == "GET")
                return Tickets.TryGetValue($"halopsa:{m.Groups[1].Value}", out var t) ? (200, Clone(t)) : (404, new JsonObject { ["message"] = "not found" });
            if (p == "/api/Actions" && method == "GET")
            {
                var list = Notes.TryGetValue($"halopsa:{q["ticket_id"]}", out var l) ? l : [];
                return (200, new JsonObject { ["record_count"] = list.Count, ["actions"] = new JsonArray([.. list.Select(x => (JsonNode)Clone(x))]) });
            }
            if (p == "/api/Actions" && method == "POST")
            {
                foreach (var action in body!.AsArray())
                {
                    var o = Clone(action!.AsObject());
                    o["id"] = ++nextId;
                    Notes.GetOrAdd($"halopsa:{Text(o["ticket_id"])}", _ => []).Add(o);
                }
                return (201, body);
            }
            if (p == "/api/Tickets" && method == "GET")
            {
                var search = (q["search"].ToString() ?? "").ToLowerInvariant();
                var client = q["client_id"].ToString();
                var found = OfVendor("halopsa").Where(t => Text(t["summary"]).ToLowerInvariant().Contains(search, StringComparison.Ordinal) && (client.Length == 0 || Text(t["client_id"]) == client));
                return (200, new JsonObject { ["tickets"] = new JsonArray([.. found.Select(x => (JsonNode)Clone(x))]) });
            }
            if (p == "/api/Users" && method == "GET")
            {
                var search = (q["search"].ToString() ?? "").ToLowerInvariant();
                var users = Contacts.Where(c => c.Key.StartsWith("halopsa:", StringComparison.Ordinal)).Select(c => c.Value)
                    .Where(u => Text(u["emailaddress"]).ToLowerInvariant().Contains(search, StringComparison.Ordinal));
                return (200, new JsonObject { ["users"] = new JsonArray([.. users.Select(x => (JsonNode)Clone(x))]) });
            }
            if (p == "/api/Tickets" && method == "POST")
            {
                JsonObject? created = null;
                foreach (var u in body!.AsArray())
                {
                    var o = u!.AsObject();
                    if (o["id"] is null)
                    {
                        created = Clone(o);
                        created["id"] = ++nextId;
                        created["status_id"] ??= 1;
                        Tickets[$"halopsa:{Text(created["id"])}"] = created;
                        continue;
                    }
                    if (!Tickets.TryGetValue($"halopsa:{Text(o["id"])}", out var t)) return (400, new JsonObject { ["message"] = "no such ticket" });
                    foreach (var kv in o) t[kv.Key] = kv.Value?.DeepClone();
                }
                return (201, created is null ? body : Clone(created));
            }
            return (404, new JsonObject { ["message"] = "no route" });
        }

        // ConnectWise
        if (CwCallbackKey.IsMatch(p) && method == "GET")
        {
            if (!CwAuthorized(h)) return (401, new JsonObject { ["code"] = "Unauthorized" });
            return CallbackKeys.TryGetValue(q["id"].ToString(), out var key)
                ? (200, new JsonObject { ["signing_key"] = key })
                : (404, new JsonObject { ["code"] = "NotFound" });
        }
        if (p.StartsWith("/service/", StringComparison.Ordinal) || p.StartsWith("/company/", StringComparison.Ordinal) || p.StartsWith("/time/", StringComparison.Ordinal))
        {
            if (!CwAuthorized(h)) return (401, new JsonObject { ["code"] = "Unauthorized" });
            if (p == "/service/tickets" && method == "GET")
            {
                var conditions = q["conditions"].ToString();
                var company = Regex.Match(conditions, @"company/id=(\d+)") is { Success: true } cm ? cm.Groups[1].Value : null;
                var like = Regex.Match(conditions, "summary like \"%(.*)%\"") is { Success: true } lm ? lm.Groups[1].Value : null;
                var found = OfVendor("connectwise").Where(t => (company is null || Text(t["company"]?["id"]) == company) && (like is null || Text(t["summary"]).Contains(like, StringComparison.Ordinal)));
                return (200, new JsonArray([.. found.Select(x => (JsonNode)Clone(x))]));
            }
            if (p == "/service/tickets" && method == "POST")
            {
                var b = body!.AsObject();
                if (b["summary"] is null || b["company"] is null) return (400, new JsonObject { ["code"] = "InvalidObject" });
                var id = ++nextId;
                var t = Clone(b);
                t["status"] ??= new JsonObject { ["id"] = 1, ["name"] = "New" };
                t["closedFlag"] = false;
                t["id"] = id;
                Tickets[$"connectwise:{id}"] = t;
                // ConnectWise keeps the initial description as the first discussion note (by the contact).
                if (b["initialDescription"] is not null)
                    Notes[$"connectwise:{id}"] = [new JsonObject { ["id"] = 1, ["text"] = b["initialDescription"]!.DeepClone(), ["detailDescriptionFlag"] = true }];
                return (201, Clone(t));
            }
            if (p == "/company/contacts" && method == "GET")
            {
                var email = Regex.Match(q["childConditions"].ToString(), "communicationItems/value=\"([^\"]*)\"") is { Success: true } em ? em.Groups[1].Value : "";
                var found = Contacts.Where(c => c.Key.StartsWith("connectwise:", StringComparison.Ordinal)).Select(c => c.Value)
                    .Where(c => (c["communicationItems"] as JsonArray ?? []).Any(i => Text(i!["communicationType"]) == "Email" && string.Equals(Text(i["value"]), email, StringComparison.OrdinalIgnoreCase)));
                return (200, new JsonArray([.. found.Select(x => (JsonNode)Clone(x))]));
            }
            if (p == "/time/entries" && method == "GET")
            {
                var ticket = Regex.Match(q["conditions"].ToString(), @"chargeToId=(\d+)") is { Success: true } tm ? tm.Groups[1].Value : "";
                return (200, new JsonArray([.. (TimeEntries.TryGetValue($"connectwise:{ticket}", out var l) ? l : []).Select(x => (JsonNode)Clone(x))]));
            }
            if ((m = CwTicket.Match(p)).Success)
            {
                if (!Tickets.TryGetValue($"connectwise:{m.Groups[1].Value}", out var t)) return (404, new JsonObject { ["code"] = "NotFound" });
                if (method == "GET") return (200, Clone(t));
                if (method == "PATCH")
                {
                    foreach (var op in body!.AsArray())
                    {
                        if (Text(op!["op"]) != "replace") return (400, new JsonObject { ["code"] = "InvalidObject" });
                        t[Text(op["path"])] = op["value"]?.DeepClone();
                    }
                    return (200, Clone(t));
                }
            }
            if ((m = CwNotes.Match(p)).Success)
            {
                var key = $"connectwise:{m.Groups[1].Value}";
                if (!Tickets.ContainsKey(key)) return (404, new JsonObject { ["code"] = "NotFound" });
                var list = Notes.GetOrAdd(key, _ => []);
                if (method == "GET") return (200, new JsonArray([.. list.Select(x => (JsonNode)Clone(x))]));
                if (method == "POST")
                {
                    var note = Clone(body!.AsObject());
                    note["id"] = list.Count + 1;
                    list.Add(note);
                    return (201, Clone(note));
                }
            }
            return (404, new JsonObject { ["code"] = "NotFound" });
        }

        // Autotask
        if (!h.TryGetValue("apiintegrationcode", out var code) || code != AtIntegrationCode
            || !h.TryGetValue("username", out var user) || user != AtUserName
            || !h.TryGetValue("secret", out var secret) || secret != AtSecret)
            return (401, new JsonObject { ["errors"] = new JsonArray("unauthorized") });
        if ((m = AtTicket.Match(p)).Success && method == "GET")
            return (200, new JsonObject { ["item"] = Tickets.TryGetValue($"autotask:{m.Groups[1].Value}", out var t) ? Clone(t) : null });
        if ((m = AtContact.Match(p)).Success && method == "GET")
            return (200, new JsonObject { ["item"] = Contacts.TryGetValue(m.Groups[1].Value, out var c) ? Clone(c) : null });
        if ((m = AtNotes.Match(p)).Success)
        {
            var key = $"autotask:{m.Groups[1].Value}";
            var list = Notes.GetOrAdd(key, _ => []);
            if (method == "GET")
                return (200, new JsonObject { ["items"] = new JsonArray([.. list.Select(x => (JsonNode)Clone(x))]), ["pageDetails"] = new JsonObject { ["count"] = list.Count } });
            if (method == "POST")
            {
                // TicketNote's picklists: publish 1 All Autotask Users, 2 Internal Only, 3 Internal & Co-managed.
                var b = body!.AsObject();
                if (Text(b["publish"]) is not ("1" or "2" or "3") || b["title"] is null || b["description"] is null || b["noteType"] is null)
                    return (500, new JsonObject { ["errors"] = new JsonArray("title, description, noteType and publish (1, 2 or 3) are required") });
                var note = Clone(b);
                note["id"] = ++nextId;
                list.Add(note);
                return (200, new JsonObject { ["itemId"] = note["id"]!.DeepClone() });
            }
        }
        if (p == "/Tickets" && method == "POST")
        {
            var b = body!.AsObject();
            foreach (var required in new[] { "companyID", "title", "status", "priority", "dueDateTime" })
                if (b[required] is null) return (500, new JsonObject { ["errors"] = new JsonArray($"{required} is required") });
            var id = ++nextId;
            var t = Clone(b);
            t["id"] = id;
            t["ticketNumber"] = $"T20260302.{id:0000}";
            Tickets[$"autotask:{id}"] = t;
            return (200, new JsonObject { ["itemId"] = id });
        }
        if (p == "/Tickets/query" && method == "POST")
        {
            var items = OfVendor("autotask").Where(t => Matches(t, body!["filter"])).Select(x => (JsonNode)Clone(x));
            return (200, new JsonObject { ["items"] = new JsonArray([.. items]) });
        }
        if (p == "/Contacts/query" && method == "POST")
        {
            var items = Contacts.Where(c => !c.Key.Contains(':', StringComparison.Ordinal)).Select(c => c.Value).Where(c => Matches(c, body!["filter"])).Select(x => (JsonNode)Clone(x));
            return (200, new JsonObject { ["items"] = new JsonArray([.. items]) });
        }
        if (p == "/TimeEntries/query" && method == "POST")
        {
            var items = TimeEntries.Where(e => e.Key.StartsWith("autotask:", StringComparison.Ordinal)).SelectMany(e => e.Value).Where(e => Matches(e, body!["filter"])).Select(x => (JsonNode)Clone(x));
            return (200, new JsonObject { ["items"] = new JsonArray([.. items]) });
        }
        if (p == "/Tickets" && method == "PATCH")
        {
            var u = body!.AsObject();
            if (!Tickets.TryGetValue($"autotask:{Text(u["id"])}", out var t)) return (404, new JsonObject { ["errors"] = new JsonArray("no such ticket") });
            foreach (var kv in u) t[kv.Key] = kv.Value?.DeepClone();
            return (200, new JsonObject { ["itemId"] = u["id"]!.DeepClone() });
        }
        return (404, new JsonObject { ["errors"] = new JsonArray("no route") });
    }
}
