using Autotier.Domain.Assistant;

namespace Autotier.Application.Ports;

/// <summary>One chat completion whose answer is a JSON object: what an adapter to a model does.</summary>
public interface IChatModel
{
    /// <summary>
    /// The completion, or an exception: <see cref="ChatModelException"/> with a kind word for what the
    /// adapter recognised (timeout, an HTTP status), anything else for what it did not.
    /// </summary>
    Task<ChatCompletion> CompleteJsonAsync(IReadOnlyList<ChatMessage> messages, int maxTokens, CancellationToken cancellationToken);
}

/// <param name="Content">The message content as the model wrote it (JSON text, not yet validated).</param>
/// <param name="Tokens">Prompt and completion tokens together, as the service counted them.</param>
public sealed record ChatCompletion(string? Content, int Tokens);

/// <summary>A failed completion, with a kind fit to log: never a prompt, an answer or a response body.</summary>
public sealed class ChatModelException : Exception
{
    public ChatModelException()
        : this("error")
    {
    }

    public ChatModelException(string kind)
        : this(kind, null)
    {
    }

    public ChatModelException(string kind, Exception? innerException)
        : base($"chat completion failed: {kind}", innerException) => Kind = kind;

    /// <summary><c>timeout</c>, <c>http 429</c>, <c>http 500</c>, <c>connection</c>, ...</summary>
    public string Kind { get; }
}
