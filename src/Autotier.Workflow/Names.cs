namespace Autotier.Workflow;

/// <summary>
/// Every orchestration and activity name, written once: the [Function] attributes, the typed call
/// helpers and the tests read them from here (the TypeScript app's names, so its dashboards and
/// queries keep working).
/// </summary>
public static class OrchestrationNames
{
    public const string Ticket = "ticketOrchestrator";
}

public static class ActivityNames
{
    public const string Acknowledge = "acknowledgeTicket";
    public const string ReviewClassification = "reviewClassification";
    public const string StartLifecycle = "startLifecycle";
    public const string RunPlaybook = "runPlaybook";
    public const string SendUpdate = "sendUpdate";
    public const string UpdateTicket = "updateTicket";
    public const string NotifyTier = "notifyTier";
    public const string RecordOutcome = "recordOutcome";
    public const string Escalate = "escalate";
    public const string RecordReply = "recordReply";
    public const string ReadReply = "readReply";
    public const string ClassifyClarified = "classifyClarified";
    public const string LinkIncident = "linkIncident";
    public const string IncidentMembers = "incidentMembers";
}

/// <summary>External events the ticket workflow waits for.</summary>
public static class TicketEvents
{
    public const string Name = "ticketEvent";
}
