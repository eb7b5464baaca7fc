using Autotier.Adapters.Graph;
using Autotier.Application.Kb;
using Autotier.Application.Playbooks;
using Autotier.Application.Ports;
using Autotier.Domain.Classification;
using Autotier.Domain.Clients;
using Autotier.Domain.Tickets;
using Autotier.LocalHost.GraphEmulator;
using Autotier.TestSupport.Fakes;

namespace Autotier.TestSupport.Graph;

/// <summary>
/// The playbooks wired as the app wires them, against a Graph emulator on a Kestrel server of its own
/// (real HTTP through the Microsoft Graph SDK), with the knowledge base and mail in memory and the
/// audit log given (in memory, or the Table adapter on Azurite).
/// </summary>
public sealed class PlaybookRig : IAsyncDisposable
{
    public static readonly DateTimeOffset At = new(2026, 3, 2, 10, 0, 5, TimeSpan.Zero);

    private readonly List<GraphDirectory> directories = [];

    private PlaybookRig(GraphEmulatorServer server, IActionLog log)
    {
        Server = server;
        Log = log;
    }

    public GraphEmulatorServer Server { get; }
    public GraphEmulator Graph => Server.Emulator;
    public IActionLog Log { get; }
    public InMemoryKbStore Kb { get; } = new();
    public RecordingMail Mail { get; } = new();

    /// <param name="token">The token the emulator asks for (the rig's directories send it); null: none.</param>
    public static async Task<PlaybookRig> StartAsync(IActionLog? log = null, string? token = GraphTestCredential.Token) =>
        new(await GraphEmulatorServer.StartAsync(token), log ?? new InMemoryActionLog());

    /// <summary>A directory on the emulator, quick to give up (tests of failures shorten it further).</summary>
    public GraphDirectory Directory(GraphDirectoryOptions? options = null)
    {
        var directory = new GraphDirectory(new GraphTestCredential(), (options ?? new GraphDirectoryOptions
        {
            AttemptTimeout = TimeSpan.FromSeconds(2),
            RetryDelaySeconds = 1,
        }) with { BaseUrl = Server.Url });
        directories.Add(directory);
        return directory;
    }

    /// <summary>The playbooks with <paramref name="directory"/> for every client that has a connection (the rig's own when null).</summary>
    public IPlaybooks Playbooks(IDirectory? directory = null) =>
        new PlaybookRunner(new FixedDirectories(directory ?? Directory()), new KnowledgeBase(Kb, TimeProvider.System), Log, Mail);

    /// <summary>A ticket as the classifier would hand it to the playbooks (route auto, the playbook for its category and device).</summary>
    public static Ticket Ticket(string category, string subject, string body = "", string email = "sam@demo.example", string? device = null,
        string ticketId = "T-1001", string? name = "Sam Lee") =>
        Domain.Tickets.Ticket.Create(ticketId, new NewTicket("demo", new Requester(name, email), subject, body, $"api:{ticketId}", Channel.Api)
        {
            Classification = new TicketClassification(category, Priorities.P3, 0.9, Routes.Auto, 1, [], device,
                Domain.Classification.Playbooks.For(category, device)),
        }, At);

    public static PlaybookRequest Request(Ticket ticket, ClientProfile client, RequesterProof proof = RequesterProof.FromMailbox, string step = "playbook-1") =>
        new(ticket, client, step, At, proof);

    public async ValueTask DisposeAsync()
    {
        foreach (var d in directories) d.Dispose();
        await Server.DisposeAsync();
    }

    private sealed class FixedDirectories(IDirectory directory) : IDirectories
    {
        public IDirectory? ForClient(ClientProfile client) => client.Directory is null ? null : directory;
    }
}
