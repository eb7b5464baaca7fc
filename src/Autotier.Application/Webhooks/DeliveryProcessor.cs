using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Autotier.Application.Ports;
using Autotier.Application.Tickets;
using Autotier.Domain.Intake;
using Autotier.Domain.Tickets;
using Autotier.Domain.Webhooks;
using Microsoft.Extensions.Logging;

namespace Autotier.Application.Webhooks;

/// <summary>What became of one delivery: a ticket, kept for review (and why), or left alone (and why).</summary>
public abstract record DeliveryOutcome
{
    private DeliveryOutcome() { }

    public sealed record Filed(string TicketId) : DeliveryOutcome;

    public sealed record Review(string Reason) : DeliveryOutcome;

    public sealed record Ignored(string Reason) : DeliveryOutcome;

    /// <summary>A PSA change to one of autotier's tickets, passed to its workflow (<see cref="Psa.PsaChanges"/>).</summary>
    public sealed record Applied(string? TicketId, string Summary) : DeliveryOutcome;
}

/// <summary>
/// Turns one accepted webhook delivery into a ticket, once (the TypeScript app's processIntake for
/// the generic webhook and the PSAs): ticket creation is idempotent on (client, external id), so a
/// message delivered twice files one ticket. A delivery that cannot be placed (an unknown client,
/// an unmapped PSA company, a PSA ticket without a contact) is kept whole in the Review table;
/// storage and PSA errors throw, so the queue retries and, after five tries, parks the message in
/// the poison queue.
/// </summary>
public sealed partial class DeliveryProcessor(
    IDeliveryInbox queue, IClientStore clients, TicketIntake intake, IReviewStore review, IPsaTicketLookup psa,
    WebhookSettings settings, TimeProvider time, ILogger<DeliveryProcessor> logger, Psa.PsaChanges? changes = null)
{
    public async Task<DeliveryOutcome> ProcessAsync(WebhookDelivery? message, ITicketWorkflow workflow, CancellationToken cancellationToken)
    {
        // A message that is not a delivery at all (null, garbage) is kept for review, not retried.
        message ??= new WebhookDelivery();
        var delivery = message;
        if (message.Claim is { } claim)
        {
            delivery = await queue.ReadClaimAsync(claim, cancellationToken);
            // The blob goes once the delivery is handled: a claim without one was handled before.
            if (delivery is null) return Log(message, new DeliveryOutcome.Ignored($"{claim} was handled before"));
        }
        var outcome = await HandleAsync(delivery, workflow, cancellationToken);
        if (message.Claim is { } handled) await queue.DropClaimAsync(handled, cancellationToken);
        return Log(delivery, outcome);
    }

    private async Task<DeliveryOutcome> HandleAsync(WebhookDelivery m, ITicketWorkflow workflow, CancellationToken cancellationToken)
    {
        var raw = m.Raw ?? "";
        var placement = await PlaceAsync(m, raw, workflow, cancellationToken);
        if (placement is Placement.Done done)
        {
            if (done.Outcome is DeliveryOutcome.Review r) await KeepAsync(m, r.Reason, cancellationToken);
            return done.Outcome;
        }
        var ticket = ((Placement.New)placement).Ticket;
        var client = await clients.GetAsync(ticket.ClientId, cancellationToken);
        if (client is null)
        {
            var reason = $"no client \"{ticket.ClientId}\" is set up here";
            await KeepAsync(m, reason, cancellationToken);
            return new DeliveryOutcome.Review(reason);
        }
        var filed = await intake.FileAsync(ticket, client, workflow, cancellationToken);
        return new DeliveryOutcome.Filed(filed.TicketId);
    }

    private abstract record Placement
    {
        public sealed record New(NewTicket Ticket) : Placement;

        public sealed record Done(DeliveryOutcome Outcome) : Placement;
    }

    private static Placement.Done ToReview(string reason) => new Placement.Done(new DeliveryOutcome.Review(reason));

    private static Placement.Done Ignore(string reason) => new Placement.Done(new DeliveryOutcome.Ignored(reason));

    private async Task<Placement> PlaceAsync(WebhookDelivery m, string raw, ITicketWorkflow workflow, CancellationToken cancellationToken)
    {
        if (m.Source == WebhookIntake.Generic)
        {
            var parsed = GenericWebhookEvent.Parse(Encoding.UTF8.GetBytes(raw));
            if (!parsed.Ok) return ToReview(parsed.Error == "body is not valid JSON" ? "payload is not valid JSON" : parsed.Error);
            var ticket = parsed.Value.Ticket;
            return new Placement.New(m.AssignedClient is { } assigned ? ticket with { ClientId = assigned } : ticket);
        }
        if (PsaVendors.IsVendor(m.Source)) return await PsaAsync(m.Source!, raw, m.AssignedClient, workflow, cancellationToken);
        return ToReview($"unknown source \"{m.Source}\"");
    }

    private async Task<Placement> PsaAsync(string vendor, string raw, string? assigned, ITicketWorkflow workflow, CancellationToken cancellationToken)
    {
        if (settings.PsaVendor != vendor) return ToReview($"no {vendor} connection is configured");
        var parsed = PsaWebhookEvents.Parse(vendor, raw);
        if (!parsed.Ok) return ToReview(parsed.Error);
        var e = parsed.Value;
        if (e.ActorId is { } actor && settings.Mapping.SelfIds.Contains(actor))
            return Ignore($"{vendor} ticket {e.TicketId} was changed by autotier itself");
        // Updates to tickets autotier knows reach their workflow (a close, a public note, a waiting
        // status, time entries), read from the PSA itself; other tickets' updates change nothing.
        if (e.Action == PsaAction.Updated && changes is not null)
        {
            var applied = await changes.ApplyAsync(new Psa.PsaChange(vendor, e.TicketId, e.ActorId, e.EventId), workflow, cancellationToken);
            return new Placement.Done(applied.Outcome == Psa.PsaChangeOutcome.Delivered
                ? new DeliveryOutcome.Applied(applied.TicketId, applied.Summary)
                : new DeliveryOutcome.Ignored($"{vendor} ticket {e.TicketId}: {applied.Summary}"));
        }
        if (e.Action != PsaAction.Created) return Ignore($"{vendor} ticket {e.TicketId}: {e.Action.ToString().ToLowerInvariant()} events are not new tickets");
        var ticket = e.Partial.IsComplete ? e.Partial : await psa.GetTicketAsync(vendor, e.TicketId, cancellationToken);
        if (ticket is null)
        {
            return ToReview(psa.IsConfigured
                ? $"{vendor} has no ticket {e.TicketId}"
                : $"{vendor} ticket {e.TicketId}: the delivery does not carry the whole ticket and no PSA API is connected to ask");
        }
        // autotier opened it for a mail, portal or API ticket: not a new one.
        if (OpenedByAutotier().IsMatch(ticket.Summary ?? "")) return Ignore($"{vendor} ticket {e.TicketId} was opened by autotier");
        var mapped = PsaWebhookEvents.ToNewTicket(vendor, ticket, settings.Mapping, assigned);
        return mapped.Ok ? new Placement.New(mapped.Value) : ToReview(mapped.Error);
    }

    [GeneratedRegex(@"\(autotier T-[0-9]{1,12}\)", RegexOptions.CultureInvariant)]
    private static partial Regex OpenedByAutotier();

    /// <summary>Kept under an id of (source, event id): the same delivery kept twice is one row.</summary>
    private Task KeepAsync(WebhookDelivery m, string reason, CancellationToken cancellationToken)
    {
        var source = m.Source ?? "unknown";
        var eventId = m.EventId ?? "unknown";
        return review.KeepAsync(
            new ReviewItem(ReviewId(source, eventId, m.Raw ?? ""), source, eventId, reason, m.Raw ?? "",
                m.ReceivedAt ?? time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture)),
            cancellationToken);
    }

    /// <summary>A short stable id a person can type: <c>R-</c> and 12 hex digits of the delivery's hash.</summary>
    public static string ReviewId(string source, string eventId, string raw) =>
        "R-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{source}\n{eventId}\n{raw}")))[..12];

    private DeliveryOutcome Log(WebhookDelivery m, DeliveryOutcome outcome)
    {
        var what = outcome switch
        {
            DeliveryOutcome.Filed f => $"became {f.TicketId}",
            DeliveryOutcome.Review r => $"could not be placed and was kept for review ({WebhookIntake.LogSafe(r.Reason, 300)})",
            DeliveryOutcome.Ignored i => WebhookIntake.LogSafe(i.Reason, 300),
            DeliveryOutcome.Applied a => $"reached {a.TicketId}'s workflow ({WebhookIntake.LogSafe(a.Summary, 300)})",
            _ => "?",
        };
        var eventId = WebhookIntake.LogSafe(m.EventId ?? "unknown");
        LogOutcome(logger, m.Source ?? "unknown", eventId, what);
        return outcome;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "intake: {Source} delivery {EventId} {What}")]
    private static partial void LogOutcome(ILogger logger, string source, string eventId, string what);
}
