namespace Autotier.Application.Ports;

/// <summary>Single-use nonces of signed links (confirm, rate, proof of ownership).</summary>
public interface ITokenStore
{
    /// <summary>
    /// Records the nonce as used; true the first time, false when it was used before. The record is
    /// kept until <paramref name="expiresAt"/> (the link is refused after that anyway), then
    /// housekeeping may drop it.
    /// </summary>
    Task<bool> UseAsync(string nonce, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>
    /// Lets a nonce be used again: what its use should have done failed (the workflow could not be
    /// told), and the requester's retry must record the answer rather than hear "already".
    /// </summary>
    Task ForgetAsync(string nonce, CancellationToken cancellationToken);

    /// <summary>Forgets nonces whose links have expired (nothing can use them any more); how many.</summary>
    Task<int> SweepAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
