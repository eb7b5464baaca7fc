using System.Text.Json;
using Autotier.Application.Assistant;
using Autotier.Application.Ports;
using Autotier.Application.Tickets;
using Autotier.Domain.Clients;
using Autotier.TestSupport.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Autotier.UnitTests.Application;

public sealed class TicketIntakeTests
{
    private readonly InMemoryTicketStore tickets = new();
    private readonly InMemoryClientStore clients = new();
    private readonly RecordingMail mail = new();
    private readonly RecordingWorkflow workflow = new();
    private readonly RecordingStarts starts = new();
    private readonly RecordingClassifier classifier = new();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly TicketIntake intake;
    private readonly AcknowledgeAtOnce acknowledge;

    public TicketIntakeTests()
    {
        acknowledge = new AcknowledgeAtOnce(mail, time, NullLogger<AcknowledgeAtOnce>.Instance, time);
        intake = new TicketIntake(tickets, clients, acknowledge, starts, classifier, NullAssistant.Instance, time, NullLogger<TicketIntake>.Instance);
        clients.SaveAsync(new ClientProfile("demo", "Demo"), default).GetAwaiter().GetResult();
    }

    private static JsonElement Body(string clientId = "demo", string? externalId = null) => JsonSerializer.SerializeToElement(new Dictionary<string, object?>
    {
        ["clientId"] = clientId,
        ["requester"] = new { name = "Sam Lee", email = "Sam@Demo.Example" },
        ["subject"] = "Locked out",
        ["body"] = "I typed my password wrong too many times.",
        ["externalId"] = externalId,
    }.Where(kv => kv.Value is not null).ToDictionary());

    [Fact(Timeout = 10_000)]
    public async Task A_ticket_for_a_client_nobody_set_up_is_refused_and_leaves_nothing_behind()
    {
        var result = await intake.CreateAsync(Body("ghost"), workflow, default);

        Assert.Equal(new IntakeResult.Invalid("clientId: no client \"ghost\" is set up here"), result);
        Assert.Empty(tickets.All);
        Assert.Equal(0, mail.Attempts);
        Assert.Empty(workflow.Requests);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_new_ticket_is_stored_acknowledged_at_once_and_its_workflow_told_when()
    {
        var result = await intake.CreateAsync(Body(), workflow, default);

        var accepted = Assert.IsType<IntakeResult.Accepted>(result);
        Assert.Equal("T-1001", accepted.TicketId);
        var ack = Assert.Single(mail.Sent);
        Assert.Equal("sam@demo.example", ack.To);
        Assert.StartsWith("[#T-1001] ", ack.Subject, StringComparison.Ordinal);
        var start = Assert.Single(workflow.Requests);
        Assert.Equal(time.GetUtcNow(), start.AcknowledgedAt);
        Assert.Equal(TicketIntake.WorkflowVersion, start.Version);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_ticket_is_classified_in_the_request_on_its_masked_text_and_stored_at_stage_classified()
    {
        var body = JsonSerializer.SerializeToElement(new
        {
            clientId = "demo",
            requester = new { email = "sam@demo.example" },
            subject = "Locked out",
            body = "my password is Hunter2!x please reset it",
        });

        await intake.CreateAsync(body, workflow, default);

        var asked = Assert.Single(classifier.Asked);
        Assert.DoesNotContain("Hunter2!x", asked.Body, StringComparison.Ordinal);
        Assert.Equal("demo", asked.ClientId);
        var stored = Assert.Single(tickets.All);
        Assert.Equal(Autotier.Domain.Tickets.Stage.Classified, stored.Stage);
        Assert.Equal(classifier.Answer, stored.Classification);
    }

    [Fact(Timeout = 10_000)]
    public async Task The_same_external_id_twice_is_one_ticket_acknowledged_once_whose_start_is_asked_again()
    {
        await intake.CreateAsync(Body(externalId: "abc-1"), workflow, default);
        var again = await intake.CreateAsync(Body(externalId: "abc-1"), workflow, default);

        Assert.Equal(new IntakeResult.Accepted("T-1001"), again);
        Assert.Single(tickets.All);
        Assert.Equal(1, mail.Attempts);
        Assert.Equal(2, workflow.Requests.Count);
        Assert.Null(workflow.Requests.Last().AcknowledgedAt);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_refusing_mail_service_leaves_the_acknowledgement_to_the_workflow_and_pauses_after_three_misses()
    {
        mail.Behaviour = _ => throw new InvalidOperationException("403 from the mail service");

        for (var i = 0; i < 3; i++) await intake.CreateAsync(Body(), workflow, default);
        Assert.Equal(3, mail.Attempts);
        Assert.All(workflow.Requests, r => Assert.Null(r.AcknowledgedAt));

        await intake.CreateAsync(Body(), workflow, default);
        Assert.Equal(3, mail.Attempts); // paused: not tried

        time.Advance(AcknowledgeAtOnce.Pause + TimeSpan.FromSeconds(1));
        mail.Behaviour = null;
        await intake.CreateAsync(Body(), workflow, default);
        Assert.Equal(4, mail.Attempts);
        Assert.NotNull(workflow.Requests.Last().AcknowledgedAt);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_mail_service_that_does_not_answer_in_two_seconds_leaves_the_acknowledgement_to_the_workflow()
    {
        var hang = new TaskCompletionSource();
        mail.Behaviour = _ => hang.Task;

        var pending = intake.CreateAsync(Body(), workflow, default);
        // Advanced in steps until the intake gives up: a single advance could come before the
        // wait has set its timer on the fake clock, and then nothing would ever fire it.
        while (!pending.IsCompleted)
        {
            time.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Delay(5);
        }
        var result = await pending;
        Assert.True(time.GetUtcNow() - new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero) >= AcknowledgeAtOnce.Timeout, "it waited its two seconds");

        Assert.IsType<IntakeResult.Accepted>(result);
        Assert.Null(Assert.Single(workflow.Requests).AcknowledgedAt);
        hang.SetResult();
    }

    [Fact(Timeout = 10_000)]
    public async Task A_workflow_that_cannot_be_started_now_is_queued_to_start_and_the_ticket_accepted()
    {
        workflow.Failure = new InvalidOperationException("503 from the Durable store");

        var result = await intake.CreateAsync(Body(), workflow, default);

        Assert.Equal(new IntakeResult.Accepted("T-1001"), result);
        var queued = Assert.Single(starts.Queued);
        Assert.Equal(new StartTicketMessage("T-1001", "demo", time.GetUtcNow()), queued);
    }

    // Issue #33 fix 4: once the ticket is stored, the caller gets its id, even when neither the
    // workflow nor the start queue can be reached (before, an error made callers file it again);
    // the start sweep starts it within minutes, once, and leaves a started workflow alone.
    [Fact(Timeout = 10_000)]
    public async Task A_stored_ticket_whose_start_and_start_queue_both_fail_is_accepted_and_the_sweep_starts_it_once()
    {
        workflow.Failure = new InvalidOperationException("503 from the Durable store");
        starts.Failure = new InvalidOperationException("the queue is down too");

        var result = await intake.CreateAsync(Body(), workflow, default);

        Assert.Equal(new IntakeResult.Accepted("T-1001"), result);
        Assert.Empty(starts.Queued);
        var other = await intake.CreateAsync(Body(), workflow, default);
        var sweep = new Autotier.Application.Lifecycle.StartSweep(tickets, time, NullLogger<Autotier.Application.Lifecycle.StartSweep>.Instance);
        workflow.Failure = null;
        workflow.Statuses["T-1002"] = new WorkflowStatus("Running", null); // its start got through after all

        Assert.Equal(0, await sweep.RunAsync(workflow, default)); // within the grace: a start may still be on its way
        time.Advance(Autotier.Application.Lifecycle.StartSweep.Grace + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await sweep.RunAsync(workflow, default));
        Assert.Equal(0, await sweep.RunAsync(workflow, default));
        var started = workflow.Requests.Last();
        Assert.Equal(("T-1001", "demo", (DateTimeOffset?)null), (started.TicketId, started.ClientId, started.AcknowledgedAt));
        Assert.Equal(new IntakeResult.Accepted("T-1002"), other);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_caller_that_goes_away_once_the_ticket_is_stored_still_leaves_it_acknowledged_and_started()
    {
        using var caller = new CancellationTokenSource();
        // The caller hangs up while the acknowledgement is on its way.
        mail.Behaviour = _ =>
        {
            caller.Cancel();
            return Task.CompletedTask;
        };

        await intake.CreateAsync(Body(), workflow, caller.Token);

        Assert.Single(mail.Sent);
        var start = Assert.Single(workflow.Requests);
        Assert.NotNull(start.AcknowledgedAt);
        Assert.Empty(starts.Queued);
    }

    [Fact(Timeout = 10_000)]
    public async Task The_pause_after_misses_runs_on_real_time_not_on_the_apps_clock()
    {
        // The app's clock stands still (the local host's virtual clock mode); the waits' clock moves.
        var waits = new FakeTimeProvider(time.GetUtcNow());
        var separate = new TicketIntake(
            tickets, clients, new AcknowledgeAtOnce(mail, time, NullLogger<AcknowledgeAtOnce>.Instance, waits), starts, classifier, NullAssistant.Instance, time, NullLogger<TicketIntake>.Instance);
        mail.Behaviour = _ => throw new InvalidOperationException("refused");
        for (var i = 0; i < 3; i++) await separate.CreateAsync(Body(), workflow, default);
        mail.Behaviour = null;

        waits.Advance(AcknowledgeAtOnce.Pause + TimeSpan.FromSeconds(1));
        await separate.CreateAsync(Body(), workflow, default);

        Assert.Equal(4, mail.Attempts);
        Assert.Equal(time.GetUtcNow(), workflow.Requests.Last().AcknowledgedAt);
    }
}
