using Autotier.Application.Lifecycle;
using Autotier.Application.Ports;
using Autotier.Domain.Lifecycle;
using Autotier.TestSupport.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Autotier.UnitTests.Workflow;

public sealed class HousekeepingTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    private sealed class FakeAdmin(params InstanceSummary[] instances) : IWorkflowAdmin
    {
        public List<DateTimeOffset> PurgedBefore { get; } = [];

        public Task<IReadOnlyList<InstanceSummary>> UnfinishedAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<InstanceSummary>>(instances);

        public Task<int> PurgeFinishedAsync(DateTimeOffset before, CancellationToken cancellationToken)
        {
            PurgedBefore.Add(before);
            return Task.FromResult(2);
        }
    }

    [Fact]
    public void Failed_never_started_and_asleep_past_their_deadline_need_a_person_the_rest_do_not()
    {
        var problems = WorkflowHealth.Problems(
        [
            new("ticket-T-1", "Failed", Now.AddHours(-1), Now.AddMinutes(-50), null),
            new("ticket-T-2", "Pending", Now.AddMinutes(-31), Now.AddMinutes(-31), null),
            new("ticket-T-3", "Pending", Now.AddMinutes(-5), Now.AddMinutes(-5), null),
            new("ticket-T-4", "Running", Now.AddDays(-1), Now.AddHours(-2), Now.AddMinutes(-45)),
            new("ticket-T-5", "Running", Now.AddDays(-1), Now.AddMinutes(-10), Now.AddMinutes(-45)),
            new("ticket-T-6", "Running", Now.AddDays(-1), Now.AddHours(-2), Now.AddMinutes(-20)),
            new("ticket-T-7", "Running", Now.AddDays(-1), Now.AddHours(-2), null),
        ], Now);

        Assert.Equal(["ticket-T-1:failed", "ticket-T-2:not_started", "ticket-T-4:stuck"], problems.Select(p => $"{p.InstanceId}:{p.Kind}"));
    }

    [Fact(Timeout = 10_000)]
    public async Task Each_problem_alerts_tier_two_once_and_finished_histories_past_the_retention_are_purged()
    {
        var admin = new FakeAdmin(new InstanceSummary("ticket-T-1", "Failed", Now.AddHours(-1), Now.AddMinutes(-50), null));
        var notifier = new RecordingNotifier();
        var tokens = new InMemoryTokenStore();
        await tokens.UseAsync("old-link", Now.AddDays(-1), default);
        var housekeeping = new Housekeeping(admin, notifier, tokens, new FakeTimeProvider(Now), NullLogger<Housekeeping>.Instance) { RetentionDays = 30 };

        var first = await housekeeping.RunAsync(default);
        var second = await housekeeping.RunAsync(default);

        Assert.Equal(1, first.Alerted);
        Assert.Equal(0, second.Alerted);
        var alert = Assert.Single(notifier.Alerts);
        Assert.Equal(("T-1", 2, "workflow_problem"), (alert.TicketId, alert.Tier, alert.Kind));
        Assert.Contains("failed", alert.Message, StringComparison.Ordinal);
        Assert.Equal(Now.AddDays(-30), admin.PurgedBefore[0]);
        Assert.Equal(1, first.Forgotten);
    }
}
