namespace Autotier.Application.Ports;

/// <summary>
/// The audit log of actions on users and licences (<c>&lt;prefix&gt;Audit</c>, the TypeScript
/// <c>AuditLog</c>): kept apart from the ticket so that it outlives it and can be handed to the
/// client's auditors. Records are keyed by (client, ticket, step): a retried activity rewrites its own.
/// </summary>
public interface IActionLog
{
    Task RecordAsync(ActionRecord entry, CancellationToken cancellationToken);

    Task<ActionRecord?> GetAsync(string clientId, string ticketId, string stepName, CancellationToken cancellationToken);

    /// <summary>A client's records, oldest first, optionally from a time on.</summary>
    Task<IReadOnlyList<ActionRecord>> ForClientAsync(string clientId, DateTimeOffset? since, CancellationToken cancellationToken);
}

/// <summary>One action on a user or a licence: who acted, on whom, what, when and why (the TypeScript <c>AuditRecord</c>).</summary>
/// <param name="Step">Unique per ticket: a retried activity rewrites the same record.</param>
/// <param name="At">ISO 8601 UTC, as the TypeScript app writes it.</param>
/// <param name="Actor">The identity that acted, e.g. <c>autotier (app 1234…)</c>.</param>
/// <param name="RequestedBy">The person it acted for (the ticket's requester).</param>
/// <param name="Action">One of <see cref="Domain.Playbooks.PlaybookActions"/>.</param>
/// <param name="Target">The user acted on (UPN).</param>
/// <param name="Detail">What exactly: the SKU, the group, where a pass was sent. Never the pass.</param>
/// <param name="Reason">Why: the request and the policy that allowed it.</param>
/// <param name="Outcome"><c>done</c> or <c>failed</c>.</param>
public sealed record ActionRecord(
    string ClientId,
    string TicketId,
    string Step,
    string At,
    string Actor,
    string RequestedBy,
    string Action,
    string Target,
    string Detail,
    string Reason,
    string Outcome)
{
    public const string Done = "done";
    public const string Failed = "failed";
}
