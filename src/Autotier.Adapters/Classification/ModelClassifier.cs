using Autotier.Application.Ports;
using Autotier.Domain.Classification;
using Autotier.Domain.Classification.Model;
using Autotier.Domain.Clients;

namespace Autotier.Adapters.Classification;

/// <summary>
/// The whole classifier over one category model in hand (the CLI's, or the one a client's tickets
/// use at the moment): the safety screen, the built-in danger check, rules and calibration, then
/// the client's threshold, SLA tier and VIP list.
/// </summary>
public sealed class ModelClassifier(TextClassifier model) : ITicketClassifier
{
    public TextClassifier Model => model;

    public ValueTask<TicketClassification> ClassifyAsync(
        string subject, string body, ClientProfile client, string? requesterEmail, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Classify(model, subject, body, client, requesterEmail));

    public static TicketClassification Classify(ICategoryModel model, string subject, string body, ClientProfile client, string? requesterEmail)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(model);
        // The built-in calibration was fitted on the built-in model's scores; another model's
        // probabilities are its own (its temperature was fitted when it was trained).
        var options = ReferenceEquals(model, BuiltInModel.Load())
            ? BuiltInModel.Options(client.AutoThreshold)
            : BuiltInModel.Options(client.AutoThreshold, model) with { Calibration = null };
        var c = TicketClassifier.Classify(subject, body, options);
        c = TicketClassifier.AdjustForSlaTier(c, client.SlaTier);
        var vip = requesterEmail is not null
            && client.VipEmails.Contains(requesterEmail.Trim().ToLowerInvariant(), StringComparer.Ordinal);
        return TicketClassifier.ForVip(c, vip);
    }
}
