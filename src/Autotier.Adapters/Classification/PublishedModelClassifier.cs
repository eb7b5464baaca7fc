using System.Collections.Concurrent;
using Autotier.Adapters.Blobs;
using Autotier.Application.Ports;
using Autotier.Domain.Classification;
using Autotier.Domain.Classification.Model;
using Autotier.Domain.Clients;
using Microsoft.Extensions.Logging;

namespace Autotier.Adapters.Classification;

/// <summary>
/// The classifier intake runs: the client's published model (else the deployment's, else the
/// built-in one) behind the safety screen, the danger check and the rules, then the client's SLA
/// tier and VIP list. A client's model is looked up at most once every <see cref="Refresh"/>, so a
/// model published with <c>autotier classifier train --publish</c> is in use within that time
/// without a restart, and storage trouble never fails a ticket: it is classified with the model
/// in hand, or the built-in one.
/// </summary>
public sealed partial class PublishedModelClassifier(ModelSource models, TimeProvider time, ILogger<PublishedModelClassifier> logger) : ITicketClassifier
{
    public static readonly TimeSpan Refresh = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Cached> cache = new(StringComparer.Ordinal);

    public async ValueTask<TicketClassification> ClassifyAsync(
        string subject, string body, ClientProfile client, string? requesterEmail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var model = await ModelForAsync(client.ClientId, cancellationToken);
        return ModelClassifier.Classify(model, subject, body, client, requesterEmail);
    }

    private async ValueTask<TextClassifier> ModelForAsync(string clientId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (cache.TryGetValue(clientId, out var cached) && now - cached.At < Refresh) return cached.Model;
        try
        {
            var model = await models.LoadAsync(clientId, cancellationToken);
            cache[clientId] = new Cached(model, now);
            return model;
        }
        catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException or TimeoutException or InvalidDataException)
        {
            LogStorageTrouble(logger, clientId, e.GetType().Name);
            var fallback = cached?.Model ?? BuiltInModel.Load();
            // Try storage again after a minute, not on every ticket of an outage.
            cache[clientId] = new Cached(fallback, now - Refresh + TimeSpan.FromMinutes(1));
            return fallback;
        }
    }

    private sealed record Cached(TextClassifier Model, DateTimeOffset At);

    [LoggerMessage(Level = LogLevel.Warning, Message = "client {ClientId}: published models could not be read ({Error}); classifying with the model in hand")]
    private static partial void LogStorageTrouble(ILogger logger, string clientId, string error);
}
