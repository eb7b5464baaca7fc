using Autotier.Domain.Lifecycle;

namespace Autotier.Application.Ports;

/// <summary>The Durable task hub as the hourly housekeeping needs it.</summary>
public interface IWorkflowAdmin
{
    /// <summary>Instances that are failed, pending or running (the ones that may need a person).</summary>
    Task<IReadOnlyList<InstanceSummary>> UnfinishedAsync(CancellationToken cancellationToken);

    /// <summary>Deletes the history of completed and terminated instances created before <paramref name="before"/>; how many.</summary>
    Task<int> PurgeFinishedAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
