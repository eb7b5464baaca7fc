using Autotier.Application.Ports;
using Autotier.Application.Playbooks;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Mail;
using Autotier.Domain.Metrics;
using Autotier.Domain.Tickets;

namespace Autotier.Workflow.Activities.Lifecycle;

/// <summary>
/// Runs the category's playbook (checks and actions through the client's directory, or the
/// client's own guide) and sends the requester its guide with "Did this resolve your issue?" links.
/// A playbook that would change an account runs only for a requester proven to own the address
/// (their own mailbox, a signed-in portal user, or the proof link clicked); otherwise it asks for
/// that proof first.
/// </summary>
public sealed class RunPlaybook(TicketKit kit, IPlaybooks playbooks, IKbImages? pictures = null)
{
    /// <summary>
    /// The guide's pictures together stay under this, so the mail stays well inside what ACS and
    /// Graph accept (ACS 10 MB a mail, Graph sendMail 4 MB a request, and base64 adds a third); further pictures are left out.
    /// </summary>
    public const int MaxPictureBytes = 2_500_000;

    public async Task<PlaybookResult> RunAsync(PlaybookInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var step = $"playbook-{input.Attempt}";
        var ticket = await kit.LoadAsync(input.TicketId, cancellationToken);
        if (input.Device is { } device && ticket.Classification is { } c)
            ticket = ticket with { Classification = c with { Device = device } };
        var client = await kit.ClientAsync(ticket.ClientId, cancellationToken);
        var proof = input.Proven ? RequesterProof.ConfirmedLink
            : ticket.Channel == Channel.Email ? RequesterProof.FromMailbox
            : RequesterProof.None;
        var run = await playbooks.RunAsync(new PlaybookRequest(ticket, client, step, input.At, proof), cancellationToken);
        switch (run)
        {
            case PlaybookNeedsProof needs:
                await kit.NoteAsync(ticket.TicketId, $"{step}-proof", input.At, ticket.Stage, $"The playbook changes an account: asked the requester to confirm the address is theirs ({needs.Why})", cancellationToken);
                return new PlaybookResult(false, null, null, needs.Why, null, NeedsProof: true);
            case PlaybookStopped stopped:
                await RecordAsync(ticket.TicketId, input.At, run.Record, cancellationToken);
                await kit.NoteAsync(ticket.TicketId, step, input.At, ticket.Stage, $"Playbook stopped: {stopped.Reason}", cancellationToken);
                await kit.RecordAsync(cancellationToken, TicketKit.Event(ticket, step, input.At, OutcomeKinds.Playbook, input.Sla) with { Result = "stopped", Reason = stopped.Reason });
                return new PlaybookResult(false, null, null, stopped.Reason, stopped.Told);
            case PlaybookGuide sent:
                var guide = sent.Guide;
                var (yes, no) = kit.Links.ConfirmLinks(ticket.TicketId, $"{ticket.TicketId}.{step}", input.At);
                await kit.SendAsync(ticket, step, Messages.Guide(ticket, new GuideText(guide.Title, guide.Steps, guide.Intro), new ConfirmLinks(yes, no), await PicturesAsync(guide.Images, cancellationToken)), cancellationToken);
                await kit.UpdateAsync(ticket.TicketId, input.At, StageMoves.After(ticket.Stage, StageStep.GuideSent), t => TicketKit.Stale(t, input.Cycle) ? t : t with
                {
                    Attempted = guide.Title,
                    Guide = new SentGuide(guide.ArticleId, guide.Title, guide.Steps),
                    Playbook = run.Record ?? t.Playbook,
                    Sla = input.Sla,
                }, cancellationToken, input.Cycle);
                await kit.NoteAsync(ticket.TicketId, step, input.At, Stage.AwaitingConfirmation, $"Sent \"{guide.Title}\" and asked whether it resolved the issue", cancellationToken);
                await kit.RecordAsync(cancellationToken,
                    TicketKit.Event(ticket, step, input.At, OutcomeKinds.Playbook, input.Sla) with { Result = "guide_sent", ArticleId = guide.ArticleId },
                    TicketKit.Event(ticket, $"responded-{step}", input.At, OutcomeKinds.Responded, input.Sla) with { By = "automation", Via = "guide" });
                await kit.Psa.SetStatusAsync(ticket.TicketId, Domain.Psa.PsaStatus.WaitingOnRequester, step, cancellationToken);
                return new PlaybookResult(true, guide.ArticleId, guide.Title, null, null);
            default:
                throw new InvalidOperationException("unknown playbook result");
        }
    }

    /// <summary>The guide's pictures, inline; a missing picture, or one past the size budget, is left out rather than failing the mail.</summary>
    private async Task<IReadOnlyList<InlineImage>> PicturesAsync(IReadOnlyList<string>? names, CancellationToken cancellationToken)
    {
        var inline = new List<InlineImage>();
        if (pictures is null || names is null) return inline;
        var bytes = 0;
        for (var i = 0; i < names.Count; i++)
        {
            var picture = await pictures.ReadAsync(names[i], cancellationToken);
            if (picture is null || bytes + picture.Content.Length > MaxPictureBytes) continue;
            bytes += picture.Content.Length;
            inline.Add(new InlineImage($"step-picture-{i + 1}", names[i].Split('/')[^1], picture.ContentType, Convert.ToBase64String(picture.Content)));
        }
        return inline;
    }

    /// <summary>What the playbook checked and did, on the ticket for the engineer (never a pass: the record holds none).</summary>
    private Task RecordAsync(string ticketId, DateTimeOffset at, Domain.Playbooks.PlaybookRecord? record, CancellationToken cancellationToken) =>
        record is null ? Task.CompletedTask : kit.UpdateAsync(ticketId, at, null, t => t with { Playbook = record }, cancellationToken);
}
