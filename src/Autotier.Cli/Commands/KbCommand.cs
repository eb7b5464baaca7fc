using System.CommandLine;
using System.Text;
using System.Text.Json;
using Autotier.Adapters.Files;
using Autotier.Adapters.Tables;
using Autotier.Application.Json;
using Autotier.Domain.Kb;
using Autotier.Domain.Resolutions;
using Azure;

namespace Autotier.Cli.Commands;

/// <summary>
/// <c>autotier kb import --dir D | export --dir D [--client C] | candidates --client C [--min-count 3] [--out F]</c>:
/// the knowledge base of the deployment <see cref="CliStorage"/> finds, as the TypeScript CLI's
/// <c>kb</c> commands. Import checks every file before it writes anything and keeps what articles
/// have earned; candidates are the client's recurring escalations (from the resolution log), as JSON lines.
/// </summary>
public static class KbCommand
{
    public static Command Build(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = new Command("kb", "the knowledge base: import and export Markdown articles, list articles to write");
        command.Subcommands.Add(Import(context));
        command.Subcommands.Add(Export(context));
        command.Subcommands.Add(Candidates(context));
        return command;
    }

    private static Command Import(CliContext context)
    {
        var dir = new Option<string>("--dir") { Description = "a folder of .md articles (the kb/ format)", Required = true };
        var command = new Command("import", "import every .md article of a folder (all are checked before any is written)") { dir };
        command.SetAction(async (parsed, ct) =>
        {
            var folder = parsed.GetValue(dir)!;
            var files = ReadFolder(folder, context.Time.GetUtcNow());
            var storage = CliStorage.Open(context);
            var store = new TableKbStore(storage.Table(storage.Names.Kb));
            var count = await storage.RunAsync(async () =>
            {
                await store.EnsureCreatedAsync(ct);
                return await KbFolder.ImportAsync(files, store, storage.KbImages(), ct);
            });
            await context.Error.WriteLineAsync($"imported {count} articles from {folder}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Export(CliContext context)
    {
        var dir = new Option<string>("--dir") { Description = "the folder to write the articles into", Required = true };
        var client = new Option<string?>("--client") { Description = "only this client's articles and the general ones" };
        var command = new Command("export", "write every article as a .md file") { dir, client };
        command.SetAction(async (parsed, ct) =>
        {
            var folder = parsed.GetValue(dir)!;
            var clientId = parsed.GetValue(client);
            var storage = CliStorage.Open(context);
            var store = new TableKbStore(storage.Table(storage.Names.Kb));
            var articles = await storage.RunAsync(async () =>
            {
                try
                {
                    return clientId is null ? await store.AllAsync(ct) : await store.ForClientAsync(clientId, ct);
                }
                catch (RequestFailedException e) when (e.Status == 404)
                {
                    return []; // no table yet: nothing was ever imported
                }
            });
            if (articles.Count == 0) throw new CliException("the knowledge base has no articles to export", ExitCodes.BadInput);
            Writing(folder, () => KbFolder.Write(folder, articles));
            var missing = await storage.RunAsync(() => KbFolder.ExportImagesAsync(folder, articles, storage.KbImages(), ct));
            foreach (var name in missing) await context.Error.WriteLineAsync($"picture {name} is missing from storage: its article names it, but it was not exported");
            await context.Error.WriteLineAsync($"exported {articles.Count} articles to {folder}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Candidates(CliContext context)
    {
        var client = new Option<string>("--client") { Description = "the client whose escalations to read", Required = true };
        var minCount = new Option<int>("--min-count") { Description = "escalations a group needs (default 3)", DefaultValueFactory = _ => 3 };
        var output = new Option<string?>("--out") { Description = "write the JSON lines to this file instead of standard output" };
        var command = new Command("candidates", "recurring escalations of a client: articles waiting to be written (JSON lines)") { client, minCount, output };
        command.SetAction(async (parsed, ct) =>
        {
            var clientId = parsed.GetValue(client)!;
            var min = parsed.GetValue(minCount);
            if (min < 1) throw new CliException("--min-count must be 1 or more", ExitCodes.BadInput);
            var storage = CliStorage.Open(context);
            var log = new TableResolutionLog(storage.Table(storage.Names.Resolutions));
            var records = await storage.RunAsync(async () =>
            {
                try
                {
                    return await log.ForClientAsync(clientId, ct);
                }
                catch (RequestFailedException e) when (e.Status == 404)
                {
                    return []; // no resolutions table yet: no ticket has been resolved or escalated
                }
            });
            var candidates = KbCandidates.Find(
                records.Where(r => r.Outcome == Outcomes.Escalated).Select(r => new Escalation(r.TicketId, r.Subject, r.Category)),
                min);
            var text = new StringBuilder();
            foreach (var c in candidates) text.Append(JsonSerializer.Serialize(c, AutotierJson.Options)).Append('\n');
            var file = parsed.GetValue(output);
            if (file is null) await context.Out.WriteAsync(text.ToString());
            else Writing(file, () => { AtomicFile.Write(file, text.ToString()); return file; });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static IReadOnlyList<KbArticleFile> ReadFolder(string folder, DateTimeOffset now)
    {
        try
        {
            return KbFolder.Read(folder, now);
        }
        catch (KbFormatException e)
        {
            throw new CliException(e.Message, ExitCodes.BadInput);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{folder}: cannot read ({e.Message})", ExitCodes.BadInput);
        }
    }

    /// <summary>Files written whole or not at all; a folder that cannot be written is one line, exit 1.</summary>
    private static T Writing<T>(string target, Func<T> write)
    {
        try
        {
            return write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{target}: cannot write ({e.Message})");
        }
    }
}
