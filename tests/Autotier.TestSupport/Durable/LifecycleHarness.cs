using System.Text.Json;
using Autotier.Application.Assistant;
using Autotier.Application.Json;
using Autotier.Application.Lifecycle;
using Autotier.Application.Playbooks;
using Autotier.Application.Ports;
using Autotier.Application.Tickets;
using Autotier.Domain.Classification;
using Autotier.Domain.Clients;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Tickets;
using Autotier.Functions.Composition;
using Autotier.TestSupport.Fakes;
using Autotier.Workflow;
using Autotier.Workflow.Ticket;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;

namespace Autotier.TestSupport.Durable;

/// <summary>
/// The ticket workflow on the fake clock with in-memory ports: file a ticket with the
/// classification a test wants, raise events as the API would, move time, and read what the
/// requester and the engineers were told. The same orchestration and activities as the app.
/// </summary>
public sealed class LifecycleHarness : IAsyncDisposable
{
    public const string SigningKey = "test-link-signing-key-0123456789abcdef";

    private readonly FakeClockDurable durable;

    private LifecycleHarness(FakeClockDurable durable) => this.durable = durable;

    public InMemoryTicketStore Tickets { get; } = new();

    public InMemoryClientStore Clients { get; } = new();

    public RecordingMail Mail { get; } = new();

    public RecordingNotifier Alerts { get; } = new();

    public ScriptedPlaybooks Playbooks { get; } = new();

    public InMemoryResolutionLog Resolutions { get; } = new();

    public RecordingClassifier Classifier { get; } = new();

    public InMemoryIncidentStore Incidents { get; } = new();

    public InMemoryKbStore Kb { get; } = new();

    public InMemoryTokenStore Tokens { get; } = new();

    public InMemoryOutcomeLog Outcomes { get; } = new();

    public InMemoryKbImages Pictures { get; } = new();

    /// <summary>Workflow starts of tickets filed by the workflow's own steps (follow-ups from replies).</summary>
    public RecordingStarts Starts { get; } = new();

    /// <summary>The language model behind the real guarded assistant, when the test turned it on (<c>StartAsync(assistant: true)</c>).</summary>
    public ScriptedChatModel Chat { get; } = new();

    public LinkSettings Links { get; } = LinkSettings.From(SigningKey, "https://autotier.example");

    public DateTimeOffset Now => durable.Clock.GetUtcNow();

    /// <summary>The fake clock, for ports a test makes over the harness.</summary>
    public TimeProvider Clock => durable.Clock;

    public DurableTaskClient Client => durable.Client;

    /// <summary>Monday 2 March 2026, 09:00 UTC unless a test says otherwise.</summary>
    /// <param name="assistant">Configure the optional assistant: the real <see cref="GuardedAssistant"/> over <see cref="Chat"/>.</param>
    /// <param name="psa">The PSA the activities write back to, made over the harness's ports; none unless a test gives one.</param>
    public static async Task<LifecycleHarness> StartAsync(DateTimeOffset? start = null, Func<LifecycleHarness, IPsa>? psa = null, bool assistant = false)
    {
        LifecycleHarness? harness = null;
        var durable = await FakeClockDurable.StartAsync(
            typeof(AutotierServices).Assembly,
            f => f.Name == OrchestrationNames.Ticket || f.Kind == Autotier.LocalHost.Indexing.TriggerKind.Activity,
            services =>
            {
                // The harness object is made after the engine; the ports are created up front below.
                services.AddSingleton<ITicketStore>(_ => harness!.Tickets);
                services.AddSingleton<IClientStore>(_ => harness!.Clients);
                services.AddSingleton<IEmailSender>(_ => harness!.Mail);
                // As the app wires it: alerts that reach a person count as interruptions.
                services.AddSingleton<INotifier>(_ => new Application.Metrics.InterruptionCounter(harness!.Alerts, harness.Outcomes));
                services.AddSingleton<IOutcomeLog>(_ => harness!.Outcomes);
                services.AddSingleton<IKbImages>(_ => harness!.Pictures);
                services.AddSingleton<IPlaybooks>(_ => harness!.Playbooks);
                services.AddSingleton<IResolutionLog>(_ => harness!.Resolutions);
                services.AddSingleton<ITicketClassifier>(_ => harness!.Classifier);
                services.AddSingleton<IIncidentStore>(_ => harness!.Incidents);
                services.AddSingleton<IKbStore>(_ => harness!.Kb);
                services.AddSingleton<IAssistant>(sp => assistant
                    ? new GuardedAssistant(harness!.Chat, new InMemoryAssistantUsage(), new AssistantLimits(1_000_000), sp.GetRequiredService<TimeProvider>(), NullLogger<GuardedAssistant>.Instance)
                    : NullAssistant.Instance);
                services.AddSingleton<ITokenStore>(_ => harness!.Tokens);
                services.AddSingleton<ITicketStarts>(_ => harness!.Starts);
                services.AddSingleton(sp => new AcknowledgeAtOnce(harness!.Mail, sp.GetRequiredService<TimeProvider>(), NullLogger<AcknowledgeAtOnce>.Instance, sp.GetRequiredService<TimeProvider>()));
                services.AddSingleton<TicketIntake>();
                services.TryAddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));
                services.AddSingleton<Func<LinkSettings>>(_ => () => harness!.Links);
                if (psa is not null) services.AddSingleton(_ => psa(harness!));
                services.AddTicketSteps();
            },
            start);
        harness = new LifecycleHarness(durable);
        await harness.Clients.SaveAsync(new ClientProfile("demo", "Demo Dental Group"), default);
        return harness;
    }

    /// <summary>Stores a ticket classified as given and starts its workflow; returns once it waits.</summary>
    /// <param name="acknowledged">The intake sent the acknowledgement (else the workflow's first step does).</param>
    public async Task<string> FileAsync(TicketClassification classification, string subject = "I forgot my password", string body = "I cannot sign in.", Channel channel = Channel.Api, string clientId = "demo", bool acknowledged = true, string requester = "sam@demo.example", int version = TicketOrchestration.LifecycleVersion)
    {
        var created = await Tickets.CreateAsync(
            new NewTicket(clientId, new Requester("Sam Lee", requester), subject, body, null, channel) { Classification = classification },
            Now, default);
        var id = created.Ticket.TicketId;
        await durable.StartAndSettleAsync(OrchestrationNames.Ticket, TicketIds.OrchestrationInstanceId(id),
            new TicketWorkflowInput(id, clientId, acknowledged ? Now : null, version));
        return id;
    }

    /// <summary>Starts the workflow of a ticket already stored (as the start queue would) and returns once it waits.</summary>
    public async Task StartWorkflowAsync(string ticketId, string clientId = "demo") =>
        await durable.StartAndSettleAsync(OrchestrationNames.Ticket, TicketIds.OrchestrationInstanceId(ticketId),
            new TicketWorkflowInput(ticketId, clientId, Now, TicketOrchestration.LifecycleVersion));

    public Task RaiseAsync(string ticketId, TicketEvent ticketEvent) =>
        durable.RaiseAsync(TicketIds.OrchestrationInstanceId(ticketId), TicketEvents.Name, ticketEvent.Masked());

    public Task ReplyAsync(string ticketId, string text) => RaiseAsync(ticketId, TicketEvent.ReplyFrom("sam@demo.example", text));

    public Task AdvanceAsync(TimeSpan by) => durable.AdvanceAsync(by);

    public IReadOnlyList<DurableTask.Core.History.HistoryEvent> History(string ticketId) => durable.History(TicketIds.OrchestrationInstanceId(ticketId));

    public async Task<Ticket> TicketAsync(string ticketId) => (await Tickets.GetAsync(ticketId, default))!;

    public async Task<IReadOnlyList<TimelineEntry>> TimelineAsync(string ticketId) => await Tickets.GetTimelineAsync(ticketId, default);

    /// <summary>The workflow's custom status (stage, phase, next deadline) and its runtime status.</summary>
    public async Task<(TicketWorkflowStatus? Status, OrchestrationRuntimeStatus Runtime)> StatusAsync(string ticketId)
    {
        var instance = await durable.Client.GetInstanceAsync(TicketIds.OrchestrationInstanceId(ticketId), getInputsAndOutputs: true);
        var status = instance?.SerializedCustomStatus is { Length: > 0 } raw ? JsonSerializer.Deserialize<TicketWorkflowStatus>(raw, AutotierJson.Options) : null;
        return (status, instance?.RuntimeStatus ?? OrchestrationRuntimeStatus.Pending);
    }

    /// <summary>Mails to the requester, oldest first (the recording keeps one per idempotency key).</summary>
    public IReadOnlyList<Domain.Mail.MailMessage> MailsTo(string address = "sam@demo.example") =>
        [.. Mail.Sent.Where(m => string.Equals(m.To, address, StringComparison.OrdinalIgnoreCase))];

    public ValueTask DisposeAsync() => durable.DisposeAsync();
}
