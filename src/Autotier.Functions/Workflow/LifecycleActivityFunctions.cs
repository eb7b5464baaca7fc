using Autotier.Domain.Classification;
using Autotier.Workflow;
using Autotier.Workflow.Activities.Lifecycle;
using Microsoft.Azure.Functions.Worker;

namespace Autotier.Functions.Workflow;

// The lifecycle's activities as Functions: one thin class each, so each gets exactly the services
// its activity needs through its constructor.

public sealed class StartLifecycleFunction(StartLifecycle activity)
{
    [Function(ActivityNames.StartLifecycle)]
    public Task<TicketSetup> Run([ActivityTrigger] SetupInput input, CancellationToken cancellationToken) => activity.RunAsync(input, cancellationToken);
}

public sealed class RunPlaybookFunction(RunPlaybook activity)
{
    [Function(ActivityNames.RunPlaybook)]
    public Task<PlaybookResult> Run([ActivityTrigger] PlaybookInput input, CancellationToken cancellationToken) => activity.RunAsync(input, cancellationToken);
}

public sealed class SendUpdateFunction(SendUpdate activity)
{
    [Function(ActivityNames.SendUpdate)]
    public Task<bool> Run([ActivityTrigger] UpdateInput input, CancellationToken cancellationToken) => activity.RunAsync(input, cancellationToken);
}

public sealed class UpdateTicketFunction(UpdateTicket activity)
{
    [Function(ActivityNames.UpdateTicket)]
    public Task Run([ActivityTrigger] TicketUpdate input, CancellationToken cancellationToken) => activity.RunAsync(input, cancellationToken);
}

public sealed class NotifyTierFunction(NotifyTier activity)
{
    [Function(ActivityNames.NotifyTier)]
    public Task Run([ActivityTrigger] AlertInput input, CancellationToken cancellationToken) => activity.RunAsync(input, cancellationToken);
}

public sealed class RecordOutcomeFunction(RecordOutcome activity)
{
    [Function(ActivityNames.RecordOutcome)]
    public Task Run([ActivityTrigger] OutcomeInput input, CancellationToken cancellationToken) => activity.RunAsync(input, cancellationToken);
}

public sealed class EscalateFunction(EscalateTicket activity)
{
    [Function(ActivityNames.Escalate)]
    public Task Run([ActivityTrigger] EscalateInput input, CancellationToken cancellationToken) => activity.RunAsync(input, cancellationToken);
}

public sealed class RecordReplyFunction(RecordReply activity)
{
    [Function(ActivityNames.RecordReply)]
    public Task Run([ActivityTrigger] ReplyInput input, CancellationToken cancellationToken) => activity.RunAsync(input, cancellationToken);
}

public sealed class ReadReplyFunction(ReadReply activity)
{
    [Function(ActivityNames.ReadReply)]
    public Task<ReplyRead> Run([ActivityTrigger] ReadReplyInput input, CancellationToken cancellationToken) => activity.RunAsync(input, cancellationToken);
}

public sealed class ClassifyClarifiedFunction(ClassifyClarified activity)
{
    [Function(ActivityNames.ClassifyClarified)]
    public Task<TicketClassification> Run([ActivityTrigger] ClarifiedInput input, CancellationToken cancellationToken) => activity.RunAsync(input, cancellationToken);
}

public sealed class LinkIncidentFunction(LinkIncident activity)
{
    [Function(ActivityNames.LinkIncident)]
    public Task<Domain.Lifecycle.IncidentLink?> Run([ActivityTrigger] IncidentInput input, CancellationToken cancellationToken) => activity.RunAsync(input, cancellationToken);
}

public sealed class IncidentMembersFunction(IncidentMembers activity)
{
    [Function(ActivityNames.IncidentMembers)]
    public Task<IReadOnlyList<string>> Run([ActivityTrigger] IncidentMembersInput input, CancellationToken cancellationToken) => activity.RunAsync(input, cancellationToken);
}
