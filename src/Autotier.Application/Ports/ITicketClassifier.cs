using Autotier.Domain.Classification;
using Autotier.Domain.Clients;

namespace Autotier.Application.Ports;

/// <summary>
/// The classifier as intake and the CLI use it: the client's model (or the built-in one), the
/// safety screen and danger check, rules and calibration behind one call. CPU only, microseconds,
/// once the client's model is in hand (it is cached): intake calls it in the request.
/// </summary>
public interface ITicketClassifier
{
    /// <param name="subject">Masked text (passwords and codes already hidden).</param>
    /// <param name="body">Masked text; the classifier cleans quoted history, signatures and HTML itself.</param>
    ValueTask<TicketClassification> ClassifyAsync(
        string subject, string body, ClientProfile client, string? requesterEmail, CancellationToken cancellationToken);
}
