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
    IReadOnlyList<TimelineLine> Timeline,
    ClassificationView? Classification)
{
    /// <summary>The incident the ticket is part of (one outage or attack, many tickets).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Incident { get; init; }

    /// <summary>The engineer whose plan the ticket carries.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Owner { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FollowUpOf { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? FollowUps { get; init; }

    /// <summary>What the playbook checked and did (its findings and actions; never a pass or a secret).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Domain.Playbooks.PlaybookRecord? Playbook { get; init; }

    /// <summary>The package the engineer got: why, what automation tried, what the requester said, the briefing and similar tickets.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Domain.Lifecycle.EscalationPackage? Escalation { get; init; }

    public static TicketView From(Ticket ticket, IReadOnlyList<TimelineEntry> timeline, Ports.WorkflowStatus? workflow) => new(
        ticket.TicketId,
        ticket.ClientId,
        ticket.Subject,
        ticket.Stage,
        ticket.Classification?.Category,
        ticket.Classification?.Priority,
        ticket.Classification?.Confidence,
        ticket.Classification?.Route,
        ticket.Tier ?? ticket.Classification?.Tier,
        ticket.Sla is null ? null : JsonSerializer.SerializeToElement(ticket.Sla, Json.AutotierJson.Options),
        ticket.Attempted,
        ticket.Reopens,
        // Who resolved it and when, and an engineer's internal note, as the TypeScript view shows it
        // (this is the MSP's API; the requester's pages never show it). The timeline says only who.
        ticket.Resolution is null ? null : JsonSerializer.SerializeToElement(new { by = ticket.Resolution.By, at = IsoTime.Format(ticket.Resolution.At), note = ticket.Resolution.Note }, Json.AutotierJson.Options),
        ticket.Channel,
        Attachments: [.. (ticket.Attachments ?? []).Select(a => (object)new { filename = a.Filename, contentType = a.ContentType, size = a.Size })],
        IsoTime.Format(ticket.CreatedAt),
        IsoTime.Format(ticket.UpdatedAt),
        workflow?.CustomStatus,
        [.. timeline.OrderBy(t => t.At).Select(TimelineLine.From)],
        ClassificationView.From(ticket))
    {
        Incident = ticket.IncidentId,
        Owner = ticket.Owner,
        FollowUpOf = ticket.FollowUpOf,
        FollowUps = ticket.FollowUps,
        Playbook = ticket.Playbook,
        Escalation = ticket.Escalation,
    };
}

/// <summary>
/// Why the ticket is where it is: who decided (screen, rules, model, llm, engineer), the words and
/// rules that decided, the device named, the playbook, and engineers' corrections.
/// </summary>
public sealed record ClassificationView(
    string DecidedBy,
    IReadOnlyList<string> Reasons,
    string? Device,
    string? Playbook,
    bool Dangerous,
    IReadOnlyList<CorrectionView> Corrections)
{
    public static ClassificationView? From(Ticket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        if (ticket.Classification is not { } c) return null;
        return new ClassificationView(
            c.DecidedBy, c.Reasons, c.Device, c.Playbook, c.Dangerous,
            [.. (ticket.Corrections ?? []).Select(x => new CorrectionView(
                x.By, IsoTime.Format(x.At), x.FromCategory, x.ToCategory, x.FromPriority, x.ToPriority, x.Note, x.Misroute))]);
    }
}

public sealed record CorrectionView(
    string By, string At, string FromCategory, string ToCategory, string FromPriority, string ToPriority, string? Note, bool Misroute);

/// <summary>One timeline line on the wire: <c>{step, at, stage?, note}</c>.</summary>
public sealed record TimelineLine(string Step, string At, Stage? Stage, string Note)
{
    public static TimelineLine From(TimelineEntry entry) => new(entry.Step, IsoTime.Format(entry.At), entry.Stage, entry.Note);
}
