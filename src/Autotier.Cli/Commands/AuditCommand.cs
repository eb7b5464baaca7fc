using System.CommandLine;

namespace Autotier.Cli.Commands;

public static class AuditCommand
{
    public static Command Build(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = new Command("audit", "not yet ported to C# (issue #31)");
        command.SetAction(_ =>
        {
            context.Error.WriteLine("autotier: 'audit' is not yet ported to C#; use the TypeScript CLI (npx autotier audit)");
            return ExitCodes.Failed;
        });
        return command;
    }
}
