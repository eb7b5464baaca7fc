using System.Text.Json.Serialization;
using Autotier.Domain.Clients;
using Autotier.Domain.Playbooks;
using Autotier.Domain.Tickets;

namespace Autotier.Application.Playbooks;

/// <summary>
/// One run of the ticket's playbook: the ticket as classified, its client's profile, the step name
/// (unique per run on this ticket: <c>playbook-1</c>, <c>playbook-2</c>; it keys the audit records
/// and mails), the orchestration's time, and what proves the requester owns the address.
/// </summary>
public sealed record PlaybookRequest(Ticket Ticket, ClientProfile Client, string Step, DateTimeOffset At, RequesterProof Proof);

/// <summary>
/// What proves the requester owns the ticket's address (issue #32, fix 9). A playbook that changes
/// an account (a licence, a group, a Temporary Access Pass) acts only with one: an anonymous portal
/// visitor typing a real user's address once got that user a Visio licence.
/// </summary>
public enum RequesterProof
{
    /// <summary>Anyone could have typed the address (an anonymous portal form, an unauthenticated call).</summary>
    None,

    /// <summary>A signed-in principal whose address is the requester's (the portal with Entra sign-in).</summary>
    SignedIn,

    /// <summary>A mail that came from that mailbox (as far as the mail intake's sender checks can tell).</summary>
    FromMailbox,

    /// <summary>A confirmation link sent to the address was clicked.</summary>
    ConfirmedLink,
}

/// <summary>
/// How a playbook ended. <see cref="Record"/> is what it checked and did, for the ticket
/// (<c>playbook</c>), the escalation package and the PSA note; null when no playbook ran at all.
/// It never holds a pass. As JSON (an activity's result, a stored record) it carries its
/// <c>kind</c>: <c>guide</c>, <c>stopped</c> or <c>needs_proof</c>.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(PlaybookGuide), "guide")]
[JsonDerivedType(typeof(PlaybookStopped), "stopped")]
[JsonDerivedType(typeof(PlaybookNeedsProof), "needs_proof")]
public abstract record PlaybookRun
{
    public PlaybookRecord? Record { get; init; }
}

/// <summary>A guide for the requester: the caller mails it with "Did this resolve your issue?" links.</summary>
public sealed record PlaybookGuide(Guide Guide) : PlaybookRun;

/// <summary>
/// Automation stopped: escalate with <paramref name="Reason"/> (for the engineer). <paramref name="Told"/>
/// is the plain sentence the requester may be told, when the playbook has one.
/// </summary>
public sealed record PlaybookStopped(string Reason, string? Told) : PlaybookRun;

/// <summary>
/// The playbook would change the requester's account and nothing proves they own the address: the
/// caller sends a confirmation link to the ticket's address and runs the playbook again with
/// <see cref="RequesterProof.ConfirmedLink"/> once it is clicked. Nothing was changed.
/// </summary>
public sealed record PlaybookNeedsProof(string Why) : PlaybookRun;

/// <summary>The playbooks (the category's, chosen by the classification's playbook and device).</summary>
public interface IPlaybooks
{
    Task<PlaybookRun> RunAsync(PlaybookRequest request, CancellationToken ct);
}
