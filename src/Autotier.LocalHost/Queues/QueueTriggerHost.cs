using System.Text.Json;
using Autotier.Application.Json;
using Autotier.LocalHost.Indexing;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Specialized;
using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Autotier.LocalHost.Queues;

/// <summary>
/// Runs every <c>[QueueTrigger]</c> function the way the Functions host's queue listener does, so a
/// function that behaves here behaves on Azure: base64 messages, batches of <c>batchSize</c> with a
/// new batch fetched once in-flight work drops to <c>newBatchThreshold</c>, a processing lease,
/// delete on success, retry after <c>visibilityTimeout</c> on failure, and after
/// <c>maxDequeueCount</c> failed attempts the message moves to <c>&lt;queue&gt;-poison</c>.
/// Empty polls back off exponentially from 100 ms to <c>maxPollingInterval</c>.
/// </summary>
/// <remarks>
/// The <see cref="QueueServiceClient"/> must encode messages as base64 (create it with
/// <see cref="CreateClientOptions"/>), as the host's default <c>messageEncoding</c> does; the
/// <see cref="TimeProvider"/> only paces polling, so give it the system clock even when the app runs
/// on a virtual one (a held clock would stall every queue).
/// </remarks>
public sealed partial class QueueTriggerHost : BackgroundService
{
    /// <summary>
    /// How long a received message stays invisible while its function runs: the host's own
    /// processing lease, 10 minutes, the same as <c>functionTimeout</c>, so no lease renewal is needed.
    /// </summary>
    public static readonly TimeSpan ProcessingLease = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan MinimumPollingInterval = TimeSpan.FromMilliseconds(100);

    // Deleting, releasing or moving a message after its invocation must happen even while the
    // host stops (or it is retried for nothing), but not hang a shutdown if storage is gone.
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(30);

    private readonly IReadOnlyList<FunctionEntry> _functions;
    private readonly QueueServiceClient _queues;
    private readonly IServiceProvider _services;
    private readonly DurableTaskClient? _durable;
    private readonly QueueHostOptions _options;
    private readonly IConfiguration _settings;
    private readonly TimeProvider _time;
    private readonly ILogger<QueueTriggerHost> _logger;

    public QueueTriggerHost(
        IEnumerable<FunctionEntry> functions,
        QueueServiceClient queues,
        IServiceProvider services,
        DurableTaskClient? durable,
        QueueHostOptions options,
        IConfiguration settings,
        TimeProvider time,
        ILogger<QueueTriggerHost> logger)
    {
        ArgumentNullException.ThrowIfNull(functions);
        _functions = [.. functions.Where(f => f.Kind == TriggerKind.Queue)];
        _queues = queues ?? throw new ArgumentNullException(nameof(queues));
        _services = services ?? throw new ArgumentNullException(nameof(services));
        _durable = durable;
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        if (_options.BatchSize is < 1 or > 32) throw new ArgumentOutOfRangeException(nameof(options), "batchSize must be 1 to 32, as the host requires");
        if (_options.MaxDequeueCount < 1) throw new ArgumentOutOfRangeException(nameof(options), "maxDequeueCount must be at least 1");
    }

    /// <summary>
    /// Client options matching the host's default <c>messageEncoding</c> (base64). A message that is
    /// not base64 cannot be bound at all: as the host does, it goes to <c>&lt;queue&gt;-poison</c>
    /// (its text as it was) and is deleted, instead of failing every receive of its batch.
    /// </summary>
    public static QueueClientOptions CreateClientOptions()
    {
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        options.MessageDecodingFailed += async args =>
        {
            if (args.ReceivedMessage is not { } message) return;
            // The poison queue's client encodes as this one does, so readers of it get the text back.
            var poison = args.Queue.GetParentQueueServiceClient().GetQueueClient(args.Queue.Name + "-poison");
            await poison.CreateIfNotExistsAsync().ConfigureAwait(false);
            await poison.SendMessageAsync(message.Body).ConfigureAwait(false);
            await args.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt).ConfigureAwait(false);
        };
        return options;
    }

    /// <summary>The queue a function listens on, with <c>%SETTING%</c> resolved.</summary>
    public static string QueueName(FunctionEntry function, IConfiguration settings)
    {
        ArgumentNullException.ThrowIfNull(function);
        var attribute = function.TriggerAttribute as QueueTriggerAttribute
            ?? throw new ArgumentException($"{function.Name} is not a queue-triggered function", nameof(function));
        return HostJson.Resolve(attribute.QueueName, settings);
    }

    /// <summary>
    /// Creates every listened-to queue before the host counts as started, so app code that sends
    /// right after startup never finds its queue missing.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var name in _functions.Select(f => QueueName(f, _settings)).Distinct(StringComparer.Ordinal))
            await _queues.GetQueueClient(name).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_functions.Select(f => Task.Run(() => ListenAsync(f, stoppingToken), CancellationToken.None)));

    private async Task ListenAsync(FunctionEntry function, CancellationToken stoppingToken)
    {
        var queueName = QueueName(function, _settings);
        var queue = _queues.GetQueueClient(queueName);
        var poison = _queues.GetQueueClient(queueName + "-poison");
        var inFlight = new HashSet<Task>();
        var delay = MinimumPollingInterval;
        var created = true; // by StartAsync
        LogListening(_logger, function.Name, queueName);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                inFlight.RemoveWhere(t => t.IsCompleted);
                if (inFlight.Count > _options.NewBatchThreshold)
                {
                    await Task.WhenAny(inFlight).WaitAsync(stoppingToken).ConfigureAwait(false);
                    continue;
                }
                QueueMessage[] messages;
                try
                {
                    if (!created)
                    {
                        await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
                        created = true;
                    }
                    messages = (await queue.ReceiveMessagesAsync(_options.BatchSize, ProcessingLease, stoppingToken).ConfigureAwait(false)).Value;
                }
                catch (RequestFailedException e) when (e.ErrorCode == QueueErrorCode.QueueNotFound.ToString())
                {
                    // Deleted under us (a test reset, a cleared emulator): the host recreates it.
                    created = false;
                    LogPollFailed(_logger, e, function.Name, queueName);
                    messages = [];
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // Storage unreachable for a moment (Azurite restarting), a timeout, anything
                    // else: keep polling, slower. A listener that stopped here would never poll again.
                    LogPollFailed(_logger, e, function.Name, queueName);
                    messages = [];
                }
                if (messages.Length == 0)
                {
                    await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, Math.Max(_options.MaxPollingInterval.Ticks, MinimumPollingInterval.Ticks)));
                    continue;
                }
                delay = MinimumPollingInterval;
                foreach (var message in messages) inFlight.Add(ProcessAsync(function, queue, poison, message, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: receive nothing more, and let what is running finish below.
        }
        await Task.WhenAll(inFlight).ConfigureAwait(false);
        LogStopped(_logger, function.Name);
    }

    /// <summary>Runs one message and settles it; never throws (a failure is the message's fate, not the poller's).</summary>
    private async Task ProcessAsync(FunctionEntry function, QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken stoppingToken)
    {
        // Yield first so one slow bind or invocation never holds up the poller's loop.
        await Task.Yield();
        if (message.DequeueCount > _options.MaxDequeueCount)
        {
            // Already attempted enough (a previous run died mid-invocation): the host moves it
            // to the poison queue without invoking it again.
            await SettleAsync(ct => MoveToPoisonAsync(queue, poison, message, function.Name, ct)).ConfigureAwait(false);
            return;
        }
        try
        {
            var value = Bind(function, message);
            await FunctionInvoker.InvokeAsync(function, new InvocationBindings(_services, value, _durable, stoppingToken)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException && stoppingToken.IsCancellationRequested)
        {
            // Cut short by the shutdown, not failed: visible again at once for the next run.
            LogCancelled(_logger, function.Name, message.MessageId);
            await SettleAsync(ct => queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: ct)).ConfigureAwait(false);
            return;
        }
#pragma warning disable CA1031 // A function may throw anything; each failure is the message's to count.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogInvocationFailed(_logger, e, function.Name, message.MessageId, message.DequeueCount, _options.MaxDequeueCount);
            if (message.DequeueCount >= _options.MaxDequeueCount)
                await SettleAsync(ct => MoveToPoisonAsync(queue, poison, message, function.Name, ct)).ConfigureAwait(false);
            else
                await SettleAsync(ct => queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: _options.VisibilityTimeout, cancellationToken: ct)).ConfigureAwait(false);
            return;
        }
        await SettleAsync(ct => queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct)).ConfigureAwait(false);
    }

    private async Task<Response> MoveToPoisonAsync(QueueClient queue, QueueClient poison, QueueMessage message, string functionName, CancellationToken cancellationToken)
    {
        await poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        // The same bytes, so the same base64 text as the original.
        await poison.SendMessageAsync(message.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
        LogPoisoned(_logger, functionName, message.MessageId, poison.Name);
        return await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
    }

    private async Task SettleAsync<T>(Func<CancellationToken, Task<T>> settle)
    {
        using var timeout = new CancellationTokenSource(SettleTimeout);
        try
        {
            await settle(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RequestFailedException or HttpRequestException or OperationCanceledException or AggregateException)
        {
            // The lease may have run out (the message is then someone else's) or storage is
            // gone; either way the message comes back by itself once its visibility ends.
            LogSettleFailed(_logger, e);
        }
    }

    /// <summary>
    /// The trigger parameter's value, as the worker's queue converters bind it: the text, the
    /// bytes, the message itself, or a POCO read from JSON with the app's one set of options.
    /// </summary>
    public static object? Bind(FunctionEntry function, QueueMessage message)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(message);
        var type = function.Trigger.ParameterType;
        if (type == typeof(string)) return message.Body.ToString();
        if (type == typeof(BinaryData)) return message.Body;
        if (type == typeof(byte[])) return message.Body.ToArray();
        if (type == typeof(QueueMessage)) return message;
        try
        {
            return JsonSerializer.Deserialize(message.Body, type, AutotierJson.Options);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"{function.Name}: message {message.MessageId} is not JSON for {type.Name}: {e.Message}", e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Function}: listening on queue {Queue}")]
    private static partial void LogListening(ILogger logger, string function, string queue);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Function}: queue listener stopped")]
    private static partial void LogStopped(ILogger logger, string function);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Function}: polling {Queue} failed; retrying")]
    private static partial void LogPollFailed(ILogger logger, Exception exception, string function, string queue);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Function}: message {MessageId} failed (attempt {DequeueCount} of {MaxDequeueCount})")]
    private static partial void LogInvocationFailed(ILogger logger, Exception exception, string function, string messageId, long dequeueCount, int maxDequeueCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Function}: message {MessageId} released, the host is stopping")]
    private static partial void LogCancelled(ILogger logger, string function, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Function}: message {MessageId} moved to {PoisonQueue}")]
    private static partial void LogPoisoned(ILogger logger, string function, string messageId, string poisonQueue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "settling a queue message failed; it becomes visible again when its lease ends")]
    private static partial void LogSettleFailed(ILogger logger, Exception exception);
}
