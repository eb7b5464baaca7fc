using Autotier.Application.Assistant;
using Autotier.Application.Lifecycle;
using Autotier.Application.Tickets;
using Autotier.Domain.Clients;
using Autotier.Domain.Tickets;
using Autotier.TestSupport.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Autotier.UnitTests.Application;

/// <summary>The "Did this resolve your issue?" link when its workflow cannot be told at once.</summary>
public sealed class TicketEventIntakeLinkTests
{
    private static async Task<(FakeTimeProvider Time, InMemoryTicketStore Tickets, LinkSettings Links, TicketEventIntake Events)> SetUpAsync()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var tickets = new InMemoryTicketStore();
        var clients = new InMemoryClientStore();
        await clients.SaveAsync(new ClientProfile("demo", "Demo"), default);
        var intake = new TicketIntake(tickets, clients, new AcknowledgeAtOnce(new RecordingMail(), time, NullLogger<AcknowledgeAtOnce>.Instance, time),
            new RecordingStarts(), new RecordingClassifier(), NullAssistant.Instance, time, NullLogger<TicketIntake>.Instance);
        var links = LinkSettings.From("test-link-signing-key-0123456789abcdef", "https://autotier.example");
        return (time, tickets, links, new TicketEventIntake(tickets, clients, new InMemoryTokenStore(), intake, () => links, time, NullLogger<TicketEventIntake>.Instance));
    }

    [Fact(Timeout = 10_000)]
    public async Task A_link_whose_answer_could_not_reach_the_workflow_works_again_instead_of_saying_already()
    {
        var (time, tickets, links, events) = await SetUpAsync();
        var id = (await tickets.CreateAsync(new NewTicket("demo", new Requester("Sam", "sam@demo.example"), "VPN", "drops", null, Channel.Api), time.GetUtcNow(), default)).Ticket.TicketId;
        var (yes, _) = links.ConfirmLinks(id, $"{id}.playbook-1", time.GetUtcNow());
        var token = Uri.UnescapeDataString(yes[(yes.IndexOf("token=", StringComparison.Ordinal) + 6)..].Split('&')[0]);
        var workflow = new RecordingWorkflow { RaiseFailure = new InvalidOperationException("storage is down") };

        await Assert.ThrowsAsync<InvalidOperationException>(() => events.ConfirmAsync(id, "yes", token, record: true, workflow, default));
        workflow.RaiseFailure = null;
        var retried = await events.ConfirmAsync(id, "yes", token, record: true, workflow, default);
        var again = await events.ConfirmAsync(id, "yes", token, record: true, workflow, default);

        Assert.Equal(LinkOutcome.Recorded, retried.Outcome);
        Assert.Equal(LinkOutcome.AlreadyUsed, again.Outcome);
        Assert.Single(workflow.Raised);
    }

    [Theory(Timeout = 10_000)]
    [InlineData(Channel.Email)]
    [InlineData(Channel.Api)]
    public async Task A_reply_to_a_finished_ticket_files_a_follow_up_on_the_channel_it_came_by(Channel channel)
    {
        var (time, tickets, _, events) = await SetUpAsync();
        var id = (await tickets.CreateAsync(new NewTicket("demo", new Requester("Sam", "sam@demo.example"), "VPN", "drops", null, Channel.Email), time.GetUtcNow(), default)).Ticket.TicketId;
        var workflow = new RecordingWorkflow();
        workflow.Finished[id] = true;
        var body = System.Text.Json.JsonSerializer.SerializeToElement(new { type = "reply", from = "sam@demo.example", text = "It broke again" });

        var result = Assert.IsType<EventResult.FollowedUp>(await events.PostAsync(id, body, workflow, default, channel));

        var followUp = await tickets.GetAsync(result.FollowUpTicketId, default);
        Assert.Equal(channel, followUp!.Channel);
        Assert.Equal(id, followUp.FollowUpOf);
    }
}
