using System.CommandLine;
using System.Text.Json;
using Autotier.Adapters.Queues;
using Autotier.Application.Json;

namespace Autotier.Cli.Commands;

/// <summary>
/// <c>autotier intake replay [--queue Q] [--max N]</c>: moves the messages of a poison queue back onto
/// its queue, unchanged, once the cause was fixed (the hourly poison watch's alert names the
/// command). The intake queue by default (<c>AUTOTIER_INTAKE_QUEUE</c>); any queue with <c>--queue</c>
/// (<c>-start</c>, <c>-mail</c>, an alert audience's). Prints <c>{"queue":...,"replayed":N}</c>.
/// </summary>
public static class IntakeCommand
{
    public static Command Build(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = new Command("intake", "the intake and alert queues: replay what waits in a poison queue");
        var queue = new Option<string?>("--queue") { Description = "the queue whose <queue>-poison to replay (default: the intake queue)" };
        var max = new Option<int?>("--max") { Description = "at most this many messages" };
        var replay = new Command("replay", "move the messages of <queue>-poison back onto <queue>, unchanged") { queue, max };
        replay.SetAction(async (parsed, ct) =>
        {
            var limit = parsed.GetValue(max) ?? int.MaxValue;
            if (limit < 1) throw new CliException("--max must be a whole number of at least 1", ExitCodes.BadInput);
            var name = parsed.GetValue(queue) is { Length: > 0 } q ? q
                : context.Setting("AUTOTIER_INTAKE_QUEUE") is { Length: > 0 } i ? i : "autotier-intake";
            var storage = CliStorage.Open(context);
            var options = StoragePoisonQueues.ClientOptions();
            options.Retry.MaxRetries = 3;
            var poison = new StoragePoisonQueues(storage.Connection.Queues(options));
            var moved = await storage.RunAsync(() => poison.ReplayAsync(name, limit, ct));
            await context.Out.WriteLineAsync(JsonSerializer.Serialize(new { queue = name, replayed = moved }, AutotierJson.Options));
            return ExitCodes.Ok;
        });
        command.Subcommands.Add(replay);
        return command;
    }
}
