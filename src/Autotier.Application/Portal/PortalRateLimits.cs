using System.Security.Cryptography;
using System.Text;
using Autotier.Application.Ports;

namespace Autotier.Application.Portal;

/// <summary>
/// The portal's limits for callers nobody vouches for (locally, and anonymous requesters where
/// Entra sign-in is on): submissions an hour per address typed and per caller IP, and "this solved
/// it" clicks an hour per caller IP (each counts a self-service deflection in the metrics, and a
/// fresh visit costs nothing, so without a limit a script could count deflections without end).
/// <para>
/// Each slot of a fixed hourly window is a single-use nonce in the token store, which is a Table
/// Storage table: every instance of the app claims slots in the same table, so the limits hold
/// across instances and restarts (a per-instance counter would multiply them by the instance
/// count on a scaled-out plan). Two concurrent requests never share a slot (the insert is the
/// claim), and the slots expire with their window (housekeeping sweeps them). Keys are hashed: no
/// address or IP is stored.
/// </para>
/// </summary>
public sealed class PortalRateLimits(ITokenStore tokens, TimeProvider time)
{
    public const int PerAddressPerHour = 5;
    public const int PerIpPerHour = 20;
    public const int SolvedPerIpPerHour = 30;

    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    /// <summary>Both limits for an anonymous submission: false when either is used up (the IP's first, as the TypeScript app).</summary>
    public async Task<bool> TakeSubmissionAsync(string email, string callerIp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        return await TakeSlotAsync($"ip:{callerIp}", PerIpPerHour, cancellationToken)
            && await TakeSlotAsync($"address:{email.ToLowerInvariant()}", PerAddressPerHour, cancellationToken);
    }

    /// <summary>The "this solved it" limit for an anonymous caller: false when this hour's slots are used up.</summary>
    public Task<bool> TakeSolvedAsync(string callerIp, CancellationToken cancellationToken) =>
        TakeSlotAsync($"solved-ip:{callerIp}", SolvedPerIpPerHour, cancellationToken);

    /// <summary>One slot of this hour's window for <paramref name="key"/>, or false when all <paramref name="limit"/> are taken.</summary>
    private async Task<bool> TakeSlotAsync(string key, int limit, CancellationToken cancellationToken)
    {
        var window = time.GetUtcNow().ToUnixTimeMilliseconds() / (long)Hour.TotalMilliseconds;
        var id = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(key))).TrimEnd('=').Replace('+', '-').Replace('/', '_')[..32];
        var expires = DateTimeOffset.FromUnixTimeMilliseconds((window + 2) * (long)Hour.TotalMilliseconds);
        for (var slot = 0; slot < limit; slot++)
        {
            if (await tokens.UseAsync($"portal-rate.{id}.{window}.{slot}", expires, cancellationToken)) return true;
        }
        return false;
    }
}
