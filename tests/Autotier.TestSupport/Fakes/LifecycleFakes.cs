using System.Collections.Concurrent;
using Autotier.Application.Playbooks;
using Autotier.Application.Ports;
using Autotier.Domain.Resolutions;

namespace Autotier.TestSupport.Fakes;

/// <summary>Alerts as the notifier was asked for them, keyed as the real one keys them (a key twice is one alert).</summary>
public sealed class RecordingNotifier : INotifier
{
    private readonly ConcurrentDictionary<(string, string), Domain.Alerts.AlertFacts> alerts = new();

    public IReadOnlyList<Domain.Alerts.AlertFacts> Alerts => [.. alerts.Values.OrderBy(a => a.At).ThenBy(a => a.Key, StringComparer.Ordinal)];

    public Task NotifyAsync(Domain.Alerts.AlertFacts alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        alerts.TryAdd((alert.TicketId, alert.Key), alert);
        return Task.CompletedTask;
    }
}

/// <summary>A playbook port that answers what the test says, and records what it was asked.</summary>
public sealed class ScriptedPlaybooks : IPlaybooks
{
    public Func<PlaybookRequest, PlaybookRun> Answer { get; set; } =
        r => new PlaybookGuide(new Domain.Playbooks.Guide("builtin-" + r.Ticket.Classification?.Category, "Reset your password", ["Go to aka.ms/sspr", "Follow the steps"]));

    public ConcurrentQueue<PlaybookRequest> Asked { get; } = new();

    public Task<PlaybookRun> RunAsync(PlaybookRequest request, CancellationToken ct)
    {
        Asked.Enqueue(request);
        return Task.FromResult(Answer(request));
    }
}

public sealed class InMemoryTokenStore : ITokenStore
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> used = new(StringComparer.Ordinal);

    public Task<bool> UseAsync(string nonce, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        Task.FromResult(used.TryAdd(nonce, expiresAt));

    public Task ForgetAsync(string nonce, CancellationToken cancellationToken)
    {
        used.TryRemove(nonce, out _);
        return Task.CompletedTask;
    }

    public Task<int> SweepAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var expired = used.Where(u => u.Value < now).Select(u => u.Key).ToList();
        foreach (var nonce in expired) used.TryRemove(nonce, out _);
        return Task.FromResult(expired.Count);
    }
}

public sealed class InMemoryResolutionLog : IResolutionLog
{
    private readonly ConcurrentDictionary<(string, string, string), ResolutionRecord> records = new();

    public IReadOnlyList<ResolutionRecord> All => [.. records.Values.OrderBy(r => r.At)];

    public Task RecordAsync(ResolutionRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        records[(record.ClientId, record.TicketId, record.Outcome)] = record;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ResolutionRecord>> ForClientAsync(string clientId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ResolutionRecord>>([.. records.Values.Where(r => r.ClientId == clientId)]);

    public Task<IReadOnlyList<ResolutionRecord>> RecentSolvedAsync(string clientId, int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ResolutionRecord>>(
            [.. records.Values.Where(r => r.ClientId == clientId && Outcomes.Solved.Contains(r.Outcome)).OrderByDescending(r => r.At).Take(max)]);
}

public sealed class InMemoryIncidentStore : IIncidentStore
{
    private readonly ConcurrentDictionary<(string, string), Domain.Lifecycle.Incident> incidents = new();
    private readonly Lock gate = new();

    public IReadOnlyList<Domain.Lifecycle.Incident> All => [.. incidents.Values.OrderBy(i => i.OpenedAt)];

    public Task<IReadOnlyList<Domain.Lifecycle.Incident>> OpenAsync(string clientId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Domain.Lifecycle.Incident>>([.. incidents.Values.Where(i => i.ClientId == clientId && !i.Closed)]);

    public Task<IReadOnlyList<Domain.Lifecycle.Incident>> OpenedAsync(string clientId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Domain.Lifecycle.Incident>>([.. All.Where(i => i.ClientId == clientId && i.OpenedAt >= since && i.OpenedAt < until)]);

    public Task<Domain.Lifecycle.Incident?> GetAsync(string clientId, string incidentId, CancellationToken cancellationToken) =>
        Task.FromResult(incidents.GetValueOrDefault((clientId, incidentId)));

    public Task<bool> TryCreateAsync(Domain.Lifecycle.Incident incident, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incident);
        return Task.FromResult(incidents.TryAdd((incident.ClientId, incident.IncidentId), incident));
    }

    public Task<Domain.Lifecycle.Incident?> UpdateAsync(string clientId, string incidentId, Func<Domain.Lifecycle.Incident, Domain.Lifecycle.Incident?> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (gate)
        {
            if (!incidents.TryGetValue((clientId, incidentId), out var current)) return Task.FromResult<Domain.Lifecycle.Incident?>(null);
            var updated = change(current);
            if (updated is null) return Task.FromResult<Domain.Lifecycle.Incident?>(current);
            incidents[(clientId, incidentId)] = updated;
            return Task.FromResult<Domain.Lifecycle.Incident?>(updated);
        }
    }
}

/// <summary>
/// A language model that answers as the test says (by default nothing usable), recording what it
/// was asked: the real guarded assistant runs over it, with its redaction and its checks.
/// </summary>
public sealed class ScriptedChatModel : IChatModel
{
    public ConcurrentQueue<IReadOnlyList<Domain.Assistant.ChatMessage>> Asked { get; } = new();

    /// <summary>The answer's content for the messages asked (null: an empty completion).</summary>
    public Func<IReadOnlyList<Domain.Assistant.ChatMessage>, string?> Answer { get; set; } = _ => null;

    public Task<ChatCompletion> CompleteJsonAsync(IReadOnlyList<Domain.Assistant.ChatMessage> messages, int maxTokens, CancellationToken cancellationToken)
    {
        Asked.Enqueue(messages);
        return Task.FromResult(new ChatCompletion(Answer(messages), 50));
    }

    /// <summary>Everything sent, one string: for checks that no address or name left the app.</summary>
    public string AllSent => string.Join("\n", Asked.SelectMany(m => m).Select(m => m.Content));
}

/// <summary>The outcome log in memory, with the same fold and once-per-step rule as the table.</summary>
public sealed class InMemoryOutcomeLog : IOutcomeLog
{
    private readonly Lock gate = new();
    private readonly Dictionary<(string Ticket, string Step), Domain.Metrics.OutcomeEvent> stored = [];
    private readonly Dictionary<string, Domain.Metrics.TicketOutcomes> summaries = [];
    private readonly Dictionary<(string Ticket, string Key), Domain.Metrics.Interruption> interruptions = [];
    private readonly Dictionary<string, Domain.Metrics.SelfServiceDeflection> deflections = [];

    public Task<IReadOnlyList<Domain.Metrics.OutcomeEvent>> RecordAsync(IReadOnlyList<Domain.Metrics.OutcomeEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        lock (gate)
        {
            var fresh = events.Where(e => stored.TryAdd((e.TicketId, e.Step), e)).ToList();
            foreach (var e in fresh)
                summaries[e.TicketId] = Domain.Metrics.TicketOutcomes.Apply(summaries.GetValueOrDefault(e.TicketId), e);
            return Task.FromResult<IReadOnlyList<Domain.Metrics.OutcomeEvent>>(fresh);
        }
    }

    public Task RecordInterruptionAsync(Domain.Metrics.Interruption interruption, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interruption);
        lock (gate) interruptions.TryAdd((interruption.TicketId, interruption.Key), interruption);
        return Task.CompletedTask;
    }

    public Task RecordSelfServiceDeflectionAsync(Domain.Metrics.SelfServiceDeflection deflection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deflection);
        lock (gate) deflections.TryAdd(deflection.Key, deflection);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Domain.Metrics.TicketOutcomes>> SummariesAsync(string clientId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        lock (gate)
            return Task.FromResult<IReadOnlyList<Domain.Metrics.TicketOutcomes>>(
                [.. summaries.Values.Where(s => s.ClientId == clientId && s.ReceivedAt >= since && s.ReceivedAt < until).OrderBy(s => s.ReceivedAt)]);
    }

    public Task<IReadOnlyList<Domain.Metrics.Interruption>> InterruptionsAsync(string clientId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        lock (gate)
            return Task.FromResult<IReadOnlyList<Domain.Metrics.Interruption>>(
                [.. interruptions.Values.Where(i => i.ClientId == clientId && i.At >= since && i.At < until).OrderBy(i => i.At)]);
    }

    public Task<int> SelfServiceDeflectionsAsync(string clientId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        lock (gate) return Task.FromResult(deflections.Values.Count(d => d.ClientId == clientId && d.At >= since && d.At < until));
    }

    public Task<IReadOnlyList<Domain.Metrics.OutcomeEvent>> EventsAsync(string clientId, string ticketId, CancellationToken cancellationToken)
    {
        lock (gate)
            return Task.FromResult<IReadOnlyList<Domain.Metrics.OutcomeEvent>>(
                [.. stored.Values.Where(e => e.ClientId == clientId && e.TicketId == ticketId).OrderBy(e => e.At)]);
    }
}

/// <summary>Knowledge-base pictures in memory, by blob name.</summary>
public sealed class InMemoryKbImages : IKbImages
{
    public ConcurrentDictionary<string, KbImage> Pictures { get; } = new(StringComparer.Ordinal);

    public Task EnsureCreatedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task UploadAsync(string name, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy, cancellationToken);
        Pictures[name] = new KbImage(copy.ToArray(), "image/png");
    }

    public Task<KbImage?> ReadAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(Pictures.TryGetValue(name, out var picture) ? picture : null);
}
