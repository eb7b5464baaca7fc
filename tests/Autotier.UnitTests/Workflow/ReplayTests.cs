using Autotier.Domain.Classification;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Tickets;
using Autotier.LocalHost;
using Autotier.LocalHost.Durable;
using Autotier.TestSupport.Durable;
using Autotier.Workflow;
using Autotier.Workflow.Ticket;
using DurableTask.Core;
using DurableTask.Core.Command;
using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json;
using Xunit;

namespace Autotier.UnitTests.Workflow;

/// <summary>
/// Every ticket lives at least a week, so a release replays histories recorded by the release
/// before it. The histories in tests/fixtures/replay (recorded from each workflow version's
/// scenarios, by version) are replayed through today's orchestrator: a change that would make a
/// running instance take another path fails here, before it ships.
/// </summary>
public sealed class ReplayTests
{
    private static string FixtureRoot => Path.Combine(RepositoryRoot.Find(), "tests", "fixtures", "replay");

    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(FixtureRoot, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(FixtureRoot, file));
        return data;
    }

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(Fixtures))]
    public async Task A_recorded_history_replays_on_todays_orchestrator(string fixture)
    {
        await Task.Yield();
        var history = HistoryJson.Parse(await File.ReadAllTextAsync(Path.Combine(FixtureRoot, fixture)));
        var result = Replay(history);

        // A deterministic replay of a history that stopped at a wait asks for nothing new; one that
        // completed completes again with the same status. A path change fails the orchestration with
        // the Durable Task Framework's non-determinism error.
        var failed = result.Actions.OfType<OrchestrationCompleteOrchestratorAction>().FirstOrDefault(a => a.OrchestrationStatus == OrchestrationStatus.Failed);
        Assert.True(failed is null, $"{fixture} no longer replays: {failed?.FailureDetails?.ErrorType} {failed?.FailureDetails?.ErrorMessage}");
        if (history.Any(e => e is ExecutionCompletedEvent))
            Assert.Contains(result.Actions, a => a is OrchestrationCompleteOrchestratorAction { OrchestrationStatus: OrchestrationStatus.Completed });
        else
            Assert.DoesNotContain(result.Actions, a => a is ScheduleTaskOrchestratorAction or CreateTimerOrchestratorAction or OrchestrationCompleteOrchestratorAction);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_changed_orchestrator_fails_the_replay_so_the_check_can_fail()
    {
        await Task.Yield();
        var fixture = Directory.EnumerateFiles(Path.Combine(FixtureRoot, $"v{TicketOrchestration.LifecycleVersion}"), "*.json").Order(StringComparer.Ordinal).First();
        var history = HistoryJson.Parse(await File.ReadAllTextAsync(fixture));
        var result = Replay(history, new SwappedSteps());
        Assert.Contains(result.Actions, a => a is OrchestrationCompleteOrchestratorAction { OrchestrationStatus: OrchestrationStatus.Failed });
    }

    /// <summary>
    /// Records the fixtures of today's version when AUTOTIER_RECORD_REPLAY=1 (run it once when the
    /// workflow version changes, and commit the files); otherwise checks they exist for this version.
    /// </summary>
    [Fact(Timeout = 120_000)]
    public async Task Fixtures_exist_for_the_current_workflow_version()
    {
        var folder = Path.Combine(FixtureRoot, $"v{TicketOrchestration.LifecycleVersion}");
        if (Environment.GetEnvironmentVariable("AUTOTIER_RECORD_REPLAY") == "1") await RecordAsync(folder);
        Assert.True(Directory.Exists(folder) && Directory.EnumerateFiles(folder, "*.json").Count() >= 4,
            $"no replay fixtures for workflow version {TicketOrchestration.LifecycleVersion}: run this test with AUTOTIER_RECORD_REPLAY=1 and commit {folder}");
        Assert.True(Directory.Exists(Path.Combine(FixtureRoot, "v1")), "the first slice's histories (version 1) are kept");
    }

    private static async Task RecordAsync(string folder)
    {
        Directory.CreateDirectory(folder);
        await using var h = await LifecycleHarness.StartAsync();
        Task SaveAsync(string name, string ticketId) =>
            File.WriteAllTextAsync(Path.Combine(folder, name + ".json"),
                JsonConvert.SerializeObject(h.History(ticketId), Formatting.Indented));

        var yes = await h.FileAsync(LifecycleTests.Password);
        await h.RaiseAsync(yes, TicketEvent.ConfirmationOf("yes"));
        await h.AdvanceAsync(TimeSpan.FromDays(8));
        await SaveAsync("guide-yes-closed", yes);

        var no = await h.FileAsync(LifecycleTests.Password);
        await h.RaiseAsync(no, TicketEvent.ConfirmationOf("no"));
        await h.RaiseAsync(no, new TicketEvent(TicketEvent.Plan) { By = "alex", Note = "checking", PublicNote = "On it." });
        await SaveAsync("guide-no-planned-waiting", no);

        var silent = await h.FileAsync(LifecycleTests.Vpn, "VPN will not connect", "Gateway unreachable.");
        await h.AdvanceAsync(TimeSpan.FromDays(3));
        await SaveAsync("guide-silence-closed-unconfirmed-waiting", silent);

        var p1 = await h.FileAsync(LifecycleTests.Outage, "Internet down", "Nobody can work.");
        await h.AdvanceAsync(TimeSpan.FromHours(6));
        await SaveAsync("p1-paged-breached-waiting", p1);

        var v1 = await h.FileAsync(LifecycleTests.Password, acknowledged: true, version: 1);
        await h.RaiseAsync(v1, new TicketEvent(TicketEvent.Reply) { From = "sam@demo.example", Text = "hello" });
        var v1Folder = Path.Combine(Path.GetDirectoryName(folder)!, "v1");
        Directory.CreateDirectory(v1Folder);
        await File.WriteAllTextAsync(Path.Combine(v1Folder, "first-slice-completed.json"),
            JsonConvert.SerializeObject(h.History(v1), Formatting.Indented));
    }

    private static OrchestratorExecutionResult Replay(IList<HistoryEvent> history, ITaskOrchestrator? orchestrator = null)
    {
        var shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions { DataConverter = new Microsoft.DurableTask.Converters.JsonDataConverter(Autotier.Application.Json.AutotierJson.Options) }, NullLoggerFactory.Instance);
        var orchestration = shims.CreateOrchestration(new TaskName(OrchestrationNames.Ticket), orchestrator ?? new TicketOrchestration());
        var executor = new TaskOrchestrationExecutor(new OrchestrationRuntimeState(history), orchestration, BehaviorOnContinueAsNew.Carryover, ErrorPropagationMode.SerializeExceptions);
        return executor.Execute();
    }

    /// <summary>Today's orchestrator with one step moved: what a careless change does to running instances.</summary>
    private sealed class SwappedSteps : TaskOrchestrator<Autotier.Application.Ports.TicketWorkflowInput, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, Autotier.Application.Ports.TicketWorkflowInput input)
        {
            await context.StartLifecycleAsync(new Autotier.Workflow.Activities.Lifecycle.SetupInput(input.TicketId, context.CurrentUtcDateTime));
            return "changed";
        }
    }
}
