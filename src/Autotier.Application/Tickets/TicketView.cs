using System.Text.Json;
using System.Text.Json.Serialization;
using Autotier.Domain.Tickets;

namespace Autotier.Application.Tickets;

/// <summary>
/// The ticket as the API shows it: the TypeScript app's field names and nulls (its README's HTTP API
/// table is the contract). Fields that later issues fill (category, priority, sla...) are null until then.
/// </summary>
public sealed record TicketView(
    string TicketId,
    string ClientId,
    string Subject,
    Stage Stage,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Category,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Priority,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Confidence,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Route,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? Tier,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] JsonElement? Sla,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Attempted,
    int Reopens,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] JsonElement? Resolution,
    Channel Channel,
    IReadOnlyList<object> Attachments,
    string CreatedAt,
    string UpdatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] JsonElement? Workflow,
    IReadOnlyList<TimelineLine> Timeline)
{
    public static TicketView From(Ticket ticket, IReadOnlyList<TimelineEntry> timeline, Ports.WorkflowStatus? workflow) => new(
        ticket.TicketId,
        ticket.ClientId,
        ticket.Subject,
        ticket.Stage,
        Category: null,
        Priority: null,
        Confidence: null,
        Route: null,
        Tier: null,
        Sla: null,
        Attempted: null,
        Reopens: 0,
        Resolution: null,
        ticket.Channel,
        Attachments: [],
        IsoTime.Format(ticket.CreatedAt),
        IsoTime.Format(ticket.UpdatedAt),
        workflow?.CustomStatus,
        [.. timeline.OrderBy(t => t.At).Select(TimelineLine.From)]);
}

/// <summary>One timeline line on the wire: <c>{step, at, stage?, note}</c>.</summary>
public sealed record TimelineLine(string Step, string At, Stage? Stage, string Note)
{
    public static TimelineLine From(TimelineEntry entry) => new(entry.Step, IsoTime.Format(entry.At), entry.Stage, entry.Note);
}
