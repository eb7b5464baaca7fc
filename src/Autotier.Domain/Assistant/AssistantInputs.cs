namespace Autotier.Domain.Assistant;

/// <summary>
/// Addresses and names that must not leave the app: replaced by placeholders before anything is sent.
/// The first address is the requester's (<c>&lt;requester&gt;</c>), the others the participants'
/// (<c>&lt;participant-N&gt;</c>).
/// </summary>
public sealed record People(IReadOnlyList<string> Addresses, IReadOnlyList<string> Names)
{
    public static People None { get; } = new([], []);

    /// <summary>The ticket's requester first, then everyone on its mail thread, then <paramref name="others"/> (a reply's sender).</summary>
    public static People Of(Tickets.Ticket ticket, params string[] others)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return new People(
            [ticket.Requester.Email, .. ticket.Participants ?? [], .. others],
            ticket.Requester.Name is { Length: > 0 } name ? [name] : []);
    }
}

/// <summary>One request to the assistant.</summary>
/// <param name="ClientId">Whose budget it is; the prompt carries this client's data only.</param>
/// <param name="Key">Once per (ticket, step): a retried activity does not count twice.</param>
/// <param name="Input">What is sent (redacted first).</param>
/// <param name="People">Who must not be named to the model.</param>
public sealed record AssistantRequest<TInput>(string ClientId, string Key, TInput Input, People People);

/// <summary>Second opinion: the ticket as filed.</summary>
public sealed record TriageInput(string Subject, string Body);

/// <summary>One message of the conversation, as the briefing reads it.</summary>
public sealed record ConversationLine(string From, string Text);

/// <summary>Escalation briefing: the ticket, why it is escalated, what automation tried, what the requester said.</summary>
/// <param name="RequesterAnswer">yes, no, unclear, silence or none.</param>
/// <param name="Conversation">The first and the latest messages (the caller bounds how many).</param>
public sealed record BriefingInput(
    string Subject,
    string Body,
    string Reason,
    string? Attempted,
    string RequesterAnswer,
    IReadOnlyList<ConversationLine> Conversation);

/// <summary>Reply reading: the question the requester was asked and the new part of their reply.</summary>
public sealed record ReplyInput(string Subject, string Question, string Reply);

/// <summary>One resolved ticket a KB draft is made of.</summary>
public sealed record ResolvedTicket(string Subject, string Resolution);

/// <summary>KB draft: one client's group of resolved tickets of one category.</summary>
public sealed record KbDraftInput(string Category, IReadOnlyList<ResolvedTicket> Tickets);
