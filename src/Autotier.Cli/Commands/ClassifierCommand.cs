using System.CommandLine;

namespace Autotier.Cli.Commands;

public static class ClassifierCommand
{
    public static Command Build(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = new Command("classifier", "not yet ported to C# (issue #31)");
        command.SetAction(_ =>
        {
            context.Error.WriteLine("autotier: 'classifier' is not yet ported to C#; use the TypeScript CLI (npx autotier classifier)");
            return ExitCodes.Failed;
        });
        return command;
    }
}
