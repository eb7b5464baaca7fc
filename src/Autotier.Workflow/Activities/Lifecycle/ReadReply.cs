using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Autotier.Application.Ports;
using Autotier.Application.Tickets;
using Autotier.Domain.Assistant;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Text;
using Autotier.Domain.Tickets;

namespace Autotier.Workflow.Activities.Lifecycle;

/// <param name="Question">What the requester was asked, in words the model can read the reply against.</param>
public sealed record ReadReplyInput(string TicketId, DateTimeOffset At, string Step, string From, string Text, string Question);

/// <param name="Answer">yes, no, unclear or new_issue (the wire words of <see cref="FollowUpPolicy.Wire"/>).</param>
/// <param name="FollowUpTicketId">The ticket filed from the reply, when it reported a new problem and the bounds allowed one.</param>
public sealed record ReplyRead(string Answer, string? FollowUpTicketId = null);

/// <summary>
/// A reply autotier's own tables could not read, read by the optional assistant: yes, no, unclear or a
/// new problem (TypeScript readReply). A new problem becomes a ticket of its own, linked both ways,
/// acknowledged and started through the start queue; its creation is idempotent on this ticket and
/// step, so a retried step files one ticket. The bounds of <see cref="FollowUpPolicy"/> keep a mail
/// loop or an auto-responder from filing tickets without end. No answer leaves the reply unclear.
/// </summary>
public sealed class ReadReply(TicketKit kit, IAssistant assistant, ITokenStore tokens, TicketIntake intake)
{
    /// <summary>Enough of a reply to read its meaning; the whole reply stays on the ticket (TypeScript: 2,000).</summary>
    public const int MaxReplyChars = 2000;

    public async Task<ReplyRead> RunAsync(ReadReplyInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!assistant.IsConfigured) return new ReplyRead(FollowUpPolicy.Wire(ReplyAnswer.Unclear));
        var ticket = await kit.LoadAsync(input.TicketId, cancellationToken);
        var own = TicketText.OwnWords(input.Text);
        var reply = own.Length > MaxReplyChars ? own[..MaxReplyChars] : own;
        var counts = new FollowUpCounts(ticket.FollowUps?.Count ?? 0, ticket.FollowUpOf is not null, 0);
        var reading = await assistant.ReadReplyAsync(
            new AssistantRequest<Domain.Assistant.ReplyInput>(ticket.ClientId, $"{ticket.TicketId}.{input.Step}", new Domain.Assistant.ReplyInput(ticket.Subject, input.Question, reply), People.Of(ticket, input.From)),
            counts,
            cancellationToken);
        if (reading.FileFollowUp && !await SenderMayFileAsync(ticket.ClientId, input.From, input.At, cancellationToken))
        {
            reading = new ReplyReading(ReplyAnswer.Unclear, false,
                $"The language model read the reply as a new issue; no ticket was filed ({FollowUpPolicy.MaxPerSenderPerDay} were filed for this sender today): an engineer should look");
        }
        if (!reading.FileFollowUp)
        {
            if (reading.Note is { } note) await kit.NoteAsync(ticket.TicketId, input.Step, input.At, null, note, cancellationToken);
            return new ReplyRead(FollowUpPolicy.Wire(reading.Answer == ReplyAnswer.NewIssue ? ReplyAnswer.Unclear : reading.Answer));
        }

        var client = await kit.ClientAsync(ticket.ClientId, cancellationToken);
        var followUp = await intake.FileQueuedAsync(
            new NewTicket(
                ticket.ClientId,
                ticket.Requester with { Email = input.From.Trim().ToLowerInvariant() },
                EscalationPackage.Cut($"New issue raised on {ticket.TicketId}: {ticket.Subject}", 250),
                reply.Length > 0 ? reply : EscalationPackage.Cut(input.Text, 20_000),
                $"reply:{ticket.TicketId}:{input.Step}",
                ticket.Channel)
            {
                FollowUpOf = ticket.TicketId,
                Participants = ticket.Participants,
            },
            client,
            cancellationToken);
        await kit.UpdateAsync(ticket.TicketId, input.At, null, t => t.FollowUps?.Contains(followUp.TicketId) == true ? t
            : t with { FollowUps = [.. t.FollowUps ?? [], followUp.TicketId] }, cancellationToken);
        await kit.NoteAsync(ticket.TicketId, input.Step, input.At, null, $"The language model read the reply as a new issue: it became {followUp.TicketId}", cancellationToken);
        return new ReplyRead(FollowUpPolicy.Wire(ReplyAnswer.NewIssue), followUp.TicketId);
    }

    /// <summary>
    /// One of the sender's follow-up places for this UTC day, claimed as a single-use token (the
    /// token table is shared by every instance, so the bound holds across them). A step retried after
    /// its claim claims again: that errs toward fewer follow-ups, never more. The key holds a hash of
    /// the address, not the address.
    /// </summary>
    private async Task<bool> SenderMayFileAsync(string clientId, string from, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var day = at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var sender = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(from.Trim().ToLowerInvariant())))[..24];
        var expires = new DateTimeOffset(at.UtcDateTime.Date.AddDays(2), TimeSpan.Zero);
        for (var place = 0; place < FollowUpPolicy.MaxPerSenderPerDay; place++)
        {
            if (await tokens.UseAsync($"follow-up|{clientId}|{sender}|{day}|{place}", expires, cancellationToken)) return true;
        }
        return false;
    }
}
