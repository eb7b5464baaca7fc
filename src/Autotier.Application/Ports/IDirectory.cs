using Autotier.Domain.Clients;

namespace Autotier.Application.Ports;

/// <summary>The client's identity directory (Microsoft Graph): only the calls the playbooks make.</summary>
public interface IDirectory
{
    /// <summary>The enabled or disabled user whose mail, UPN or proxy address is this; null if none or several.</summary>
    Task<DirectoryUser?> FindUserAsync(string email, CancellationToken cancellationToken);

    Task<SignInRegistration> RegistrationAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Email addresses registered as the user's authentication methods (verified by the user).</summary>
    Task<IReadOnlyList<string>> VerifiedEmailsAsync(string userId, CancellationToken cancellationToken);

    /// <summary>A new pass; Graph replaces any earlier pass of the user.</summary>
    Task<TemporaryAccessPass> CreateTemporaryAccessPassAsync(string userId, int lifetimeMinutes, bool usableOnce, CancellationToken cancellationToken);

    Task<IReadOnlyList<SubscribedSku>> SubscribedSkusAsync(CancellationToken cancellationToken);

    Task AssignLicenceAsync(string userId, string skuId, CancellationToken cancellationToken);

    /// <summary>Adds the user to the group; false when they were a member already.</summary>
    Task<bool> AddGroupMemberAsync(string groupId, string userId, CancellationToken cancellationToken);
}

/// <summary>
/// The directory of a client, from its profile's connection; null for a client with no Graph
/// connection. A connection that cannot work throws a <see cref="DirectoryException"/>.
/// </summary>
public interface IDirectories
{
    IDirectory? ForClient(ClientProfile client);
}

/// <summary>A user of the client's Microsoft Entra ID tenant, as the playbooks need them.</summary>
public sealed record DirectoryUser(string Id, string UserPrincipalName, bool AccountEnabled, IReadOnlyList<string> AssignedSkuIds)
{
    public string? Mail { get; init; }
    public string? DisplayName { get; init; }

    /// <summary>Synchronised from on-premises Active Directory: its password and lockout live there.</summary>
    public OnPremisesAccount? OnPremises { get; init; }

    public string? OfficeLocation { get; init; }
    public string? UsageLocation { get; init; }
}

public sealed record OnPremisesAccount(string? Domain, string? SamAccountName);

/// <summary>What the user has registered for sign-in: <c>userRegistrationDetails</c>.</summary>
public sealed record SignInRegistration(bool SsprRegistered, bool SsprEnabled, bool MfaRegistered, IReadOnlyList<string> Methods);

/// <summary>A pass Graph created. <see cref="Pass"/> goes into one mail and nowhere else.</summary>
public sealed record TemporaryAccessPass(string MethodId, string Pass, int LifetimeMinutes, bool UsableOnce)
{
    // A record prints its members: keep the pass out of any log line or exception that formats one.
    public override string ToString() => $"TemporaryAccessPass {{ MethodId = {MethodId}, LifetimeMinutes = {LifetimeMinutes} }}";
}

/// <param name="Enabled">Seats bought and usable (<c>prepaidUnits.enabled</c>).</param>
public sealed record SubscribedSku(string SkuId, string SkuPartNumber, int Enabled, int Consumed);

/// <summary>
/// Why a directory call failed. <see cref="DirectoryFailure.Throttled"/> and
/// <see cref="DirectoryFailure.Unavailable"/> are Graph's own trouble (worth a later retry by a
/// person); <see cref="DirectoryFailure.Rejected"/> means Graph refused this request (permissions, a
/// missing usage location) and needs an engineer to look.
/// </summary>
public enum DirectoryFailure
{
    Throttled,
    Unavailable,
    Timeout,
    Rejected,
}

/// <summary>A directory call that failed; the message says what went wrong without tokens or passes.</summary>
public sealed class DirectoryException : Exception
{
    public DirectoryException(DirectoryFailure kind, string message, int? status = null, int? retryAfterSeconds = null, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        Status = status;
        RetryAfterSeconds = retryAfterSeconds;
    }

    public DirectoryException() : this(DirectoryFailure.Unavailable, "the directory failed") { }

    public DirectoryException(string message) : this(DirectoryFailure.Unavailable, message) { }

    public DirectoryException(string message, Exception inner) : this(DirectoryFailure.Unavailable, message, inner: inner) { }

    public DirectoryFailure Kind { get; }
    public int? Status { get; }
    public int? RetryAfterSeconds { get; }
}
