using System.Collections.Concurrent;
using Autotier.Application.Ports;
using Autotier.Application.Psa;
using Autotier.Domain.Psa;

namespace Autotier.TestSupport.Psa;

/// <summary>External-id links held in memory (the Tickets table's <c>x|client</c> rows in production).</summary>
public sealed class InMemoryTicketLinks : ITicketLinks
{
    public ConcurrentDictionary<(string Client, string ExternalId), string> Links { get; } = new();

    public Task<string?> FindAsync(string clientId, string externalId, CancellationToken cancellationToken) =>
        Task.FromResult(Links.TryGetValue((clientId, externalId), out var t) ? t : null);

    public Task LinkAsync(string clientId, string externalId, string ticketId, CancellationToken cancellationToken)
    {
        Links.TryAdd((clientId, externalId), ticketId);
        return Task.CompletedTask;
    }
}

/// <summary>Claimed PSA note keys held in memory.</summary>
public sealed class InMemoryPsaSeen : IPsaSeen
{
    public ConcurrentDictionary<string, DateTimeOffset> Claimed { get; } = new(StringComparer.Ordinal);

    public Task<bool> ClaimAsync(string key, DateTimeOffset keepUntil, CancellationToken cancellationToken) => Task.FromResult(Claimed.TryAdd(key, keepUntil));

    public Task ReleaseAsync(string key, CancellationToken cancellationToken)
    {
        Claimed.TryRemove(key, out _);
        return Task.CompletedTask;
    }
}

/// <summary>One PSA ticket as <see cref="InMemoryPsaApi"/> keeps it.</summary>
public sealed class FakePsaTicket(PsaTicket ticket)
{
    public PsaTicket Ticket { get; set; } = ticket;

    public string? Status { get; set; }

    public string? Queue { get; set; }

    public bool Closed { get; set; }

    public string? Resolution { get; set; }

    /// <summary>Notes and time entries; autotier's own notes are added as internal, by <see cref="InMemoryPsaApi.SelfId"/>.</summary>
    public List<PsaActivity> Activity { get; } = [];
}

/// <summary>
/// An in-memory PSA behind <see cref="IPsaApi"/>, for use-case and workflow tests with no HTTP: it
/// keeps tickets, notes and statuses, records each call, and throws what <see cref="FailNext"/> says.
/// </summary>
public sealed class InMemoryPsaApi(string vendor = PsaVendors.ConnectWise) : IPsaApi
{
    public const string SelfId = "autotier-api";

    private int nextId = 600;
    private readonly object gate = new();

    public string Vendor => vendor;

    public ConcurrentDictionary<string, FakePsaTicket> Tickets { get; } = new();

    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>Thrown by the next calls, in order (a <see cref="PsaApiException"/> as the adapters throw).</summary>
    public ConcurrentQueue<Exception> FailNext { get; } = new();

    /// <summary>A create that the PSA took, but whose answer never came back (the next create call).</summary>
    public bool LoseNextCreateAnswer { get; set; }

    private void Call(string what)
    {
        Calls.Enqueue(what);
        if (FailNext.TryDequeue(out var e)) throw e;
    }

    public FakePsaTicket Add(string id, string summary, string companyId, string email, string? status = null)
    {
        var t = new FakePsaTicket(new PsaTicket(id, id, summary, "", [companyId], "Sam Lee", email)) { Status = status };
        Tickets[id] = t;
        return t;
    }

    public Task<PsaTicket?> GetTicketAsync(string id, CancellationToken cancellationToken)
    {
        Call($"get {id}");
        return Task.FromResult(Tickets.TryGetValue(id, out var t) ? t.Ticket : null);
    }

    public Task<IReadOnlyList<string>> NoteTextsAsync(string id, CancellationToken cancellationToken)
    {
        Call($"notes {id}");
        lock (gate) return Task.FromResult<IReadOnlyList<string>>(Tickets.TryGetValue(id, out var t) ? [.. t.Activity.Where(a => a.Kind == PsaActivityKind.Note).Select(a => a.Text)] : []);
    }

    public Task AddNoteAsync(string id, string text, CancellationToken cancellationToken)
    {
        Call($"note {id}");
        lock (gate)
        {
            var t = Tickets[id];
            t.Activity.Add(new PsaActivity($"n{t.Activity.Count + 1}", PsaActivityKind.Note, text, false, true, SelfId, "autotier"));
        }
        return Task.CompletedTask;
    }

    public Task UpdateAsync(string id, string? status, string? queue, CancellationToken cancellationToken)
    {
        Call($"update {id} status={status} queue={queue}");
        var t = Tickets[id];
        if (status is not null) t.Status = status;
        if (queue is not null) t.Queue = queue;
        return Task.CompletedTask;
    }

    public Task<PsaTicketHandle?> FindByReferenceAsync(string reference, string companyId, CancellationToken cancellationToken)
    {
        Call($"find {reference}");
        var found = Tickets.Values.FirstOrDefault(t => t.Ticket.Summary.Contains(reference, StringComparison.Ordinal) && t.Ticket.CompanyKeys.Contains(companyId));
        return Task.FromResult(found is null ? null : new PsaTicketHandle(found.Ticket.Id, found.Ticket.Number));
    }

    public Task<PsaTicketHandle> CreateTicketAsync(PsaNewTicket ticket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        Call("create");
        string id;
        lock (gate) id = (++nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Tickets[id] = new FakePsaTicket(new PsaTicket(id, id, ticket.Summary, ticket.Description, [ticket.CompanyId], ticket.ContactName, ticket.ContactEmail))
        {
            Status = ticket.Status,
            Queue = ticket.Queue,
        };
        if (LoseNextCreateAnswer)
        {
            LoseNextCreateAnswer = false;
            throw new PsaApiException(vendor, 0, $"{vendor} POST /tickets timed out");
        }
        return Task.FromResult(new PsaTicketHandle(id, id));
    }

    public Task<PsaTicketState?> TicketStateAsync(string id, CancellationToken cancellationToken)
    {
        Call($"state {id}");
        lock (gate)
            return Task.FromResult(Tickets.TryGetValue(id, out var t) ? new PsaTicketState(t.Status, t.Closed, t.Resolution, [.. t.Activity]) : null);
    }
}
