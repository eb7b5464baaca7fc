using System.Collections.Concurrent;
using Autotier.Application.Ports;
using Autotier.Domain.Classification;
using Autotier.Domain.Clients;
using Autotier.Domain.Mail;
using Autotier.Domain.Tickets;

namespace Autotier.TestSupport.Fakes;

/// <summary>Ports held in memory, for use-case tests that need no storage. Same contracts as the table adapters.</summary>
public sealed class InMemoryTicketStore : ITicketStore
{
    private readonly ConcurrentDictionary<string, Ticket> tickets = new();
    private readonly ConcurrentDictionary<string, string> external = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, TimelineEntry>> timelines = new();
    private long next;

    public IReadOnlyCollection<Ticket> All => [.. tickets.Values];

    public Task<TicketCreation> CreateAsync(NewTicket input, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var key = $"{input.ClientId}|{input.ExternalId}";
        if (input.ExternalId is not null && external.TryGetValue(key, out var existing))
            return Task.FromResult(new TicketCreation(tickets[existing], false));
        var ticket = Ticket.Create(TicketIds.FromNumber(Interlocked.Increment(ref next)), input, now);
        tickets[ticket.TicketId] = ticket;
        if (input.ExternalId is not null) external[key] = ticket.TicketId;
        return Task.FromResult(new TicketCreation(ticket, true));
    }

    public Task<Ticket?> GetAsync(string ticketId, CancellationToken cancellationToken) =>
        Task.FromResult(tickets.TryGetValue(ticketId, out var t) ? t : null);

    public Task<Ticket?> UpdateAsync(string ticketId, Func<Ticket, Ticket?> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        while (tickets.TryGetValue(ticketId, out var current))
        {
            var updated = change(current);
            if (updated is null) return Task.FromResult<Ticket?>(current);
            if (tickets.TryUpdate(ticketId, updated, current)) return Task.FromResult<Ticket?>(updated);
        }
        return Task.FromResult<Ticket?>(null);
    }

    public Task<bool> AppendTimelineAsync(string ticketId, TimelineEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Task.FromResult(timelines.GetOrAdd(ticketId, _ => new()).TryAdd(entry.Step, entry));
    }

    public Task<IReadOnlyList<TimelineEntry>> GetTimelineAsync(string ticketId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<TimelineEntry>>(timelines.TryGetValue(ticketId, out var t) ? [.. t.Values] : []);

    public Task<IReadOnlyList<Ticket>> NotYetMovedAsync(DateTimeOffset createdFrom, DateTimeOffset createdBefore, int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Ticket>>([.. tickets.Values
            .Where(t => t.CreatedAt >= createdFrom && t.CreatedAt < createdBefore && t.Stage is Stage.Received or Stage.Classified)
            .OrderBy(t => t.CreatedAt).Take(max)]);
}

/// <summary>
/// A classifier that answers what it is told and records what it was asked, for use-case tests
/// (the real classifier has its own tests).
/// </summary>
public sealed class RecordingClassifier : ITicketClassifier
{
    private readonly ConcurrentQueue<(string Subject, string Body, string ClientId)> asked = new();

    public TicketClassification Answer { get; set; } =
        new(Categories.PasswordReset, Priorities.P3, 0.9, Routes.Auto, 1, ["test answer"], Playbook: "password_reset", DecidedBy: DecidedBy.Model);

    public IReadOnlyCollection<(string Subject, string Body, string ClientId)> Asked => [.. asked];

    public ValueTask<TicketClassification> ClassifyAsync(
        string subject, string body, ClientProfile client, string? requesterEmail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        asked.Enqueue((subject, body, client.ClientId));
        return ValueTask.FromResult(Answer);
    }
}

public sealed class InMemoryCorrectionStore : ICorrectionStore
{
    private readonly ConcurrentDictionary<string, CorrectionRecord> rows = new();

    public Task RecordAsync(CorrectionRecord correction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(correction);
        rows.TryAdd($"{correction.ClientId}|{correction.TicketId}|{correction.Sequence}", correction);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CorrectionRecord>> ListAsync(string clientId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CorrectionRecord>>(
            [.. rows.Values.Where(r => r.ClientId == clientId).OrderBy(r => r.At).ThenBy(r => r.TicketId, StringComparer.Ordinal)]);
}

public sealed class InMemoryClientStore : IClientStore
{
    private readonly ConcurrentDictionary<string, ClientProfile> clients = new();

    public Task<ClientProfile?> GetAsync(string clientId, CancellationToken cancellationToken) =>
        Task.FromResult(clients.TryGetValue(clientId, out var c) ? c : null);

    public Task SaveAsync(ClientProfile profile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        clients[profile.ClientId] = profile;
        return Task.CompletedTask;
    }
}

/// <summary>A mail service that records what it was asked to send, and can be told to fail or hang.</summary>
public sealed class RecordingMail : IEmailSender
{
    private readonly ConcurrentDictionary<string, MailMessage> sent = new();

    public Func<MailMessage, Task>? Behaviour { get; set; }

    public int Attempts { get; private set; }

    private readonly ConcurrentQueue<MailMessage> order = new();

    /// <summary>Each mail once, in the order they were first sent.</summary>
    public IReadOnlyCollection<MailMessage> Sent => [.. order];

    public async Task<SendResult> SendAsync(MailMessage message, string idempotencyKey, CancellationToken cancellationToken)
    {
        Attempts++;
        if (Behaviour is not null) await Behaviour(message);
        if (!sent.TryAdd(idempotencyKey, message)) return new SendResult(true);
        order.Enqueue(message);
        return new SendResult(false);
    }
}

/// <summary>The start queue, in memory.</summary>
public sealed class RecordingStarts : ITicketStarts
{
    public ConcurrentQueue<StartTicketMessage> Queued { get; } = new();

    /// <summary>Thrown by <see cref="EnqueueAsync"/> (the queue unreachable too).</summary>
    public Exception? Failure { get; set; }

    public Task EnqueueAsync(StartTicketMessage message, CancellationToken cancellationToken)
    {
        if (Failure is not null) throw Failure;
        Queued.Enqueue(message);
        return Task.CompletedTask;
    }
}

/// <summary>A workflow port that records the starts it was asked for, and can be told to fail.</summary>
public sealed class RecordingWorkflow : ITicketWorkflow
{
    public Exception? Failure { get; set; }

    /// <summary>Thrown by <see cref="RaiseAsync"/> (storage trouble while telling a workflow).</summary>
    public Exception? RaiseFailure { get; set; }

    private readonly ConcurrentDictionary<string, TicketWorkflowInput> started = new();

    public ConcurrentQueue<TicketWorkflowInput> Requests { get; } = new();

    public Task<bool> EnsureStartedAsync(TicketWorkflowInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        Requests.Enqueue(input);
        if (Failure is not null) throw Failure;
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(started.TryAdd(input.TicketId, input));
    }

    /// <summary>What <see cref="GetStatusAsync"/> answers per ticket (null for any other: no such workflow).</summary>
    public ConcurrentDictionary<string, WorkflowStatus> Statuses { get; } = new();

    public Task<WorkflowStatus?> GetStatusAsync(string ticketId, CancellationToken cancellationToken) =>
        Task.FromResult(Statuses.TryGetValue(ticketId, out var status) ? status : null);

    /// <summary>Events raised, per ticket; tickets in <see cref="Finished"/> refuse them as an ended workflow does.</summary>
    public ConcurrentQueue<(string TicketId, Domain.Lifecycle.TicketEvent Event)> Raised { get; } = new();

    public ConcurrentDictionary<string, bool> Finished { get; } = new();

    public Task<RaiseResult> RaiseAsync(string ticketId, Domain.Lifecycle.TicketEvent ticketEvent, CancellationToken cancellationToken)
    {
        if (RaiseFailure is not null) throw RaiseFailure;
        if (Finished.ContainsKey(ticketId)) return Task.FromResult(RaiseResult.Finished);
        Raised.Enqueue((ticketId, ticketEvent));
        return Task.FromResult(RaiseResult.Delivered);
    }
}
