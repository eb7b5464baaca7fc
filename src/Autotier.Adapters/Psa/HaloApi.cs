using System.Globalization;
using Autotier.Application.Ports;
using Autotier.Application.Psa;
using Autotier.Domain.Psa;

namespace Autotier.Adapters.Psa;

/// <param name="BaseUrl">The Halo instance, e.g. <c>https://yourmsp.halopsa.com</c> (the API is under <c>/api</c>, tokens under <c>/auth/token</c>).</param>
/// <param name="ClientSecret">The API application's client secret (never logged).</param>
public sealed record HaloSettings(string BaseUrl, string ClientId, string ClientSecret)
{
    public override string ToString() => $"HaloPSA {BaseUrl}";
}

/// <summary>
/// HaloPSA REST API (TypeScript haloApi.ts): OAuth2 client credentials at <c>/auth/token</c> (scope
/// <c>all</c>), the token cached until a minute before it expires and fetched again once on a 401;
/// <c>/api/Tickets</c> and <c>/api/Actions</c> take arrays. Halo shows an action's <c>note</c> as
/// HTML, so autotier's plain note is HTML-encoded with its line breaks as <c>&lt;br&gt;</c>.
/// </summary>
public sealed class HaloApi : IPsaApi
{
    private readonly PsaHttp http;
    private readonly HaloSettings settings;
    private readonly HttpClient client;
    private readonly PsaHttpOptions options;
    private readonly TimeProvider time;
    /// <summary>A reference, so a call on another thread reads the whole token or none of it.</summary>
    private volatile CachedToken? token;

    private sealed record CachedToken(string Value, DateTimeOffset Until);

    public HaloApi(HaloSettings settings, HttpClient client, PsaHttpOptions? options = null, TimeProvider? time = null)
    {
        this.settings = settings ?? throw new ArgumentNullException(nameof(settings));
        this.client = client;
        this.options = options ?? new PsaHttpOptions();
        this.time = time ?? TimeProvider.System;
        http = new PsaHttp(Vendor, client, settings.BaseUrl.TrimEnd('/') + "/api", async ct =>
            [new KeyValuePair<string, string>("Authorization", "Bearer " + await AccessTokenAsync(ct))], this.options, () =>
            {
                token = null;
                return true;
            });
    }

    public string Vendor => PsaVendors.HaloPsa;

    private async Task<string> AccessTokenAsync(CancellationToken cancellationToken)
    {
        if (token is { } cached && cached.Until > time.GetUtcNow()) return cached.Value;
        // Two calls that miss at once both ask for a token: harmless, and no lock to own.
        {
            var tokens = new PsaHttp(Vendor, client, settings.BaseUrl.TrimEnd('/'), _ => Task.FromResult<IReadOnlyList<KeyValuePair<string, string>>>([]), options);
            var answer = await tokens.FormAsync("/auth/token", new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = settings.ClientId,
                ["client_secret"] = settings.ClientSecret,
                ["scope"] = "all",
            }, cancellationToken);
            var value = J.Str(answer, "access_token") ?? throw new PsaApiException(Vendor, 200, "halopsa POST /auth/token answered no access_token");
            var seconds = double.TryParse(J.Str(answer, "expires_in"), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : 3600;
            token = new CachedToken(value, time.GetUtcNow() + TimeSpan.FromSeconds(Math.Max(0, seconds - 60)));
            return value;
        }
    }

    private static string Ticket(string id) => "/Tickets/" + J.Escape(id);

    public async Task<PsaTicket?> GetTicketAsync(string id, CancellationToken cancellationToken)
    {
        var t = await http.MaybeAsync(Ticket(id), cancellationToken);
        if (t is null) return null;
        var ticketId = J.Str(t, "id") ?? id;
        return new PsaTicket(
            ticketId, ticketId, J.Str(t, "summary") ?? "", J.Str(t, "details") ?? "",
            [.. new[] { J.Str(t, "client_id"), J.Str(t, "client_name") }.Where(k => !string.IsNullOrEmpty(k)).Cast<string>()],
            J.Str(t, "user_name"), J.Str(t, "user_email") ?? J.Str(t, "emailaddress"));
    }

    private Task<System.Text.Json.JsonElement?> ActionsAsync(string id, CancellationToken cancellationToken) =>
        http.JsonAsync(HttpMethod.Get, $"/Actions?ticket_id={J.Escape(id)}&excludesys=true", null, cancellationToken);

    public async Task<IReadOnlyList<string>> NoteTextsAsync(string id, CancellationToken cancellationToken) =>
        [.. J.Items(await ActionsAsync(id, cancellationToken), "actions").Select(a => System.Net.WebUtility.HtmlDecode(J.Str(a, "note") ?? ""))];

    public Task AddNoteAsync(string id, string text, CancellationToken cancellationToken) =>
        http.JsonAsync(HttpMethod.Post, "/Actions", new[]
        {
            new { ticket_id = J.Num(id), note = Html(text), outcome = "Private Note", hiddenfromuser = true },
        }, cancellationToken, create: true);

    /// <summary>Plain text as Halo's HTML note: every character as itself, line breaks kept.</summary>
    internal static string Html(string text) =>
        System.Net.WebUtility.HtmlEncode(text ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "<br>", StringComparison.Ordinal);

    public async Task UpdateAsync(string id, string? status, string? queue, CancellationToken cancellationToken)
    {
        if (status is null && queue is null) return;
        var body = new Dictionary<string, object?> { ["id"] = J.Num(id) };
        if (status is not null) body["status_id"] = J.Num(status);
        if (queue is not null) body["team"] = queue;
        await http.JsonAsync(HttpMethod.Post, "/Tickets", new[] { body }, cancellationToken);
    }

    public async Task<PsaTicketHandle?> FindByReferenceAsync(string reference, string companyId, CancellationToken cancellationToken)
    {
        var found = await http.JsonAsync(HttpMethod.Get, $"/Tickets?search={J.Escape(reference)}&client_id={J.Escape(companyId)}&pageinate=false", null, cancellationToken);
        foreach (var t in J.Items(found, "tickets"))
        {
            if ((J.Str(t, "summary") ?? "").Contains(reference, StringComparison.Ordinal) && J.Str(t, "id") is { } ticketId)
                return new PsaTicketHandle(ticketId, ticketId);
        }
        return null;
    }

    public async Task<PsaTicketHandle> CreateTicketAsync(PsaNewTicket ticket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var users = await http.JsonAsync(HttpMethod.Get, $"/Users?search={J.Escape(ticket.ContactEmail)}&client_id={J.Escape(ticket.CompanyId)}", null, cancellationToken);
        var userId = J.Items(users, "users")
            .Where(u => string.Equals(J.Str(u, "emailaddress"), ticket.ContactEmail, StringComparison.OrdinalIgnoreCase))
            .Select(u => J.Str(u, "id")).FirstOrDefault(i => i is not null);
        var body = new Dictionary<string, object?>
        {
            ["summary"] = ticket.Summary,
            ["details"] = Html(ticket.Description),
            ["client_id"] = J.Num(ticket.CompanyId),
            ["user_id"] = userId is null ? null : J.Num(userId),
            ["user_name"] = ticket.ContactName,
            ["reportedby"] = ticket.ContactEmail,
            ["emailaddress"] = ticket.ContactEmail,
            ["team"] = ticket.Queue,
            ["status_id"] = ticket.Status is null ? null : J.Num(ticket.Status),
            ["deadlinedate"] = ticket.DueAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        };
        var answer = await http.JsonAsync(HttpMethod.Post, "/Tickets", new[] { body }, cancellationToken, create: true);
        // Halo answers the ticket it created, alone or in an array.
        var created = answer is { ValueKind: System.Text.Json.JsonValueKind.Array } list ? J.Items(list).FirstOrDefault() : answer;
        var id = J.Str(created, "id") ?? throw new PsaApiException(Vendor, 200, "halopsa POST /api/Tickets answered no id");
        return new PsaTicketHandle(id, id);
    }

    public async Task<PsaTicketState?> TicketStateAsync(string id, CancellationToken cancellationToken)
    {
        var t = await http.MaybeAsync(Ticket(id), cancellationToken);
        if (t is null) return null;
        var activity = new List<PsaActivity>();
        foreach (var a in J.Items(await ActionsAsync(id, cancellationToken), "actions"))
        {
            if (J.Str(a, "id") is not { } actionId) continue;
            var agent = J.Str(a, "who_agentid");
            // End users' own actions carry agent 0.
            activity.Add(new PsaActivity(actionId, PsaActivityKind.Note, J.Str(a, "note") ?? "", J.Bool(a, "hiddenfromuser") == false,
                agent is not null && agent != "0", agent, J.Str(a, "who")));
        }
        return new PsaTicketState(J.Str(t, "status_id"), false, null, activity);
    }
}
