using System.CommandLine;
using Autotier.Adapters.Classification;
using Autotier.Cli.Commands;
using Autotier.Domain.Classification;
using Autotier.Domain.Clients;

namespace Autotier.Cli;

/// <summary>
/// The `autotier` command. Exit codes as the TypeScript CLI: 0 done, 1 the work failed (one line
/// saying what to do), 2 bad arguments or bad input (one line naming the file and line). Output
/// files are written whole or not at all.
/// </summary>
public static class AutotierCli
{
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("autotier: automated tier-1 IT support for MSPs");
        root.Subcommands.Add(TriageCommand.Build(context));
        root.Subcommands.Add(ClassifierCommand.Build(context, FullClassifier));
        root.Subcommands.Add(KbCommand.Build(context));
        root.Subcommands.Add(AuditCommand.Build(context));
        root.Subcommands.Add(ActionsCommand.Build(context));
        root.Subcommands.Add(ReviewCommand.Build(context));
        root.Subcommands.Add(IntakeCommand.Build(context));
        root.Subcommands.Add(ReportCommand.Build(context));
        root.Subcommands.Add(ClientCommand.Build(context));
        return root;
    }

    /// <summary>The whole classifier (safety screen, danger check, rules, calibration) over a model, for evaluate --full.</summary>
    private static TicketClassification FullClassifier(string subject, string body, double threshold, ICategoryModel model) =>
        ModelClassifier.Classify(model, subject, body, new ClientProfile("cli", "cli") { AutoThreshold = threshold }, null);

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken) =>
        RunAsync(args, new CliContext(stdout, stderr), cancellationToken);

    /// <summary>With a context of the caller's: tests give their own settings instead of the process environment.</summary>
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (stdout, stderr) = (context.Out, context.Error);
        var root = Build(context);
        // No response files: an argument starting with @ is the user's ("@logo.png" for `client set`,
        // a contact's handle), never a file of more arguments the parser reads in its place.
        var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Errors.Count > 0)
        {
            // One line saying why, exit 2 (System.CommandLine's default is the full help and exit 1).
            // A word the parser does not know explains more than what it then found missing.
            var error = parsed.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parsed.Errors[0];
            var help = string.Join(' ', ["autotier", .. CommandPath(parsed), "--help"]);
            await stderr.WriteLineAsync($"autotier: {error.Message} (see '{help}')");
            return ExitCodes.BadInput;
        }
        try
        {
            // Without the default handler, a command's CliException reaches the catch below (the
            // default one prints a stack trace and exits 1, whatever the exit code the command meant).
            return await parsed.InvokeAsync(
                new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (CliException e)
        {
            await stderr.WriteLineAsync($"autotier: {e.Message}");
            return e.ExitCode;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Anything else is still one line, never a stack trace (as the TypeScript CLI).
            await stderr.WriteLineAsync($"autotier: {e.Message.Split('\n')[0].Trim()}");
            return ExitCodes.Failed;
        }
    }

    private static List<string> CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var c = parsed.CommandResult; c is not null; c = c.Parent as System.CommandLine.Parsing.CommandResult)
        {
            if (c.Command is not RootCommand) names.Insert(0, c.Command.Name);
        }
        return names;
    }
}

public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadInput = 2;
}

/// <summary>A failure the user can act on: printed as one line, never a stack trace.</summary>
public sealed class CliException(string message, int exitCode = ExitCodes.Failed) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>Where a command writes, the settings it reads and what it classifies with; tests pass their own.</summary>
public sealed record CliContext(TextWriter Out, TextWriter Error)
{
    /// <summary>An app setting by its environment variable name (the process environment unless a test says otherwise).</summary>
    public Func<string, string?> Setting { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>The clock (articles imported are stamped with it).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public IClassifierSource Classifiers { get; init; } = new BuiltInClassifiers();
}

/// <summary>The classifier the commands run: from a model file, or the built-in model.</summary>
public interface IClassifierSource
{
    Application.Ports.ITicketClassifier Load(string? modelFile);
}
