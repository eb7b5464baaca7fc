using System.ClientModel;
using Autotier.Application.Ports;
using Azure.AI.OpenAI;
using Azure.Core;
using Azure.Identity;
using OpenAI.Chat;
using Completion = Autotier.Application.Ports.ChatCompletion;
using DomainMessage = Autotier.Domain.Assistant.ChatMessage;

namespace Autotier.Adapters.Assistant;

/// <summary>
/// Chat completions with a JSON object as the answer on the MSP's own Azure OpenAI deployment, through
/// Azure.AI.OpenAI's <see cref="AzureOpenAIClient"/> (<c>POST {endpoint}/openai/deployments/{deployment}/chat/completions?api-version=...</c>).
/// An API key locally, the app's managed identity (<see cref="DefaultAzureCredential"/>, role
/// "Cognitive Services OpenAI User") in Azure. Each request has the settings' timeout; a 429 is retried
/// only as <see cref="RetryAfterPolicy"/> allows. Failures come out as <see cref="ChatModelException"/>
/// with a kind word (timeout, http N, connection), never with a response body.
/// </summary>
public sealed class AzureOpenAiChat : IChatModel
{
    /// <summary>Retries after a 429, and the longest Retry-After worth waiting for (README "Guard rails").</summary>
    public const int MaxRetries = 2;

    public static readonly TimeSpan MaxRetryWait = TimeSpan.FromSeconds(5);

    private readonly ChatClient client;
    private readonly TimeSpan timeout;

    /// <param name="settings">Where and how long.</param>
    /// <param name="credential">Used when the settings carry no key; null: <see cref="DefaultAzureCredential"/>.</param>
    /// <param name="time">For Retry-After dates and the waits.</param>
    /// <param name="wait">Tests see the waits instead of sleeping them.</param>
    public AzureOpenAiChat(
        AzureOpenAiSettings settings, TokenCredential? credential = null, TimeProvider? time = null, Func<TimeSpan, CancellationToken, Task>? wait = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        timeout = settings.Timeout;
        var options = new AzureOpenAIClientOptions(AzureOpenAiSettings.ServiceVersionOf(settings.ApiVersion))
        {
            NetworkTimeout = settings.Timeout,
            RetryPolicy = new RetryAfterPolicy(MaxRetries, MaxRetryWait, time ?? TimeProvider.System, wait),
        };
        var azure = settings.ApiKey is { } key
            ? new AzureOpenAIClient(settings.Endpoint, new ApiKeyCredential(key), options)
            : new AzureOpenAIClient(
                settings.Endpoint,
                credential ?? new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = settings.ManagedIdentityClientId }),
                options);
        client = azure.GetChatClient(settings.Deployment);
    }

    public async Task<Completion> CompleteJsonAsync(IReadOnlyList<DomainMessage> messages, int maxTokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var chat = messages
            .Select(m => m.Role == DomainMessage.System ? (OpenAI.Chat.ChatMessage)new SystemChatMessage(m.Content) : new UserChatMessage(m.Content))
            .ToArray();
        var options = new ChatCompletionOptions
        {
            ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat(),
            MaxOutputTokenCount = maxTokens,
            Temperature = 0,
        };
        // One bound for the whole call, retries included: NetworkTimeout bounds each try, this the sum,
        // so a ticket never waits longer than the timeout, the allowed Retry-After waits and one more try.
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(timeout * (MaxRetries + 1) + MaxRetryWait * MaxRetries);
        try
        {
            var result = await client.CompleteChatAsync(chat, options, bound.Token);
            var completion = result.Value;
            var text = string.Concat(completion.Content.Where(p => p.Kind == ChatMessageContentPartKind.Text).Select(p => p.Text));
            return new Completion(text.Length == 0 ? null : text, completion.Usage?.TotalTokenCount ?? 0);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ChatModelException("timeout", e);
        }
        catch (ClientResultException e)
        {
            throw new ChatModelException(e.Status == 0 ? "connection" : $"http {e.Status}", e);
        }
        catch (HttpRequestException e)
        {
            throw new ChatModelException("connection", e);
        }
        catch (AuthenticationFailedException e)
        {
            throw new ChatModelException("sign-in", e);
        }
    }
}
