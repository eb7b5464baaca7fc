using System.Globalization;
using Autotier.Application.Ports;
using Autotier.Application.Psa;
using Autotier.Domain.Psa;

namespace Autotier.Adapters.Psa;

/// <param name="BaseUrl">The zone's API root, e.g. <c>https://webservices5.autotask.net/atservicesrest/v1.0</c>.</param>
/// <param name="IntegrationCode">The API tracking identifier (header <c>ApiIntegrationCode</c>).</param>
/// <param name="Secret">The API user's secret (never logged).</param>
public sealed record AutotaskSettings(string BaseUrl, string IntegrationCode, string UserName, string Secret)
{
    public override string ToString() => $"Autotask {BaseUrl}";
}

/// <summary>
/// Autotask PSA REST API v1.0 (TypeScript autotaskApi.ts): headers <c>ApiIntegrationCode</c>,
/// <c>UserName</c>, <c>Secret</c>; <c>/Tickets</c>, <c>/Tickets/{id}/Notes</c>, <c>/Contacts/query</c>,
/// <c>/Tickets/query</c>, <c>/TimeEntries/query</c>; responses <c>{item}</c>, <c>{items}</c>, <c>{itemId}</c>.
/// </summary>
public sealed class AutotaskApi : IPsaApi
{
    /// <summary>Autotask's "Medium" priority: autotier's classification is on its own ticket, not here.</summary>
    private const int MediumPriority = 2;

    private const int NewStatus = 1;

    /// <summary>
    /// The TicketNote <c>publish</c> picklist: 1 "All Autotask Users", 2 "Internal Only", 3 "Internal &amp;
    /// Co-managed". Only 1 can reach anyone outside the MSP, so it alone is customer-facing; autotier
    /// writes its notes Internal Only.
    /// </summary>
    private const int PublishAllUsers = 1;

    private const int PublishInternalOnly = 2;

    private readonly PsaHttp http;

    public AutotaskApi(AutotaskSettings settings, HttpClient client, PsaHttpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        IReadOnlyList<KeyValuePair<string, string>> headers =
            [new("ApiIntegrationCode", settings.IntegrationCode), new("UserName", settings.UserName), new("Secret", settings.Secret)];
        http = new PsaHttp(Vendor, client, settings.BaseUrl, _ => Task.FromResult(headers), options ?? new PsaHttpOptions());
    }

    public string Vendor => PsaVendors.Autotask;

    private static string Ticket(string id) => "/Tickets/" + J.Escape(id);

    private static object Filter(params object[] items) => new { filter = items };

    public async Task<PsaTicket?> GetTicketAsync(string id, CancellationToken cancellationToken)
    {
        var t = J.Obj(await http.MaybeAsync(Ticket(id), cancellationToken), "item");
        if (t is null) return null;
        var contact = J.Str(t, "contactID") is { } contactId ? J.Obj(await http.MaybeAsync("/Contacts/" + J.Escape(contactId), cancellationToken), "item") : null;
        var name = string.Join(" ", new[] { J.Str(contact, "firstName"), J.Str(contact, "lastName") }.Where(x => !string.IsNullOrWhiteSpace(x)));
        var ticketId = J.Str(t, "id") ?? id;
        return new PsaTicket(
            ticketId, J.Str(t, "ticketNumber") ?? ticketId, J.Str(t, "title") ?? "", J.Str(t, "description") ?? "",
            J.Str(t, "companyID") is { } company ? [company] : [],
            name.Length > 0 ? name : null, J.Str(contact, "emailAddress"));
    }

    public async Task<IReadOnlyList<string>> NoteTextsAsync(string id, CancellationToken cancellationToken) =>
        [.. J.Items(await http.JsonAsync(HttpMethod.Get, Ticket(id) + "/Notes", null, cancellationToken), "items").Select(n => J.Str(n, "description") ?? "")];

    public Task AddNoteAsync(string id, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        var title = text.Split('\n', 2)[0];
        return http.JsonAsync(HttpMethod.Post, Ticket(id) + "/Notes", new
        {
            ticketID = J.Num(id),
            title = title.Length == 0 ? "autotier" : title[..Math.Min(250, title.Length)],
            description = text[..Math.Min(32_000, text.Length)],
            noteType = 1,
            publish = PublishInternalOnly,
        }, cancellationToken, create: true);
    }

    public async Task UpdateAsync(string id, string? status, string? queue, CancellationToken cancellationToken)
    {
        if (status is null && queue is null) return;
        var body = new Dictionary<string, object?> { ["id"] = J.Num(id) };
        if (status is not null) body["status"] = J.Num(status);
        if (queue is not null) body["queueID"] = J.Num(queue);
        await http.JsonAsync(HttpMethod.Patch, "/Tickets", body, cancellationToken);
    }

    public async Task<PsaTicketHandle?> FindByReferenceAsync(string reference, string companyId, CancellationToken cancellationToken)
    {
        var found = await http.JsonAsync(HttpMethod.Post, "/Tickets/query", Filter(
            new { op = "eq", field = "companyID", value = J.Num(companyId) },
            new { op = "contains", field = "title", value = reference }), cancellationToken);
        foreach (var t in J.Items(found, "items"))
        {
            if ((J.Str(t, "title") ?? "").Contains(reference, StringComparison.Ordinal) && J.Str(t, "id") is { } ticketId)
                return new PsaTicketHandle(ticketId, J.Str(t, "ticketNumber") ?? ticketId);
        }
        return null;
    }

    public async Task<PsaTicketHandle> CreateTicketAsync(PsaNewTicket ticket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var contacts = await http.JsonAsync(HttpMethod.Post, "/Contacts/query", Filter(
            new { op = "eq", field = "companyID", value = J.Num(ticket.CompanyId) },
            new { op = "eq", field = "emailAddress", value = ticket.ContactEmail }), cancellationToken);
        var contactId = J.Items(contacts, "items").Select(c => J.Str(c, "id")).FirstOrDefault(i => i is not null);
        var body = new Dictionary<string, object?>
        {
            ["companyID"] = J.Num(ticket.CompanyId),
            ["contactID"] = contactId is null ? null : J.Num(contactId),
            ["title"] = ticket.Summary,
            ["description"] = ticket.Description[..Math.Min(8000, ticket.Description.Length)],
            ["status"] = ticket.Status is null ? NewStatus : J.Num(ticket.Status),
            ["priority"] = MediumPriority,
            ["queueID"] = ticket.Queue is null ? null : J.Num(ticket.Queue),
            ["dueDateTime"] = ticket.DueAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        };
        var created = await http.JsonAsync(HttpMethod.Post, "/Tickets", body, cancellationToken, create: true);
        var itemId = J.Str(created, "itemId") ?? throw new PsaApiException(Vendor, 200, "autotask POST /Tickets answered no itemId");
        // The number people quote (T20261122.0001) is only on the stored ticket.
        var stored = await GetTicketAsync(itemId, cancellationToken);
        return new PsaTicketHandle(itemId, stored?.Number ?? itemId);
    }

    public async Task<PsaTicketState?> TicketStateAsync(string id, CancellationToken cancellationToken)
    {
        var t = J.Obj(await http.MaybeAsync(Ticket(id), cancellationToken), "item");
        if (t is null) return null;
        var notes = await http.JsonAsync(HttpMethod.Get, Ticket(id) + "/Notes", null, cancellationToken);
        var entries = await http.JsonAsync(HttpMethod.Post, "/TimeEntries/query", Filter(new { op = "eq", field = "ticketID", value = J.Num(id) }), cancellationToken);
        var activity = new List<PsaActivity>();
        foreach (var n in J.Items(notes, "items"))
        {
            if (J.Str(n, "id") is not { } noteId) continue;
            var author = J.Str(n, "creatorResourceID");
            activity.Add(new PsaActivity(noteId, PsaActivityKind.Note, J.Str(n, "description") ?? J.Str(n, "title") ?? "",
                J.Str(n, "publish") == PublishAllUsers.ToString(CultureInfo.InvariantCulture), author is not null, author));
        }
        foreach (var e in J.Items(entries, "items"))
        {
            if (J.Str(e, "id") is not { } entryId) continue;
            var author = J.Str(e, "resourceID");
            var text = string.Join("\n", new[] { J.Str(e, "internalNotes"), J.Str(e, "summaryNotes") }.Where(x => !string.IsNullOrWhiteSpace(x)));
            activity.Add(new PsaActivity(entryId, PsaActivityKind.Time, text, false, author is not null, author));
        }
        return new PsaTicketState(J.Str(t, "status"), false, J.Str(t, "resolution"), activity);
    }
}
