using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Autotier.TestSupport.Fakes;

/// <summary>One request as it reached the fake: what left the app.</summary>
public sealed record RecordedChatRequest(
    string Path, string? ApiVersion, string? ApiKey, string? Authorization, string Raw, JsonElement Body)
{
    public string SystemPrompt =>
        Body.GetProperty("messages").EnumerateArray().First(m => m.GetProperty("role").GetString() == "system").GetProperty("content").GetString() ?? "";
}

/// <summary>What the fake answers to one request.</summary>
public abstract record FakeChatReply
{
    /// <summary>A completion whose message content is <paramref name="Content"/>.</summary>
    public sealed record Completion(string Content, int Tokens = 100) : FakeChatReply;

    /// <summary>An HTTP error with the service's error body.</summary>
    public sealed record Status(int Code, IReadOnlyDictionary<string, string>? Headers = null) : FakeChatReply;

    /// <summary>No answer at all until the client gives up.</summary>
    public sealed record Hang : FakeChatReply;

    /// <summary>A completion whose content is <paramref name="value"/> as JSON.</summary>
    public static Completion Json(object value, int tokens = 100) => new(JsonSerializer.Serialize(value), tokens);
}

/// <summary>
/// A local server that speaks the Azure OpenAI chat-completions API
/// (<c>POST /openai/deployments/{deployment}/chat/completions?api-version=...</c>, <c>api-key</c> or a
/// bearer token; the response shape of the documented API), so the real Azure.AI.OpenAI client runs
/// against it (a port of tests/support/fakeAzureOpenAi.ts). It records every request and answers from
/// a script (<see cref="Next"/>, one per request), else from <see cref="Answer"/>, else a 500.
/// Written on Kestrel rather than WireMock.Net: a reply that hangs until the client gives up and the
/// raw body of each request are one line each here.
/// </summary>
public sealed class FakeAzureOpenAi : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<FakeChatReply> script = new();
    private readonly ConcurrentQueue<RecordedChatRequest> requests = new();

    private FakeAzureOpenAi(WebApplication app, string deployment)
    {
        this.app = app;
        Deployment = deployment;
    }

    public string Deployment { get; }

    public Uri Endpoint { get; private set; } = null!;

    public IReadOnlyList<RecordedChatRequest> Requests => [.. requests];

    /// <summary>The answer when nothing is scripted.</summary>
    public Func<RecordedChatRequest, FakeChatReply> Answer { get; set; } = _ => new FakeChatReply.Status(500);

    /// <summary>Answers for the next requests, in order.</summary>
    public void Next(params FakeChatReply[] replies)
    {
        ArgumentNullException.ThrowIfNull(replies);
        foreach (var reply in replies) script.Enqueue(reply);
    }

    public void Reset()
    {
        script.Clear();
        requests.Clear();
        Answer = _ => new FakeChatReply.Status(500);
    }

    public static async Task<FakeAzureOpenAi> StartAsync(string deployment = "autotier-chat")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeAzureOpenAi(app, deployment);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        var address = app.Urls.First();
        fake.Endpoint = new Uri(address);
        return fake;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Method != "POST" || request.Path != $"/openai/deployments/{Deployment}/chat/completions")
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsJsonAsync(new { error = new { code = "DeploymentNotFound", message = "no such deployment" } });
            return;
        }
        using var reader = new StreamReader(request.Body);
        var raw = await reader.ReadToEndAsync(context.RequestAborted);
        using var body = JsonDocument.Parse(raw);
        var recorded = new RecordedChatRequest(
            request.Path,
            request.Query["api-version"].FirstOrDefault(),
            request.Headers["api-key"].FirstOrDefault(),
            request.Headers.Authorization.FirstOrDefault(),
            raw,
            body.RootElement.Clone());
        requests.Enqueue(recorded);
        var reply = script.TryDequeue(out var next) ? next : Answer(recorded);
        switch (reply)
        {
            case FakeChatReply.Hang:
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            case FakeChatReply.Completion completion:
                await context.Response.WriteAsJsonAsync(new
                {
                    id = $"chatcmpl-{requests.Count}",
                    @object = "chat.completion",
                    created = 1772445600,
                    model = "gpt-4o-mini",
                    choices = new[]
                    {
                        new { index = 0, message = new { role = "assistant", content = completion.Content }, finish_reason = "stop" },
                    },
                    usage = new { prompt_tokens = completion.Tokens - 10, completion_tokens = 10, total_tokens = completion.Tokens },
                });
                return;
            case FakeChatReply.Status status:
                context.Response.StatusCode = status.Code;
                foreach (var (name, value) in status.Headers ?? new Dictionary<string, string>())
                    context.Response.Headers[name] = value;
                await context.Response.WriteAsJsonAsync(new { error = new { code = status.Code.ToString(System.Globalization.CultureInfo.InvariantCulture), message = "scripted" } });
                return;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync(TimeSpan.FromSeconds(2));
        await app.DisposeAsync();
    }
}
