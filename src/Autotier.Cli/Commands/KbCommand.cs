using System.CommandLine;

namespace Autotier.Cli.Commands;

public static class KbCommand
{
    public static Command Build(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = new Command("kb", "not yet ported to C# (issue #31)");
        command.SetAction(_ =>
        {
            context.Error.WriteLine("autotier: 'kb' is not yet ported to C#; use the TypeScript CLI (npx autotier kb)");
            return ExitCodes.Failed;
        });
        return command;
    }
}
