using System.Text.Json.Serialization;
using Autotier.Domain.Lifecycle;

namespace Autotier.Domain.Metrics;

// The shapes of TypeScript's ClientMetrics: PascalCase here, camelCase on the wire through the app's
// JSON options. A figure TypeScript writes as null (no observation) is written as null here too, not
// left out: charts and exports read the field whether or not there was anything to measure.

/// <summary>Nearest-rank p50 and p95 in milliseconds; null when nothing was observed.</summary>
public sealed record Percentiles(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? P50,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? P95);

/// <param name="Deflected">Verified deflections (a count).</param>
public sealed record CategoryFigures(int Tickets, int Deflected, int Confirmed, int Unconfirmed, int Escalated);

/// <param name="Week">The Monday (UTC) the week starts, YYYY-MM-DD.</param>
/// <param name="VerifiedDeflection">Verified deflections over the week's tickets (0..1).</param>
/// <param name="Endings">Each ticket of the week counted once, by how it ended (keys: <see cref="Metrics.Endings"/>).</param>
public sealed record WeekFigures(
    string Week,
    int Tickets,
    double VerifiedDeflection,
    int Verified,
    int Confirmed,
    int Unconfirmed,
    int Reopened,
    int Escalated,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? FirstResponseP50Ms,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? ResolutionP50Ms,
    int EngineerInterruptions,
    int CsatResponses,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? CsatAverage,
    IReadOnlyDictionary<string, int> Endings,
    IReadOnlyDictionary<string, CategoryFigures> ByCategory);

/// <param name="Verified">Verified deflections over all tickets (0..1).</param>
/// <param name="Reopened">Confirmed tickets that were reopened.</param>
public sealed record DeflectionFigures(double Verified, int VerifiedCount, int Confirmed, int Unconfirmed, int Reopened, int AwaitingReopenWindow);

/// <param name="Average">Rounded to two places; null without a rating.</param>
/// <param name="Scores">How many ratings of each score, "1" to "5".</param>
public sealed record CsatFigures(
    int Responses,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Average,
    IReadOnlyDictionary<string, int> Scores);

/// <param name="InterruptionsPerDay">Per working day of the client's hours in the range; null when the range holds none.</param>
public sealed record TierFigures(
    int Interruptions,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? InterruptionsPerDay);

public sealed record SlaBreachCounts(int Response, int Resolution);

/// <summary>
/// A client's outcome figures over [From, To): deflection, response and resolution times, reopens,
/// satisfaction, interruptions, by category and by week (TypeScript <c>ClientMetrics</c>).
/// </summary>
/// <param name="From">Written as JavaScript's toISOString writes it, as the TypeScript app did.</param>
/// <param name="Tickets">Tickets received in [From, To).</param>
/// <param name="ResolvedBy">Tickets by who resolved them in the end: requester, engineer, silence.</param>
/// <param name="ReopenRate">Tickets reopened at least once over all tickets (0..1).</param>
/// <param name="EngineerInterruptions">Alerts and pages that reached a person in [From, To), re-pages within 30 minutes counted once.</param>
/// <param name="EngineerInterruptionsPerDay">Per working day of the client's business hours in the range; null when the range holds none.</param>
/// <param name="ByTier">Keys "1", "2", "3" for a tier's engineers and "oncall".</param>
public sealed record ClientMetrics(
    string ClientId,
    [property: JsonConverter(typeof(IsoInstantJsonConverter))] DateTimeOffset From,
    [property: JsonConverter(typeof(IsoInstantJsonConverter))] DateTimeOffset To,
    int Tickets,
    DeflectionFigures Deflection,
    IReadOnlyDictionary<string, int> ResolvedBy,
    int Open,
    int Escalated,
    Percentiles AcknowledgementMs,
    Percentiles FirstResponseMs,
    Percentiles ResolutionMs,
    Percentiles EscalationHandleMs,
    Percentiles AcknowledgementBusinessMs,
    Percentiles FirstResponseBusinessMs,
    Percentiles ResolutionBusinessMs,
    Percentiles EscalationHandleBusinessMs,
    double ReopenRate,
    CsatFigures Csat,
    int EngineerInterruptions,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? EngineerInterruptionsPerDay,
    IReadOnlyDictionary<string, TierFigures> ByTier,
    SlaBreachCounts SlaBreaches,
    int SelfServiceDeflections,
    IReadOnlyDictionary<string, CategoryFigures> ByCategory,
    IReadOnlyList<WeekFigures> Weekly)
{
    /// <summary>
    /// Intake to the first answer, for the tickets a person answered first (a public plan or a fix),
    /// in wall-clock time (issue #34 fix 4): automation's guides answer within a minute, so the
    /// overall median says little about how long people took. Not in the TypeScript figures.
    /// </summary>
    public Percentiles PersonFirstResponseMs { get; init; } = new(null, null);
}

/// <summary>What a metrics query works from.</summary>
/// <param name="Summaries">The summaries of the tickets received in [From, To).</param>
/// <param name="Interruptions">The interruptions that happened in [From, To).</param>
public sealed record MetricsInput(
    string ClientId,
    DateTimeOffset From,
    DateTimeOffset To,
    DateTimeOffset Now,
    BusinessHours Hours,
    IReadOnlyList<TicketOutcomes> Summaries,
    IReadOnlyList<Interruption> Interruptions,
    int SelfServiceDeflections);
