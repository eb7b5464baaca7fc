using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace Autotier.LocalHost.Indexing;

public enum TriggerKind
{
    Http,
    Queue,
    Timer,
    Orchestration,
    Activity,
}

/// <summary>One <c>[Function]</c> method, found by reflection the way the Functions host indexes it.</summary>
public sealed record FunctionEntry(string Name, MethodInfo Method, TriggerKind Kind, ParameterInfo Trigger, Attribute TriggerAttribute)
{
    /// <summary>
    /// The orchestrator's input: its one parameter that is neither the trigger nor something the
    /// host supplies (the Durable worker extension binds it the same way).
    /// </summary>
    public ParameterInfo? OrchestrationInput => Kind == TriggerKind.Orchestration
        ? Method.GetParameters().FirstOrDefault(p => p != Trigger && !FunctionInvoker.IsHostSupplied(p))
        : null;
}

/// <summary>
/// Finds every <c>[Function]</c> in an assembly and what triggers it. The local host runs exactly
/// these; the metadata tests check them against what the Functions host would refuse at indexing.
/// </summary>
public static class FunctionCatalog
{
    public static IReadOnlyList<FunctionEntry> Scan(params Assembly[] assemblies)
    {
        ArgumentNullException.ThrowIfNull(assemblies);
        var entries = new List<FunctionEntry>();
        foreach (var type in assemblies.SelectMany(a => a.GetExportedTypes()))
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                if (method.GetCustomAttribute<FunctionAttribute>() is not { } function) continue;
                entries.Add(Describe(function.Name, method));
            }
        }
        return entries;
    }

    private static FunctionEntry Describe(string name, MethodInfo method)
    {
        foreach (var parameter in method.GetParameters())
        {
            foreach (var attribute in parameter.GetCustomAttributes())
            {
                TriggerKind? kind = attribute switch
                {
                    HttpTriggerAttribute => TriggerKind.Http,
                    QueueTriggerAttribute => TriggerKind.Queue,
                    TimerTriggerAttribute => TriggerKind.Timer,
                    OrchestrationTriggerAttribute => TriggerKind.Orchestration,
                    ActivityTriggerAttribute => TriggerKind.Activity,
                    _ => null,
                };
                if (kind is { } k) return new FunctionEntry(name, method, k, parameter, attribute);
            }
        }
        throw new InvalidOperationException($"function {name} ({method.DeclaringType?.Name}.{method.Name}) has no trigger this host knows");
    }
}
