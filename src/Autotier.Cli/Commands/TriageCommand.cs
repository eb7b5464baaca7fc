using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Autotier.Domain.Classification;
using Autotier.Domain.Clients;

namespace Autotier.Cli.Commands;

/// <summary>
/// <c>autotier triage --in F.jsonl [--out R.jsonl] [--model M] [--threshold 0.6]</c>: the dry run,
/// what autotier would do with each ticket, with no side effects. Input lines are
/// <c>{id?, subject, body, clientId?, requesterEmail?}</c>; output lines
/// <c>{id, category, priority, confidence, route, tier, playbook?, reasons}</c> as the TypeScript CLI writes them.
/// </summary>
public static class TriageCommand
{
    private const int MaxLineBytes = 1024 * 1024;

    public static Command Build(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = new Option<string>("--in") { Description = "tickets, one JSON object a line", Required = true };
        var output = new Option<string?>("--out") { Description = "where to write the results (default: standard output)" };
        var model = new Option<string?>("--model") { Description = "a model file (default: the built-in model)" };
        var threshold = new Option<double>("--threshold") { Description = "automation threshold", DefaultValueFactory = _ => 0.6 };
        var command = new Command("triage", "what autotier would do with each ticket (a dry run: reads and writes files only)")
        {
            input, output, model, threshold,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var classifier = context.Classifiers.Load(parsed.GetValue(model));
            var (results, numbered) = await TriageAsync(parsed.GetValue(input)!, classifier, parsed.GetValue(threshold), cancellationToken);
            if (numbered.Count > 0)
            {
                context.Error.WriteLine(numbered.Count == 1
                    ? $"1 ticket has no id: numbered by line ({CliFiles.SummariseLines(numbered)})"
                    : $"{numbered.Count} tickets have no id: numbered by line ({CliFiles.SummariseLines(numbered)})");
            }
            var outFile = parsed.GetValue(output);
            CliFiles.WriteJsonLines(outFile, results, context.Out);
            if (outFile is not null) context.Error.WriteLine($"triaged {results.Count} tickets into {outFile}");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static async Task<(IReadOnlyList<TriageResult> Results, IReadOnlyList<int> Numbered)> TriageAsync(
        string file, Application.Ports.ITicketClassifier classifier, double threshold, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        var client = new ClientProfile("triage", "triage") { AutoThreshold = threshold };
        var lines = CliFiles.ReadInput(file).Split('\n');
        var results = new List<TriageResult>();
        var numbered = new List<int>();
        for (var i = 0; i < lines.Length; i++)
        {
            var n = i + 1;
            var text = lines[i].TrimEnd('\r');
            if (string.IsNullOrWhiteSpace(text)) continue;
            if (Encoding.UTF8.GetByteCount(text) > MaxLineBytes) throw Bad(file, n, "ticket is larger than 1 MB");
            JsonElement json;
            try
            {
                using var document = JsonDocument.Parse(text);
                json = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                throw Bad(file, n, "not valid JSON");
            }
            var line = ReadLine(json) is { } problem ? throw Bad(file, n, problem) : ParseLine(json);
            if (line.Id is null) numbered.Add(n);
            var c = await classifier.ClassifyAsync(line.Subject, line.Body, client, line.RequesterEmail, cancellationToken);
            results.Add(new TriageResult(
                line.Id ?? JsonSerializer.SerializeToElement(n.ToString(CultureInfo.InvariantCulture)),
                c.Category, c.Priority, c.Confidence, c.Route, c.Tier,
                c.Route == Routes.Auto ? c.Playbook ?? c.Category : null,
                c.Reasons));
        }
        if (results.Count == 0) throw new CliException($"{file}: no tickets in the file", ExitCodes.BadInput);
        return (results, numbered);
    }

    private static CliException Bad(string file, int line, string problem) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{file}: line {line}: {problem}"), ExitCodes.BadInput);

    /// <summary>The line's first problem, in the TypeScript schema's field order and wording.</summary>
    private static string? ReadLine(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object) return "must be a JSON object with subject and body";
        if (json.TryGetProperty("id", out var id)
            && !(id.ValueKind == JsonValueKind.Number || (id.ValueKind == JsonValueKind.String && id.GetString()!.Length > 0)))
            return "id: must be a non-empty string or a number";
        foreach (var field in new[] { "subject", "body" })
        {
            if (!json.TryGetProperty(field, out var value)) return field + ": is required";
            if (value.ValueKind != JsonValueKind.String) return field + ": must be a string";
        }
        foreach (var field in new[] { "clientId", "requesterEmail" })
        {
            if (json.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.String) return field + ": must be a string";
        }
        return null;
    }

    private static TriageLine ParseLine(JsonElement json) => new(
        json.TryGetProperty("id", out var id) ? id : null,
        json.GetProperty("subject").GetString()!,
        json.GetProperty("body").GetString()!,
        json.TryGetProperty("requesterEmail", out var email) ? email.GetString() : null);

    private sealed record TriageLine(JsonElement? Id, string Subject, string Body, string? RequesterEmail);
}

/// <summary>One output line; <c>id</c> is the input's own (a number stays a number).</summary>
public sealed record TriageResult(
    JsonElement Id,
    string Category,
    string Priority,
    double Confidence,
    string Route,
    int Tier,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Playbook,
    IReadOnlyList<string> Reasons);
