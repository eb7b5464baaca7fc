using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Autotier.LocalHost.Indexing;

/// <summary>What one invocation binds, besides the trigger.</summary>
public sealed record InvocationBindings(
    IServiceProvider Services,
    object? TriggerValue,
    DurableTaskClient? DurableClient,
    CancellationToken CancellationToken,
    IReadOnlyDictionary<string, object?>? RouteValues = null,
    object? OrchestrationInput = null);

/// <summary>
/// Calls a function method as the worker does: a fresh instance of its class per invocation (its
/// constructor dependencies from the app's container, in a scope of its own), the trigger value,
/// a Durable client for <c>[DurableClient]</c>, route values by name, the cancellation token.
/// A parameter the host cannot bind fails at start (the metadata tests keep it so).
/// </summary>
public static class FunctionInvoker
{
    public static bool IsHostSupplied(ParameterInfo parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return parameter.ParameterType == typeof(CancellationToken)
            || parameter.ParameterType == typeof(DurableTaskClient)
            || parameter.ParameterType == typeof(HttpRequest);
    }

    public static async Task<object?> InvokeAsync(FunctionEntry function, InvocationBindings bindings)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(bindings);
        var method = function.Method;
        await using var scope = bindings.Services.CreateAsyncScope();
        var target = method.IsStatic ? null : ActivatorUtilities.CreateInstance(scope.ServiceProvider, method.DeclaringType!);
        var arguments = method.GetParameters().Select(p => Bind(function, p, bindings)).ToArray();
        object? returned;
        try
        {
            returned = method.Invoke(target, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
        try
        {
            return await Unwrap(returned);
        }
        finally
        {
            if (target is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync();
            else if (target is IDisposable disposable) disposable.Dispose();
        }
    }

    /// <summary>The result of a method returning T, Task, Task&lt;T&gt;, ValueTask or ValueTask&lt;T&gt;.</summary>
    public static async Task<object?> Unwrap(object? returned)
    {
        switch (returned)
        {
            case Task task:
                await task;
                var type = task.GetType();
                return type.IsGenericType && type.GetProperty("Result") is { } result && result.PropertyType.Name != "VoidTaskResult"
                    ? result.GetValue(task)
                    : null;
            case ValueTask valueTask:
                await valueTask;
                return null;
            case not null when returned.GetType() is { IsGenericType: true } t && t.GetGenericTypeDefinition() == typeof(ValueTask<>):
                var asTask = (Task)t.GetMethod(nameof(ValueTask<int>.AsTask))!.Invoke(returned, null)!;
                return await Unwrap(asTask);
            default:
                return returned;
        }
    }

    /// <summary>The type a method's result carries once awaited.</summary>
    public static Type ResultType(MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var type = method.ReturnType;
        if (type == typeof(Task) || type == typeof(ValueTask) || type == typeof(void)) return typeof(object);
        if (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>)))
            return type.GetGenericArguments()[0];
        return type;
    }

    private static object? Bind(FunctionEntry function, ParameterInfo parameter, InvocationBindings bindings)
    {
        if (parameter == function.Trigger) return bindings.TriggerValue;
        if (parameter.ParameterType == typeof(CancellationToken)) return bindings.CancellationToken;
        if (parameter.ParameterType == typeof(DurableTaskClient))
            return bindings.DurableClient ?? throw new InvalidOperationException($"{function.Name}: no Durable client in this host");
        if (parameter == function.OrchestrationInput) return bindings.OrchestrationInput;
        if (parameter.ParameterType == typeof(TaskOrchestrationContext)) return bindings.TriggerValue;
        if (bindings.RouteValues is { } route && parameter.Name is { } name && route.TryGetValue(name, out var value))
            return Convert.ChangeType(value, parameter.ParameterType, System.Globalization.CultureInfo.InvariantCulture);
        if (parameter.HasDefaultValue) return parameter.DefaultValue;
        throw new InvalidOperationException($"{function.Name}: the local host cannot bind parameter {parameter.Name} ({parameter.ParameterType.Name})");
    }
}
