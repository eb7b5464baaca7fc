using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Autotier.Functions.Composition;
using Autotier.LocalHost;
using Autotier.LocalHost.Indexing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;
using Microsoft.DurableTask;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Autotier.UnitTests.Metadata;

/// <summary>
/// What the Functions host would refuse at indexing, or bind differently from the local host,
/// checked over every [Function] in the app, since CI never runs the real host.
/// </summary>
public sealed partial class FunctionMetadataTests
{
    private static readonly IReadOnlyList<FunctionEntry> Functions = FunctionCatalog.Scan(typeof(AutotierServices).Assembly);

    [Fact]
    public void The_app_has_the_first_slice_functions()
    {
        var names = Functions.Select(f => f.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "health", "createTicket", "getTicket", "startTicket", "ticketOrchestrator", "acknowledgeTicket" }, names);
    }

    [Fact]
    public void Function_names_are_unique_ignoring_case_and_valid()
    {
        var duplicates = Functions.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key);
        Assert.Empty(duplicates);
        Assert.All(Functions, f => Assert.Matches(FunctionName(), f.Name));
    }

    [Fact]
    public void Http_routes_parse_are_unique_per_method_and_avoid_the_hosts_reserved_prefixes()
    {
        var seen = new HashSet<string>();
        foreach (var function in Functions.Where(f => f.Kind == TriggerKind.Http))
        {
            var trigger = (HttpTriggerAttribute)function.TriggerAttribute;
            var route = trigger.Route ?? function.Name;
            Assert.False(route.StartsWith('/'), $"{function.Name}: the route must be relative to the prefix");
            Assert.False(route.StartsWith("admin", StringComparison.OrdinalIgnoreCase) || route.StartsWith("runtime", StringComparison.OrdinalIgnoreCase), function.Name);
            var pattern = RoutePatternFactory.Parse(route);
            Assert.NotNull(trigger.Methods);
            foreach (var method in trigger.Methods!)
            {
                var key = $"{method.ToUpperInvariant()} {Regex.Replace(route, "{[^}]+}", "{}")}";
                Assert.True(seen.Add(key), $"{function.Name}: {key} is mapped twice");
            }
            // Every route value the method takes by name exists in the template (the worker would pass null).
            var routeNames = pattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var bound = function.Method.GetParameters()
                .Where(p => p != function.Trigger && !FunctionInvoker.IsHostSupplied(p) && p.GetCustomAttributes().All(a => a.GetType().Namespace?.StartsWith("Microsoft.Azure.Functions", StringComparison.Ordinal) != true))
                .Select(p => p.Name!);
            Assert.All(bound, n => Assert.Contains(n, routeNames));
        }
    }

    [Fact]
    public void Orchestrators_take_the_context_then_a_typed_input_and_return_a_task()
    {
        foreach (var function in Functions.Where(f => f.Kind == TriggerKind.Orchestration))
        {
            var parameters = function.Method.GetParameters();
            Assert.Equal(typeof(TaskOrchestrationContext), parameters[0].ParameterType);
            Assert.Equal(function.Trigger, parameters[0]);
            Assert.Equal(2, parameters.Length);
            AssertTyped(function.Name, parameters[1].ParameterType);
            Assert.Equal(parameters[1], function.OrchestrationInput);
            Assert.True(typeof(Task).IsAssignableFrom(function.Method.ReturnType), $"{function.Name} must return a Task");
            Assert.True(function.Method.IsStatic, $"{function.Name}: orchestrators hold no injected services (they must replay deterministically)");
        }
    }

    [Fact]
    public void Activities_and_queue_triggers_take_a_typed_input()
    {
        foreach (var function in Functions.Where(f => f.Kind is TriggerKind.Activity or TriggerKind.Queue))
            AssertTyped(function.Name, function.Trigger.ParameterType);
    }

    [Fact]
    public void No_function_has_an_output_binding()
    {
        foreach (var function in Functions)
        {
            var attributes = function.Method.GetCustomAttributes()
                .Concat(function.Method.ReturnParameter.GetCustomAttributes())
                .Concat(function.Method.GetParameters().SelectMany(p => p.GetCustomAttributes()));
            Assert.DoesNotContain(attributes, a => a is OutputBindingAttribute);
        }
    }

    [Fact]
    public void Every_parameter_is_one_the_local_host_binds()
    {
        foreach (var function in Functions)
        {
            foreach (var parameter in function.Method.GetParameters())
            {
                var known = parameter == function.Trigger
                    || FunctionInvoker.IsHostSupplied(parameter)
                    || parameter == function.OrchestrationInput
                    || (function.Kind == TriggerKind.Http && parameter.ParameterType == typeof(string));
                Assert.True(known, $"{function.Name}: parameter {parameter.Name} ({parameter.ParameterType.Name}) is not bound by the local host");
            }
        }
    }

    [Fact]
    public void Queue_names_resolve_from_the_default_settings_to_valid_queue_names()
    {
        var settings = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["AUTOTIER_INTAKE_QUEUE"] = "autotier-intake", ["AUTOTIER_TIER_QUEUE_PREFIX"] = "autotier-tier" }).Build();
        foreach (var function in Functions.Where(f => f.Kind == TriggerKind.Queue))
        {
            var name = HostJson.Resolve(((QueueTriggerAttribute)function.TriggerAttribute).QueueName, settings);
            Assert.Matches(QueueName(), name);
        }
    }

    /// <summary>
    /// The SDK's own indexer wrote functions.metadata at build time: the local host's catalog must
    /// name the same functions with the same trigger types, or one host runs what the other does not.
    /// </summary>
    [Fact]
    public void The_catalog_matches_the_functions_metadata_the_sdk_generated()
    {
        // The Functions project's own output of this build's configuration, never a file from another
        // configuration. (The SDK rewrites it only when its content changes, so its age says nothing.)
        var configuration = Directory.GetParent(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar))!.Name;
        var output = Path.Combine(RepositoryRoot.Find(), "src", "Autotier.Functions", "bin", configuration, "net10.0");
        var metadataFile = Path.Combine(output, "functions.metadata");
        Assert.True(File.Exists(metadataFile), $"{metadataFile} is missing: build without AutotierFastBuild, which skips the SDK's indexer");
        using var document = JsonDocument.Parse(File.ReadAllText(metadataFile));
        var generated = document.RootElement.EnumerateArray().ToDictionary(
            f => f.GetProperty("name").GetString()!,
            f => f.GetProperty("bindings").EnumerateArray().First(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal)).GetProperty("type").GetString());
        Assert.Equal(generated.Keys.Order(), Functions.Select(f => f.Name).Order());
        foreach (var function in Functions)
        {
            var expected = function.Kind switch
            {
                TriggerKind.Http => "httpTrigger",
                TriggerKind.Queue => "queueTrigger",
                TriggerKind.Timer => "timerTrigger",
                TriggerKind.Orchestration => "orchestrationTrigger",
                TriggerKind.Activity => "activityTrigger",
                _ => "?",
            };
            Assert.Equal(expected, generated[function.Name]);
        }
    }

    private static void AssertTyped(string function, Type type)
    {
        Assert.False(
            type == typeof(object) || type == typeof(JsonElement) || type == typeof(System.Text.Json.Nodes.JsonNode) || type == typeof(string) || type == typeof(byte[]),
            $"{function}: its input must be a typed record, not {type.Name} (in the engine's shim GetInput<T>() is a bare cast)");
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,127}$")]
    private static partial Regex FunctionName();

    [GeneratedRegex("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial Regex QueueName();
}
