using Autotier.Application.Ports;

namespace Autotier.Application.Webhooks;

/// <summary>
/// "Needs a home": the deliveries that could not be placed, for the CLI (<c>autotier review</c>) and
/// the ops page. Assigning one to a client queues it again with that client, so it is filed exactly
/// as if it had been placed (same checks, same idempotent ticket); discarding removes it.
/// </summary>
public sealed class ReviewItems(IReviewStore review, IDeliveryInbox queue, IClientStore clients)
{
    public async Task<IReadOnlyList<ReviewItem>> ListAsync(CancellationToken cancellationToken) =>
        (await review.ListAsync(cancellationToken)).OrderBy(i => i.ReceivedAt, StringComparer.Ordinal).ToList();

    public async Task<ReviewAction> AssignAsync(string id, string clientId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        var item = await review.GetAsync(id, cancellationToken);
        if (item is null) return new ReviewAction.NotFound($"no review item \"{id}\"");
        if (await clients.GetAsync(clientId, cancellationToken) is null) return new ReviewAction.Refused($"no client \"{clientId}\" is set up here");
        if (item.Source is not (WebhookIntake.Generic or Domain.Webhooks.PsaVendors.ConnectWise or Domain.Webhooks.PsaVendors.Autotask or Domain.Webhooks.PsaVendors.HaloPsa))
            return new ReviewAction.Refused($"a {item.Source} delivery cannot be assigned here");
        // Queued first, removed after: a failure between the two leaves the row, and assigning it
        // again files the same ticket (creation is idempotent on client and external id).
        await queue.SendAsync(
            new WebhookDelivery { Source = item.Source, EventId = item.EventId, Raw = item.Raw, ReceivedAt = item.ReceivedAt, AssignedClient = clientId },
            cancellationToken);
        await review.RemoveAsync(id, cancellationToken);
        return new ReviewAction.Done(id);
    }

    public async Task<ReviewAction> DiscardAsync(string id, CancellationToken cancellationToken) =>
        await review.RemoveAsync(id, cancellationToken) ? new ReviewAction.Done(id) : new ReviewAction.NotFound($"no review item \"{id}\"");
}

public abstract record ReviewAction
{
    private ReviewAction() { }

    public sealed record Done(string Id) : ReviewAction;

    public sealed record NotFound(string Error) : ReviewAction;

    public sealed record Refused(string Error) : ReviewAction;
}
