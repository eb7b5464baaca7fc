using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Autotier.LocalHost.GraphEmulator;

/// <summary>A user of the emulated tenant; tests change its fields between runs, as the TypeScript tests do.</summary>
public sealed class EmulatedUser
{
    public string Id { get; set; } = Guid.NewGuid().ToString();
    public required string UserPrincipalName { get; set; }
    public string? Mail { get; set; }
    public IReadOnlyList<string>? ProxyAddresses { get; set; }
    public string? DisplayName { get; set; }
    public bool AccountEnabled { get; set; } = true;
    public bool? OnPremisesSyncEnabled { get; set; }
    public string? OnPremisesDomainName { get; set; }
    public string? OnPremisesSamAccountName { get; set; }
    public string? OfficeLocation { get; set; }
    public string? UsageLocation { get; set; }
    public List<string> AssignedSkuIds { get; set; } = [];
    public EmulatedRegistration? Registration { get; set; }

    /// <summary>Email addresses the user registered (and verified) as an authentication method.</summary>
    public IReadOnlyList<string> EmailMethods { get; set; } = [];
}

public sealed record EmulatedRegistration(bool IsSsprRegistered, bool IsSsprEnabled, bool IsMfaRegistered);

public sealed class EmulatedSku
{
    public required string SkuId { get; init; }
    public required string SkuPartNumber { get; init; }
    public int Enabled { get; set; }
    public int Consumed { get; set; }
}

/// <summary>A request as the emulator saw it (path without the version), for tests to assert on.</summary>
public sealed record GraphRequest(string Method, string Path, string Query, JsonElement? Body);

/// <summary>The next request (on a path matching <see cref="Path"/>, if given) fails: a status (429 with Retry-After, 5xx), or a hang.</summary>
public sealed record GraphFault(int Status = 500, string? RetryAfter = null, TimeSpan? Hang = null, Regex? Path = null);

/// <summary>
/// A local stand-in for the Microsoft Graph v1.0 endpoints the playbooks call, with Graph's answers
/// and errors (the TypeScript src/local/graphEmulator.ts): users by <c>$filter</c> on mail, UPN or
/// proxy address; userRegistrationDetails; email authentication methods; Temporary Access Pass
/// creation (a new pass replaces the old one); subscribedSkus; assignLicense (refused without a
/// usage location or a free seat, as Graph does); group members <c>$ref</c> (400 for an existing
/// member). With a token set it refuses requests without it. Faults can be injected for every call
/// or one path. State lives in memory: tests fill it, and the local host serves the demo tenant
/// from it. Written by hand because no served package speaks these endpoints (WireMock would need
/// every stateful answer scripted).
/// </summary>
public sealed partial class GraphEmulator(string? token = null)
{
    private readonly Lock gate = new();
    private readonly List<GraphFault> faults = [];

    public ConcurrentDictionary<string, EmulatedUser> Users { get; } = new(StringComparer.Ordinal);
    public ConcurrentDictionary<string, EmulatedSku> Skus { get; } = new(StringComparer.OrdinalIgnoreCase);
    public ConcurrentDictionary<string, HashSet<string>> Groups { get; } = new(StringComparer.Ordinal);

    /// <summary>The current pass of each user (by user id): what a test compares the mail against.</summary>
    public ConcurrentDictionary<string, (string Id, string Pass)> Passes { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<GraphRequest> Requests { get; } = new();

    public EmulatedUser AddUser(EmulatedUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        Users[user.Id] = user;
        return user;
    }

    /// <summary>Each fault fails one later request (the first whose path matches).</summary>
    public void Fail(params GraphFault[] failures)
    {
        lock (gate) faults.AddRange(failures);
    }

    /// <summary>Empties the tenant and the request log.</summary>
    public void Reset()
    {
        Users.Clear();
        Skus.Clear();
        Groups.Clear();
        Passes.Clear();
        Messages.Clear();
        Subscriptions.Clear();
        Requests.Clear();
        lock (gate) faults.Clear();
    }

    /// <summary>Serves the emulator under <paramref name="prefix"/> (empty for the root).</summary>
    public void Map(IEndpointRouteBuilder routes, string prefix)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.Map(prefix + "/{**path}", (HttpContext context, string? path) => HandleAsync(context, "/" + path));
    }

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Serves one request; <paramref name="path"/> is relative to where the emulator is mounted.</summary>
    public async Task HandleAsync(HttpContext context, string path)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(path);
        var request = context.Request;
        JsonElement? body = null;
        try
        {
            if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
            {
                using var doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: context.RequestAborted);
                body = doc.RootElement.Clone();
            }
        }
        catch (JsonException)
        {
            await SendAsync(context, 400, Error("BadRequest", "the JSON body could not be read"));
            return;
        }
        if (path.StartsWith("/v1.0", StringComparison.Ordinal)) path = path["/v1.0".Length..];
        var method = request.Method.ToUpperInvariant();
        Requests.Enqueue(new GraphRequest(method, path, Uri.UnescapeDataString(request.QueryString.Value ?? ""), body));
        if (token is not null && request.Headers.Authorization.ToString() != $"Bearer {token}")
        {
            await SendAsync(context, 401, Error("InvalidAuthenticationToken", "Access token is empty."));
            return;
        }
        GraphFault? fault;
        lock (gate)
        {
            fault = faults.FirstOrDefault(f => f.Path is null || f.Path.IsMatch(path));
            if (fault is not null) faults.Remove(fault);
        }
        if (fault is not null)
        {
            if (fault.Hang is { } hang)
            {
                try
                {
                    await Task.Delay(hang, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return; // the caller gave up, as it should
                }
                await SendAsync(context, 200, new { value = Array.Empty<object>() });
                return;
            }
            if (fault.RetryAfter is not null) context.Response.Headers.RetryAfter = fault.RetryAfter;
            await SendAsync(context, fault.Status, Error(fault.Status == 429 ? "TooManyRequests" : "ServiceUnavailable", "injected"));
            return;
        }
        if (await TryHandleMailAsync(context, method, path, body)) return;
        (int Status, object? Value) answer;
        lock (gate) answer = Route(method, path, request.Query, body);
        await SendAsync(context, answer.Status, answer.Value);
    }

    private static Task SendAsync(HttpContext context, int status, object? value)
    {
        context.Response.StatusCode = status;
        if (value is null) return Task.CompletedTask;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(value, Json), context.RequestAborted);
    }

    private static object Error(string code, string message) => new { error = new { code, message } };

    private static (int, object?) NotFound(string what) => (404, Error("Request_ResourceNotFound", $"no such {what}"));

    private (int, object?) Route(string method, string path, IQueryCollection query, JsonElement? body)
    {
        var segments = path.Trim('/').Split('/');
        switch (method, segments)
        {
            case ("GET", ["users"]):
            {
                var wanted = Quoted().Match(query["$filter"].ToString()) is { Success: true } m ? m.Groups[1].Value.ToLowerInvariant() : "";
                var value = Users.Values.Where(u =>
                        string.Equals(u.Mail, wanted, StringComparison.OrdinalIgnoreCase)
                        || string.Equals(u.UserPrincipalName, wanted, StringComparison.OrdinalIgnoreCase)
                        || (u.ProxyAddresses ?? []).Any(p => string.Equals(p, "smtp:" + wanted, StringComparison.OrdinalIgnoreCase)))
                    .Select(UserJson).ToArray();
                return (200, new { value });
            }
            case ("GET", ["reports", "authenticationMethods", "userRegistrationDetails", var id]):
            {
                if (!Users.TryGetValue(id, out var u)) return NotFound("user");
                var r = u.Registration ?? new EmulatedRegistration(false, false, false);
                return (200, new
                {
                    id = u.Id, isSsprRegistered = r.IsSsprRegistered, isSsprEnabled = r.IsSsprEnabled, isMfaRegistered = r.IsMfaRegistered,
                    methodsRegistered = r.IsMfaRegistered ? new[] { "microsoftAuthenticatorPush" } : [],
                });
            }
            case ("GET", ["users", var id, "authentication", "emailMethods"]):
            {
                if (!Users.TryGetValue(id, out var u)) return NotFound("user");
                return (200, new { value = u.EmailMethods.Select(e => new { id = Guid.NewGuid().ToString(), emailAddress = e }).ToArray() });
            }
            case ("POST", ["users", var id, "authentication", "temporaryAccessPassMethods"]):
            {
                if (!Users.ContainsKey(id)) return NotFound("user");
                var tap = (Id: Guid.NewGuid().ToString(), Pass: Base64Url(RandomNumberGenerator.GetBytes(6)));
                Passes[id] = tap;
                var minutes = body is { } b && b.TryGetProperty("lifetimeInMinutes", out var l) && l.TryGetInt32(out var n) ? n : 60;
                var once = body is { } b2 && b2.TryGetProperty("isUsableOnce", out var o) && o.ValueKind == JsonValueKind.True;
                return (201, new
                {
                    id = tap.Id, temporaryAccessPass = tap.Pass, lifetimeInMinutes = minutes, isUsableOnce = once,
                    isUsable = true, methodUsabilityReason = "EnabledByPolicy",
                });
            }
            case ("GET", ["subscribedSkus"]):
                return (200, new
                {
                    value = Skus.Values.Select(s => new
                    {
                        skuId = s.SkuId, skuPartNumber = s.SkuPartNumber, capabilityStatus = "Enabled", consumedUnits = s.Consumed,
                        prepaidUnits = new { enabled = s.Enabled, suspended = 0, warning = 0 },
                    }).ToArray(),
                });
            case ("POST", ["users", var id, "assignLicense"]):
                return AssignLicence(id, body);
            case ("POST", ["groups", var groupId, "members", "$ref"]):
            {
                if (!Groups.TryGetValue(groupId, out var members)) return NotFound("group");
                var reference = body is { } b && b.TryGetProperty("@odata.id", out var r) ? r.GetString() ?? "" : "";
                var userId = Uri.UnescapeDataString(reference[(reference.LastIndexOf('/') + 1)..]);
                if (!reference.Contains("/directoryObjects/", StringComparison.Ordinal) || !Users.ContainsKey(userId)) return NotFound("object");
                if (!members.Add(userId))
                    return (400, Error("Request_BadRequest",
                        "One or more added object references already exist for the following modified properties: 'members'."));
                return (204, null);
            }
            default:
                return (404, Error("BadRequest", $"no route {method} {path}"));
        }
    }

    private (int, object?) AssignLicence(string id, JsonElement? body)
    {
        if (!Users.TryGetValue(id, out var u)) return NotFound("user");
        if (string.IsNullOrEmpty(u.UsageLocation))
            return (400, Error("Request_BadRequest", "License assignment cannot be done for user with invalid usage location."));
        var adds = body is { } b && b.TryGetProperty("addLicenses", out var a) && a.ValueKind == JsonValueKind.Array ? a.EnumerateArray().ToList() : [];
        foreach (var add in adds)
        {
            var skuId = add.TryGetProperty("skuId", out var s) ? s.GetString() ?? "" : "";
            if (!Skus.TryGetValue(skuId, out var sku)) return (400, Error("Request_BadRequest", "License not found."));
            if (u.AssignedSkuIds.Contains(sku.SkuId, StringComparer.OrdinalIgnoreCase)) continue;
            if (sku.Consumed >= sku.Enabled)
                return (400, Error("Request_BadRequest", "Subscription does not have any available licenses."));
            sku.Consumed++;
            u.AssignedSkuIds.Add(sku.SkuId);
        }
        return (200, new { id = u.Id });
    }

    private static object UserJson(EmulatedUser u) => new
    {
        id = u.Id,
        userPrincipalName = u.UserPrincipalName,
        mail = u.Mail,
        proxyAddresses = u.ProxyAddresses,
        displayName = u.DisplayName,
        accountEnabled = u.AccountEnabled,
        onPremisesSyncEnabled = u.OnPremisesSyncEnabled,
        onPremisesDomainName = u.OnPremisesDomainName,
        onPremisesSamAccountName = u.OnPremisesSamAccountName,
        officeLocation = u.OfficeLocation,
        usageLocation = u.UsageLocation,
        assignedLicenses = u.AssignedSkuIds.Select(s => new { skuId = s, disabledPlans = Array.Empty<string>() }).ToArray(),
    };

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex Quoted();
}
