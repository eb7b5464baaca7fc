using System.Text;
using System.Text.Json;
using Autotier.Application.Ports;
using Autotier.Application.Psa;
using Autotier.Domain.Psa;

namespace Autotier.Adapters.Psa;

/// <param name="BaseUrl">The API root, e.g. <c>https://api-na.myconnectwise.net/v4_6_release/apis/3.0</c>.</param>
/// <param name="CompanyId">The company id people sign in with.</param>
/// <param name="PublicKey">The API member's public key.</param>
/// <param name="PrivateKey">The API member's private key (a secret: never logged).</param>
/// <param name="ClientId">The clientId ConnectWise issues to each integration.</param>
public sealed record ConnectWiseSettings(string BaseUrl, string CompanyId, string PublicKey, string PrivateKey, string ClientId)
{
    /// <summary>Never the keys: a settings record printed by accident must not leak them.</summary>
    public override string ToString() => $"ConnectWise {BaseUrl}";
}

/// <summary>
/// ConnectWise PSA (Manage) REST API 3.0 (TypeScript connectWiseApi.ts): Basic auth
/// <c>company+publicKey:privateKey</c> with the <c>clientId</c> header; tickets under
/// <c>/service/tickets</c>, notes under <c>/service/tickets/{id}/notes</c>, board and status by
/// JSON Patch, time entries under <c>/time/entries</c>.
/// </summary>
public sealed class ConnectWiseApi : IPsaApi
{
    private readonly PsaHttp http;

    public ConnectWiseApi(ConnectWiseSettings settings, HttpClient client, PsaHttpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.CompanyId}+{settings.PublicKey}:{settings.PrivateKey}"));
        IReadOnlyList<KeyValuePair<string, string>> headers = [new("Authorization", "Basic " + basic), new("clientId", settings.ClientId)];
        http = new PsaHttp(Vendor, client, settings.BaseUrl, _ => Task.FromResult(headers), options ?? new PsaHttpOptions());
    }

    public string Vendor => PsaVendors.ConnectWise;

    private static string Ticket(string id) => "/service/tickets/" + J.Escape(id);

    /// <summary>ConnectWise conditions quote strings with double quotes; the value's own are escaped.</summary>
    private static string Quoted(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string CompanyCondition(string companyId) =>
        companyId.All(char.IsAsciiDigit) ? $"company/id={companyId}" : $"company/identifier={Quoted(companyId)}";

    public async Task<PsaTicket?> GetTicketAsync(string id, CancellationToken cancellationToken)
    {
        var t = await http.MaybeAsync(Ticket(id), cancellationToken);
        if (t is null) return null;
        var description = J.Str(t, "initialDescription");
        if (description is null)
        {
            var notes = await http.JsonAsync(HttpMethod.Get, Ticket(id) + "/notes?pageSize=100", null, cancellationToken);
            description = J.Items(notes).Where(n => J.Bool(n, "detailDescriptionFlag") == true).Select(n => J.Str(n, "text")).FirstOrDefault() ?? "";
        }
        var company = J.Obj(t, "company");
        return new PsaTicket(
            J.Str(t, "id") ?? id, J.Str(t, "id") ?? id, J.Str(t, "summary") ?? "", description,
            [.. new[] { J.Str(company, "id"), J.Str(company, "identifier"), J.Str(company, "name") }.OfType<string>()],
            J.Str(t, "contactName"), J.Str(t, "contactEmailAddress"));
    }

    public async Task<IReadOnlyList<string>> NoteTextsAsync(string id, CancellationToken cancellationToken)
    {
        var notes = await http.JsonAsync(HttpMethod.Get, Ticket(id) + "/notes?pageSize=1000", null, cancellationToken);
        return [.. J.Items(notes).Select(n => J.Str(n, "text") ?? "")];
    }

    public Task AddNoteAsync(string id, string text, CancellationToken cancellationToken) =>
        http.JsonAsync(HttpMethod.Post, Ticket(id) + "/notes", new
        {
            text,
            internalAnalysisFlag = true,
            detailDescriptionFlag = false,
            resolutionFlag = false,
        }, cancellationToken, create: true);

    public async Task UpdateAsync(string id, string? status, string? queue, CancellationToken cancellationToken)
    {
        var ops = new List<object>();
        if (queue is not null) ops.Add(new { op = "replace", path = "board", value = new { id = J.Num(queue) } });
        if (status is not null) ops.Add(new { op = "replace", path = "status", value = new { id = J.Num(status) } });
        if (ops.Count > 0) await http.JsonAsync(HttpMethod.Patch, Ticket(id), ops, cancellationToken);
    }

    public async Task<PsaTicketHandle?> FindByReferenceAsync(string reference, string companyId, CancellationToken cancellationToken)
    {
        // `like` with % on both sides; the reference has no LIKE wildcards of its own ([, ], _ or %).
        var conditions = $"{CompanyCondition(companyId)} AND summary like {Quoted($"%{reference}%")}";
        var found = await http.JsonAsync(HttpMethod.Get, $"/service/tickets?conditions={J.Escape(conditions)}&fields=id,summary&pageSize=25", null, cancellationToken);
        var match = J.Items(found).FirstOrDefault(t => (J.Str(t, "summary") ?? "").Contains(reference, StringComparison.Ordinal));
        return match.ValueKind == JsonValueKind.Object && J.Str(match, "id") is { } matchId ? new PsaTicketHandle(matchId, matchId) : null;
    }

    public async Task<PsaTicketHandle> CreateTicketAsync(PsaNewTicket ticket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var contactConditions = $"communicationItems/value={Quoted(ticket.ContactEmail)} AND communicationItems/communicationType=\"Email\"";
        var contacts = await http.JsonAsync(HttpMethod.Get,
            $"/company/contacts?conditions={J.Escape(CompanyCondition(ticket.CompanyId))}&childConditions={J.Escape(contactConditions)}&fields=id&pageSize=2",
            null, cancellationToken);
        var contactId = J.Items(contacts).Select(c => J.Str(c, "id")).FirstOrDefault(i => i is not null);
        var body = new Dictionary<string, object?>
        {
            ["summary"] = ticket.Summary,
            ["initialDescription"] = ticket.Description,
            ["company"] = ticket.CompanyId.All(char.IsAsciiDigit) ? new { id = J.Num(ticket.CompanyId) } : new { identifier = ticket.CompanyId },
            ["contact"] = contactId is null ? null : new { id = J.Num(contactId) },
            ["contactName"] = ticket.ContactName is { Length: > 0 } name ? name[..Math.Min(62, name.Length)] : null,
            ["contactEmailAddress"] = ticket.ContactEmail,
            ["board"] = ticket.Queue is null ? null : new { id = J.Num(ticket.Queue) },
            ["status"] = ticket.Status is null ? null : new { id = J.Num(ticket.Status) },
            ["requiredDate"] = ticket.DueAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        };
        var created = await http.JsonAsync(HttpMethod.Post, "/service/tickets", body, cancellationToken, create: true);
        var id = J.Str(created, "id") ?? throw new PsaApiException(Vendor, 200, "connectwise POST /service/tickets answered no id");
        return new PsaTicketHandle(id, id);
    }

    public async Task<PsaTicketState?> TicketStateAsync(string id, CancellationToken cancellationToken)
    {
        var t = await http.MaybeAsync(Ticket(id), cancellationToken);
        if (t is null) return null;
        var notes = await http.JsonAsync(HttpMethod.Get, Ticket(id) + "/notes?pageSize=1000", null, cancellationToken);
        var chargeTo = long.TryParse(id, out var n) ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "0";
        var entries = await http.JsonAsync(HttpMethod.Get,
            $"/time/entries?conditions={J.Escape($"chargeToType=\"ServiceTicket\" AND chargeToId={chargeTo}")}&pageSize=1000", null, cancellationToken);
        var activity = new List<PsaActivity>();
        foreach (var note in J.Items(notes))
        {
            if (J.Str(note, "id") is not { } noteId) continue;
            var member = J.Obj(note, "member");
            // Discussion and resolution notes are the customer's to see; internal analysis is not.
            var isPublic = J.Bool(note, "internalAnalysisFlag") != true && (J.Bool(note, "detailDescriptionFlag") == true || J.Bool(note, "resolutionFlag") == true);
            activity.Add(new PsaActivity(noteId, PsaActivityKind.Note, J.Str(note, "text") ?? "", isPublic, member is not null, Author(member), J.Str(member, "name")));
        }
        foreach (var entry in J.Items(entries))
        {
            if (J.Str(entry, "id") is not { } entryId) continue;
            var member = J.Obj(entry, "member");
            var text = string.Join("\n", new[] { J.Str(entry, "internalNotes"), J.Str(entry, "notes") }.Where(x => !string.IsNullOrWhiteSpace(x)));
            activity.Add(new PsaActivity(entryId, PsaActivityKind.Time, text, false, member is not null, Author(member), J.Str(member, "name")));
        }
        return new PsaTicketState(J.Str(J.Obj(t, "status"), "id"), J.Bool(t, "closedFlag") == true, null, activity);
    }

    private static string? Author(JsonElement? member) => J.Str(member, "identifier") ?? J.Str(member, "id");
}
