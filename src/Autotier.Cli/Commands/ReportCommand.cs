using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Autotier.Adapters.Assistant;
using Autotier.Adapters.Files;
using Autotier.Adapters.Tables;
using Autotier.Application.Metrics;
using Autotier.Application.Reporting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Primitives;

namespace Autotier.Cli.Commands;

/// <summary>
/// <c>autotier report --client C [--from D --to D | --days N] [--format json|csv|html] [--out F]</c>:
/// a client's outcome figures from the deployment's outcome log, through the very query behind
/// <c>GET /api/metrics</c> (<see cref="ClientMetricsQuery"/>), so the API, the CLI and the page say
/// the same: <c>json</c> is what the API answers (indented), <c>csv</c> one row per week and
/// category, <c>html</c> one self-contained page to send the client (TypeScript src/cli/reportCommand.ts).
/// </summary>
public static class ReportCommand
{
    private static readonly string[] Formats = ["json", "csv", "html"];

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Build(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var client = new Option<string>("--client") { Description = "the client's id, e.g. demo", Required = true };
        var from = new Option<string?>("--from") { Description = "first day or instant, inclusive (ISO 8601: 2026-03-01 or 2026-03-01T09:00:00Z)" };
        var to = new Option<string?>("--to") { Description = "end, exclusive (ISO 8601); now unless given" };
        var days = new Option<int?>("--days") { Description = "the last N days up to --to (instead of --from); 30 unless --from says otherwise" };
        var format = new Option<string>("--format") { Description = "json (what GET /api/metrics answers), csv or html", DefaultValueFactory = _ => "json" };
        var output = new Option<string?>("--out") { Description = "write to this file (whole or not at all) instead of standard output" };
        var command = new Command("report", "a client's outcome figures as JSON, CSV or a self-contained HTML page") { client, from, to, days, format, output };
        command.SetAction(async (parsed, ct) =>
        {
            // Checked here rather than by the parser, whose refusal lists the choices over several lines.
            if (!Formats.Contains(parsed.GetValue(format)))
                throw new CliException($"--format must be json, csv or html, not \"{parsed.GetValue(format)}\"", ExitCodes.BadInput);
            var fromText = parsed.GetValue(from);
            var toText = parsed.GetValue(to);
            if (parsed.GetValue(days) is { } n)
            {
                if (fromText is not null) throw new CliException("--days and --from: give one of them", ExitCodes.BadInput);
                if (n is < 1 or > 731) throw new CliException($"--days: give 1 to 731 days, not {n}", ExitCodes.BadInput);
                // The range ends at --to (or now) and starts N days before: worked out by the query's own parser.
                var end = toText ?? context.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
                var parsedEnd = Domain.Metrics.MetricsRange.Parse(null, end, context.Time.GetUtcNow());
                if (!parsedEnd.Ok) throw new CliException(Flag(parsedEnd.Error!), ExitCodes.BadInput);
                fromText = (parsedEnd.Value!.To - TimeSpan.FromDays(n)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
                toText = end;
            }
            var storage = CliStorage.Open(context);
            var query = Query(context, storage);
            var result = await storage.RunAsync(() => query.RunAsync(parsed.GetValue(client), fromText, toText, ct));
            if (result is MetricsResult.Refused refused) throw new CliException(Flag(refused.Error), ExitCodes.BadInput);
            var ok = (MetricsResult.Ok)result;
            var text = parsed.GetValue(format) switch
            {
                "csv" => MetricsCsv.Write(ok.Figures!),
                "html" => MetricsHtml.Write(new ReportInput(ok.Figures!, ok.Client!, ok.Incidents, context.Time.GetUtcNow())),
                _ => ok.Metrics.ToJsonString(Indented) + "\n",
            };
            if (parsed.GetValue(output) is { } file)
            {
                AtomicFile.Write(file, text);
                await context.Error.WriteLineAsync($"wrote the {parsed.GetValue(format)} report for {ok.Figures!.ClientId} to {file}");
            }
            else
            {
                await context.Out.WriteAsync(text);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The query as the Functions app composes it, over the deployment's tables.</summary>
    private static ClientMetricsQuery Query(CliContext context, CliStorage storage)
    {
        var names = storage.Names;
        var usage = new TableAssistantUsage(storage.Table(names.AssistantUsage));
        // Only whether the assistant is configured matters here (the API then adds its usage as `llm`); nothing is asked of it.
        var assistant = AzureOpenAiAssistant.From(new SettingsConfiguration(context.Setting), usage, context.Time, NullLoggerFactory.Instance);
        return new ClientMetricsQuery(
            new TableClientStore(storage.Table(names.Clients)),
            new TableOutcomeLog(storage.Table(names.Outcomes)),
            assistant, usage, context.Time,
            new TableIncidentStore(storage.Table(names.Incidents)));
    }

    /// <summary>The query's errors name its fields (clientId, from, to); the command has flags.</summary>
    private static string Flag(string error)
    {
        var colon = error.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0) return error;
        var flag = error[..colon] switch { "clientId" => "--client", "from" => "--from", "to" => "--to", var other => other };
        return flag + error[colon..];
    }

    /// <summary>The CLI's settings (environment, or a test's) as the configuration the adapters read.</summary>
    private sealed class SettingsConfiguration(Func<string, string?> setting) : IConfiguration
    {
        public string? this[string key]
        {
            get => setting(key);
            set => throw new NotSupportedException("the CLI's settings are read only");
        }

        public IEnumerable<IConfigurationSection> GetChildren() => [];

        public IChangeToken GetReloadToken() => new CancellationChangeToken(CancellationToken.None);

        public IConfigurationSection GetSection(string key) => throw new NotSupportedException("the CLI reads flat settings only");
    }
}
