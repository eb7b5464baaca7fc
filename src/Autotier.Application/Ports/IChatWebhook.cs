using System.Text.Json.Nodes;

namespace Autotier.Application.Ports;

/// <summary>Posts a message to a chat webhook (a Teams Workflows trigger).</summary>
public interface IChatWebhook
{
    /// <summary>
    /// Throws <see cref="ChatWebhookException"/> on anything but a 2xx answer in time. The URL is a
    /// secret (it carries the trigger's signature): no exception or log names it.
    /// </summary>
    Task PostAsync(Uri url, JsonObject message, CancellationToken cancellationToken);
}

/// <summary>A webhook post that failed; the message says what went wrong and never names the URL.</summary>
public sealed class ChatWebhookException : Exception
{
    public ChatWebhookException() { }

    public ChatWebhookException(string message) : base(message) { }

    public ChatWebhookException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The HTTP status the webhook answered, when it answered.</summary>
    public int? Status { get; init; }
}
