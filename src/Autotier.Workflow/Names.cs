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
}

/// <summary>External events the ticket workflow waits for.</summary>
public static class TicketEvents
{
    public const string Name = "ticketEvent";
}
