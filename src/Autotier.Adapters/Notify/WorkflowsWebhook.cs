using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Autotier.Application.Ports;

namespace Autotier.Adapters.Notify;

/// <summary>
/// Posts to a Teams Workflows webhook ("When a Teams webhook request is received"), which answers
/// 202 Accepted; any 2xx is success. The URL is a secret (its <c>sig=</c> signs the trigger): no
/// error here names it, only what went wrong. HttpClient is used as is: the card is one POST, and
/// a failure is retried by the alert queue, not here, so no resilience pipeline is needed.
/// </summary>
public sealed class WorkflowsWebhook(HttpClient http, TimeSpan? timeout = null) : IChatWebhook
{
    private readonly TimeSpan timeout = timeout ?? TimeSpan.FromSeconds(10);

    public async Task PostAsync(Uri url, JsonObject message, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsJsonAsync(url, message, limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ChatWebhookException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"the webhook did not answer within {timeout.TotalSeconds:0.#} s"));
        }
        catch (HttpRequestException e)
        {
            // HttpClient's messages name the host and sometimes the URL: only the kind is kept.
            var code = e.InnerException is SocketException socket ? $" ({socket.SocketErrorCode})" : e.HttpRequestError == HttpRequestError.Unknown ? "" : $" ({e.HttpRequestError})";
            throw new ChatWebhookException($"the webhook could not be reached{code}");
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
                throw new ChatWebhookException($"the webhook answered HTTP {(int)response.StatusCode}") { Status = (int)response.StatusCode };
        }
    }
}
