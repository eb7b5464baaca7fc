using Autotier.Application.Assistant;
using Autotier.Application.Kb;
using Autotier.Application.Lifecycle;
using Autotier.Application.Mail;
using Autotier.Application.Portal;
using Autotier.Application.Tickets;
using Autotier.Domain.Clients;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Mail;
using Autotier.Domain.Tickets;
using Autotier.TestSupport.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Autotier.UnitTests.Portal;

/// <summary>The status page's reply (tests/unit/portal/portalStatus.test.ts) through the ticket intake and event paths.</summary>
public sealed class RequesterPortalTests
{
    private sealed class NoFiles : IMailStore
    {
        public Task<string> PutRawAsync(ReadOnlyMemory<byte> mime, CancellationToken cancellationToken) => throw new InvalidOperationException("not used");

        public Task<string> PutAttachmentAsync(string ticketId, MailAttachment attachment, CancellationToken cancellationToken) => throw new InvalidOperationException("not used");

        public Task<byte[]?> GetRawAsync(string blob, CancellationToken cancellationToken) => throw new InvalidOperationException("not used");
    }

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly InMemoryTicketStore tickets = new();
    private readonly InMemoryClientStore clients = new();
    private readonly RecordingMail mail = new();
    private readonly RecordingWorkflow workflow = new();
    private readonly RequesterPortal portal;

    public RequesterPortalTests()
    {
        var intake = new TicketIntake(tickets, clients, new AcknowledgeAtOnce(mail, time, NullLogger<AcknowledgeAtOnce>.Instance, time),
            new RecordingStarts(), new RecordingClassifier(), NullAssistant.Instance, time, NullLogger<TicketIntake>.Instance);
        var links = LinkSettings.From("test-link-signing-key-0123456789abcdef", "https://autotier.example");
        var tokens = new InMemoryTokenStore();
        var events = new TicketEventIntake(tickets, clients, tokens, intake, () => links, time, NullLogger<TicketEventIntake>.Instance);
        portal = new RequesterPortal(clients, tickets, intake, events, new KnowledgeBase(new InMemoryKbStore(), time), new InMemoryOutcomeLog(),
            new PortalRateLimits(tokens, time), new NoFiles(), () => links, time, NullLogger<RequesterPortal>.Instance);
    }

    private async Task<Ticket> TicketAsync()
    {
        await clients.SaveAsync(new ClientProfile("demo", "Demo"), default);
        return (await tickets.CreateAsync(new NewTicket("demo", new Requester("Sam", "sam@demo.example"), "VPN", "drops", null, Channel.Portal), time.GetUtcNow(), default)).Ticket;
    }

    [Fact(Timeout = 10_000)]
    public async Task A_reply_reaches_the_workflow_as_the_requesters_reply_event_with_passwords_masked()
    {
        var ticket = await TicketAsync();
        var done = Assert.IsType<PortalAction.Done>(await portal.ReplyAsync(ticket, " Still down, password: Hunter2$ ", workflow, default));
        Assert.Null(done.FollowUpUrl);
        var (id, raised) = Assert.Single(workflow.Raised);
        Assert.Equal((ticket.TicketId, TicketEvent.Reply, "sam@demo.example"), (id, raised.Kind, raised.From));
        Assert.DoesNotContain("Hunter2", raised.Text, StringComparison.Ordinal);
        Assert.Equal(400, Assert.IsType<PortalAction.Refused>(await portal.ReplyAsync(ticket, new string('a', 4001), workflow, default)).Status);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_reply_after_the_workflow_ended_becomes_a_linked_portal_request_with_its_own_status_page()
    {
        var ticket = await TicketAsync();
        workflow.Finished[ticket.TicketId] = true;

        var done = Assert.IsType<PortalAction.Done>(await portal.ReplyAsync(ticket, "It is back again", workflow, default));

        var followUp = (await tickets.GetAsync(Assert.Single((await tickets.GetAsync(ticket.TicketId, default))!.FollowUps!), default))!;
        Assert.Equal((Channel.Portal, ticket.TicketId, "It is back again"), (followUp.Channel, followUp.FollowUpOf, followUp.Body));
        Assert.Equal(portal.StatusUrl(followUp), done.FollowUpUrl);
        Assert.Equal(done.FollowUpUrl, followUp.StatusLink);
        Assert.StartsWith($"https://autotier.example/api/portal/demo/tickets/{followUp.TicketId}?token=", done.FollowUpUrl, StringComparison.Ordinal);
        Assert.Contains(followUp.TicketId, done.Notice, StringComparison.Ordinal);
        // The follow-up's acknowledgement carries its status page: the link was on the ticket before it was written.
        Assert.Contains(mail.Sent, m => m.Text.Contains(done.FollowUpUrl!, StringComparison.Ordinal));
        // The same reply again files nothing new.
        await portal.ReplyAsync(ticket, "It is back again", workflow, default);
        Assert.Single((await tickets.GetAsync(ticket.TicketId, default))!.FollowUps!);
    }

    [Fact(Timeout = 10_000)]
    public async Task The_question_is_answered_only_while_it_is_open()
    {
        var ticket = await TicketAsync();
        Assert.Equal(409, Assert.IsType<PortalAction.Refused>(await RequesterPortal.AnswerAsync(ticket, "yes", workflow, default)).Status);
        var asking = ticket with { Stage = Stage.AwaitingConfirmation };
        Assert.IsType<PortalAction.Done>(await RequesterPortal.AnswerAsync(asking, "no", workflow, default));
        Assert.Equal("no", Assert.Single(workflow.Raised).Event.Answer);
        workflow.Finished[ticket.TicketId] = true;
        Assert.Equal("This request is already closed.", Assert.IsType<PortalAction.Refused>(await RequesterPortal.AnswerAsync(asking, "yes", workflow, default)).Error);
    }
}
