using System.Text;
using Autotier.Application.Ports;
using Autotier.Domain.Links;
using Autotier.Domain.Metrics;
using Autotier.Domain.Secrets;
using Autotier.Domain.Tickets;

namespace Autotier.Application.Lifecycle;

public enum RateOutcome { Ask, Recorded, AlreadyRated, Expired, Invalid, NotFound }

/// <param name="Error">For a refusal, the field and why (<c>score: ...</c>, <c>token: ...</c>, <c>comment: ...</c>).</param>
public sealed record RateResult(RateOutcome Outcome, int? Score, string? Error = null);

/// <summary>
/// The one-click ratings in the closing mails (TypeScript rateTicket): five signed links, one per
/// score, with a key of their own (a rating token never answers the confirmation question). GET
/// only asks (mail scanners open every link); POST records the rating once per link, as an outcome
/// event whose step is the link's nonce, so the outcome log itself is the single-use record: a
/// second press, or a retry after a failure half way, records nothing new.
/// </summary>
public sealed class TicketRatings(ITicketStore tickets, IOutcomeLog outcomes, Func<LinkSettings> links, TimeProvider time)
{
    public const int MaxComment = TicketOutcomes.MaxRatingComment;

    /// <param name="queryScore">The score the link carries.</param>
    /// <param name="postedScore">The score the form or JSON body sent, when it sent one (it wins: the page lets the requester change it).</param>
    public async Task<RateResult> RateAsync(
        string ticketId, string? queryScore, string? token, bool record, string? postedScore, string? comment, CancellationToken cancellationToken)
    {
        if (Score(queryScore) is not { } linked) return new RateResult(RateOutcome.Invalid, null, "score: must be a whole number from 1 to 5");
        var (verified, problem) = LinkTokens.Verify(token ?? "", ticketId, LinkTokens.RatingKey(links().SigningKey), time.GetUtcNow());
        if (verified is null)
            return new RateResult(problem == LinkTokenProblem.Expired ? RateOutcome.Expired : RateOutcome.Invalid, null, "token: " + LinkTokens.Describe(problem));
        if (!record) return new RateResult(RateOutcome.Ask, linked);

        var score = linked;
        if (postedScore is not null)
        {
            if (Score(postedScore) is not { } posted) return new RateResult(RateOutcome.Invalid, null, "score: must be a whole number from 1 to 5");
            score = posted;
        }
        if ((comment ?? "").Length > MaxComment) return new RateResult(RateOutcome.Invalid, null, $"comment: at most {MaxComment} characters");
        var ticket = await tickets.GetAsync(ticketId, cancellationToken);
        if (ticket is null) return new RateResult(RateOutcome.NotFound, null, $"ticket {ticketId} not found");

        var at = time.GetUtcNow();
        var step = $"rated-{verified.Nonce}";
        var cleaned = Clean(comment);
        // The timeline line first (keyed by the step, so a repeat leaves it), then the outcome event,
        // which says whether this link had been used: a failure between them is mended by a retry.
        var said = cleaned is null ? "" : $": \"{(cleaned.Length > 500 ? cleaned[..500] : cleaned)}\"";
        await tickets.AppendTimelineAsync(ticketId, new TimelineEntry(step, at, null, $"The requester rated the support {score} out of 5{said}"), cancellationToken);
        var fresh = await outcomes.RecordAsync(
            [new OutcomeEvent(ticket.ClientId, ticketId, ticket.CreatedAt, step, at, OutcomeKinds.Rated) { Score = score, Comment = cleaned }],
            cancellationToken);
        return fresh.Count == 0 ? new RateResult(RateOutcome.AlreadyRated, null) : new RateResult(RateOutcome.Recorded, score);
    }

    private static int? Score(string? text) => text is { Length: 1 } && text[0] is >= '1' and <= '5' ? text[0] - '0' : null;

    /// <summary>A comment is plain text for the team: no control or direction characters, no typed secrets.</summary>
    private static string? Clean(string? comment)
    {
        if (string.IsNullOrWhiteSpace(comment)) return null;
        var text = new StringBuilder(comment.Length);
        foreach (var c in comment.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n'))
            text.Append(c != '\n' && (char.IsControl(c) || c is >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069') ? ' ' : c);
        var trimmed = text.ToString().Trim();
        return trimmed.Length == 0 ? null : SecretMasking.Mask(trimmed).Text;
    }
}
