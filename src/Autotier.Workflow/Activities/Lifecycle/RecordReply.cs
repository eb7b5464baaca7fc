using Autotier.Application.Ports;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Tickets;

namespace Autotier.Workflow.Activities.Lifecycle;

/// <summary>
/// A requester's reply: kept in the ticket's conversation (the newest ones; every one on the
/// timeline) and, while a person has the ticket, passed to that tier.
/// </summary>
public sealed class RecordReply(TicketKit kit, INotifier notifier)
{
    public async Task RunAsync(ReplyInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        // Bounded as the package is: thirty 20,000-character replies of control characters would
        // otherwise outgrow the ticket's row and every later write would fail.
        var entry = new ConversationEntry(input.At, EscalationPackage.Cut(input.From, EscalationPackage.MaxLineChars), EscalationPackage.Cut(input.Text, EscalationPackage.MaxMessageChars));
        var ticket = await kit.UpdateAsync(input.TicketId, input.At, null, t =>
            t.Conversation is { } c && c.Contains(entry) ? t
                : t with { Conversation = [.. (t.Conversation ?? []).TakeLast(Domain.Tickets.Ticket.MaxConversationKept - 1), entry] },
            cancellationToken);
        await kit.NoteAsync(input.TicketId, input.Step, input.At, null, $"Reply from the requester (read as {input.Meaning})", cancellationToken);
        await kit.Psa.AddNoteAsync(input.TicketId, $"Requester replied: {entry.Text}", input.Step, cancellationToken);
        if (input.Notify)
            await notifier.NotifyAsync(await kit.AlertAsync(ticket, input.Step, "requester_reply", input.Tier, $"The requester replied on {input.TicketId}", input.At, null, cancellationToken), cancellationToken);
    }
}
