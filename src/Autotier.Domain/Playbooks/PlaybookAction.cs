namespace Autotier.Domain.Playbooks;

/// <summary>An action taken on a user or licence, as the ticket and the audit log keep it (never a pass).</summary>
/// <param name="Action">One of <see cref="PlaybookActions"/>.</param>
/// <param name="Target">The user acted on (UPN).</param>
/// <param name="Detail">What exactly: the SKU, the group, where a pass was sent.</param>
public sealed record PlaybookAction(string Action, string Target, string Detail);

/// <summary>The action kinds, as the TypeScript app writes them.</summary>
public static class PlaybookActions
{
    public const string TemporaryAccessPass = "temporary_access_pass";
    public const string LicenceAssigned = "licence_assigned";
    public const string GroupMemberAdded = "group_member_added";
}

/// <summary>
/// What a playbook checked and did, pinned on the ticket (<c>playbook</c>) and put in the escalation
/// package and PSA note: the TypeScript record's fields.
/// </summary>
public sealed record PlaybookRecord(string Name, IReadOnlyList<string> Findings, IReadOnlyList<PlaybookAction> Actions)
{
    /// <summary>Why automation stopped, when it did.</summary>
    public string? StoppedBecause { get; init; }
}
