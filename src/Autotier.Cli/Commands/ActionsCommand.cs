using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Autotier.Adapters.Files;
using Autotier.Adapters.Tables;
using Autotier.Application.Json;
using Azure;

namespace Autotier.Cli.Commands;

/// <summary>
/// <c>autotier actions --client C [--since DATE] [--out F]</c>: what the playbooks did to a client's
/// users and licences (the audit log, <c>&lt;prefix&gt;Audit</c>), oldest first, as JSON lines with the
/// TypeScript CLI's fields, for the client or its auditors.
/// </summary>
public static class ActionsCommand
{
    public static Command Build(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var client = new Option<string>("--client") { Description = "the client whose audit log to print", Required = true };
        var since = new Option<string?>("--since") { Description = "only actions from this date or time on (2026-11-01, 2026-11-01T09:00:00Z)" };
        var output = new Option<string?>("--out") { Description = "write the JSON lines to this file instead of standard output" };
        var command = new Command("actions", "what playbooks did to a client's users and licences (JSON lines)") { client, since, output };
        command.SetAction(async (parsed, ct) =>
        {
            var clientId = parsed.GetValue(client)!;
            var from = ParseSince(parsed.GetValue(since));
            var storage = CliStorage.Open(context);
            var log = new TableActionLog(storage.Table(TableActionLog.TableName(storage.Names)));
            var records = await storage.RunAsync(async () =>
            {
                try
                {
                    return await log.ForClientAsync(clientId, from, ct);
                }
                catch (RequestFailedException e) when (e.Status == 404)
                {
                    return []; // no audit table yet: no playbook has acted
                }
            });
            var text = new StringBuilder();
            foreach (var r in records) text.Append(JsonSerializer.Serialize(r, AutotierJson.Options)).Append('\n');
            var file = parsed.GetValue(output);
            if (file is null)
            {
                await context.Out.WriteAsync(text.ToString());
                return ExitCodes.Ok;
            }
            try
            {
                AtomicFile.Write(file, text.ToString());
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"{file}: cannot write ({e.Message})");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>A date (midnight UTC) or a time with its zone; anything else is bad input, one line.</summary>
    private static DateTimeOffset? ParseSince(string? text)
    {
        if (text is null) return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : throw new CliException("--since must be a date, e.g. 2026-11-01 or 2026-11-01T09:00:00Z", ExitCodes.BadInput);
    }
}
