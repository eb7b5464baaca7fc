using System.CommandLine;

namespace Autotier.Cli.Commands;

public static class TriageCommand
{
    public static Command Build(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = new Command("triage", "not yet ported to C# (issue #31)");
        command.SetAction(_ =>
        {
            context.Error.WriteLine("autotier: 'triage' is not yet ported to C#; use the TypeScript CLI (npx autotier triage)");
            return ExitCodes.Failed;
        });
        return command;
    }
}
