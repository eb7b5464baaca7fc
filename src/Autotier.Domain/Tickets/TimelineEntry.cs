namespace Autotier.Domain.Tickets;

/// <summary>One line of a ticket's history. <paramref name="Step"/> is unique per ticket, which makes appends idempotent.</summary>
public sealed record TimelineEntry(string Step, DateTimeOffset At, Stage? Stage, string Note);
