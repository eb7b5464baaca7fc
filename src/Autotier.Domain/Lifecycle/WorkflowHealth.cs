namespace Autotier.Domain.Lifecycle;

/// <summary>A workflow instance as the housekeeping sees it.</summary>
/// <param name="RuntimeStatus">The Durable runtime status: Running, Pending, Failed, ...</param>
/// <param name="NextDeadline">When the workflow meant to wake next (its custom status says), if it said.</param>
public sealed record InstanceSummary(string InstanceId, string RuntimeStatus, DateTimeOffset CreatedAt, DateTimeOffset LastUpdatedAt, DateTimeOffset? NextDeadline);

/// <param name="Kind">failed, not_started or stuck.</param>
public sealed record WorkflowProblem(string InstanceId, string Kind, string Detail);

/// <summary>
/// Which ticket workflows need a person to look at them: failed ones, ones that never started,
/// and running ones that slept through their own next deadline (the custom status says when the
/// workflow meant to wake; an instance that has not moved long after that is stuck).
/// </summary>
public static class WorkflowHealth
{
    /// <summary>How late past its own deadline (or its start) an instance may be before it counts as stuck.</summary>
    public static readonly TimeSpan StuckAfter = TimeSpan.FromMinutes(30);

    public static IReadOnlyList<WorkflowProblem> Problems(IEnumerable<InstanceSummary> instances, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(instances);
        var problems = new List<WorkflowProblem>();
        foreach (var i in instances)
        {
            if (i.RuntimeStatus == "Failed")
                problems.Add(new(i.InstanceId, "failed", $"failed at {Iso(i.LastUpdatedAt)}"));
            else if (i.RuntimeStatus == "Pending" && now - i.CreatedAt > StuckAfter)
                problems.Add(new(i.InstanceId, "not_started", $"created {Iso(i.CreatedAt)} and never started"));
            else if (i.RuntimeStatus == "Running" && i.NextDeadline is { } due && now - due > StuckAfter && i.LastUpdatedAt < due)
                problems.Add(new(i.InstanceId, "stuck", $"meant to wake at {Iso(due)}, last moved {Iso(i.LastUpdatedAt)}"));
        }
        return problems;
    }

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
}
