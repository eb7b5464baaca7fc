using Autotier.LocalHost.Indexing;
using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Autotier.LocalHost.Durable;

/// <summary>An orchestrator function seen through the SDK's <see cref="ITaskOrchestrator"/>.</summary>
internal sealed class FunctionOrchestrator(FunctionEntry function, IServiceProvider services) : ITaskOrchestrator
{
    public Type InputType => function.OrchestrationInput?.ParameterType ?? typeof(object);

    public Type OutputType => FunctionInvoker.ResultType(function.Method);

    // No ConfigureAwait(false) here: the orchestrator's continuations must stay on the Durable
    // Task Framework's own scheduler, which replays them deterministically.
    public Task<object?> RunAsync(TaskOrchestrationContext context, object? input) =>
        FunctionInvoker.InvokeAsync(function, new InvocationBindings(services, context, null, CancellationToken.None, OrchestrationInput: input));
}

/// <summary>An activity function seen through the SDK's <see cref="ITaskActivity"/>.</summary>
internal sealed class FunctionActivity(FunctionEntry function, IServiceProvider services, DurableTaskClient client, CancellationToken stopping) : ITaskActivity
{
    public Type InputType => function.Trigger.ParameterType;

    public Type OutputType => FunctionInvoker.ResultType(function.Method);

    public Task<object?> RunAsync(TaskActivityContext context, object? input) =>
        FunctionInvoker.InvokeAsync(function, new InvocationBindings(services, input, client, stopping));
}

/// <summary>Makes a fresh shim per work item, as the Functions worker does.</summary>
internal sealed class NamedCreator<T> : ObjectCreator<T>
{
    private readonly Func<T> create;

    public NamedCreator(string name, Func<T> create)
    {
        Name = name;
        Version = string.Empty;
        this.create = create;
    }

    public override T Create() => create();
}

/// <summary>
/// Finds orchestrators and activities by name alone, as the Durable Functions extension does: an
/// instance started with a version (the ticket workflow stamps its own) still runs the function of
/// that name. DTFx's default manager keys by name and version and would find nothing.
/// </summary>
internal sealed class ByNameObjectManager<T> : INameVersionObjectManager<T>
{
    private readonly Dictionary<string, ObjectCreator<T>> creators = new(StringComparer.Ordinal);

    public void Add(ObjectCreator<T> creator)
    {
        ArgumentNullException.ThrowIfNull(creator);
        if (!creators.TryAdd(creator.Name, creator)) throw new InvalidOperationException($"{creator.Name} is registered twice");
    }

    public T? GetObject(string name, string? version) => creators.TryGetValue(name, out var creator) ? creator.Create() : default;
}
