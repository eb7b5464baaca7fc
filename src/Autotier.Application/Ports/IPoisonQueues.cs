namespace Autotier.Application.Ports;

/// <summary>The poison queues (<c>&lt;queue&gt;-poison</c>) where messages go after five failed tries.</summary>
public interface IPoisonQueues
{
    /// <summary>How many messages wait in <paramref name="queue"/>'s poison queue (approximate, as Storage counts); 0 when it does not exist.</summary>
    Task<int> WaitingAsync(string queue, CancellationToken cancellationToken);

    /// <summary>
    /// Moves at most <paramref name="max"/> messages from the poison queue back onto <paramref name="queue"/>,
    /// unchanged, each sent before it is deleted (a stop in between repeats one; every consumer is
    /// idempotent, so nothing is lost or doubled). Returns how many moved.
    /// </summary>
    Task<int> ReplayAsync(string queue, int max, CancellationToken cancellationToken);
}
