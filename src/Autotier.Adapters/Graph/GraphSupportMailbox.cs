using Autotier.Application.Mail;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;

namespace Autotier.Adapters.Graph;

/// <summary>
/// The support mailbox through the Graph SDK. Messages are read from the configured mailbox only:
/// a notification supplies a message id, never the mailbox.
/// </summary>
public sealed class GraphSupportMailbox(GraphServiceClient graph, string mailbox) : IGraphMailbox
{
    public string Resource => $"/users/{Uri.EscapeDataString(mailbox)}/mailFolders('inbox')/messages";

    public async Task<byte[]?> GetMimeAsync(string messageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        try
        {
            await using var stream = await graph.Users[mailbox].Messages[messageId].Content.GetAsync(cancellationToken: cancellationToken);
            if (stream is null) return null;
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, cancellationToken);
            return copy.ToArray();
        }
        catch (ODataError e) when (e.ResponseStatusCode == 404)
        {
            return null;
        }
    }

    public async Task<GraphSubscription> SubscribeAsync(GraphSubscriptionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var created = await graph.Subscriptions.PostAsync(new Subscription
        {
            ChangeType = "created",
            NotificationUrl = request.NotificationUrl,
            LifecycleNotificationUrl = request.LifecycleNotificationUrl,
            Resource = Resource,
            ExpirationDateTime = request.ExpiresAt,
            ClientState = request.ClientState,
        }, cancellationToken: cancellationToken) ?? throw new InvalidOperationException("Graph created no subscription");
        return new GraphSubscription(created.Id ?? "", created.Resource ?? Resource, created.ExpirationDateTime ?? request.ExpiresAt);
    }

    public async Task<GraphSubscription?> RenewAsync(string id, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        try
        {
            var renewed = await graph.Subscriptions[id].PatchAsync(new Subscription { ExpirationDateTime = expiresAt }, cancellationToken: cancellationToken);
            return renewed is null ? null : new GraphSubscription(renewed.Id ?? id, renewed.Resource ?? Resource, renewed.ExpirationDateTime ?? expiresAt);
        }
        catch (ODataError e) when (e.ResponseStatusCode == 404)
        {
            return null;
        }
    }
}
