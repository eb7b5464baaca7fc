using System.CommandLine;
using System.Text.Json;
using Autotier.Adapters.Tables;
using Autotier.Adapters.Webhooks;
using Autotier.Application.Json;
using Autotier.Application.Webhooks;
using Azure;
using Azure.Storage.Blobs;

namespace Autotier.Cli.Commands;

/// <summary>
/// <c>autotier review list | assign ID --client C | discard ID</c>: the deliveries that could not be
/// placed ("needs a home", the <c>&lt;prefix&gt;Review</c> table). <c>list</c> prints one JSON line
/// per item (what came, from where, why, when; its first 200 characters); <c>assign</c> queues the
/// delivery again for that client, so it is filed exactly as if it had been placed; <c>discard</c>
/// removes it.
/// </summary>
public static class ReviewCommand
{
    private const int Preview = 200;

    public static Command Build(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = new Command("review", "deliveries that could not be placed: list, assign to a client, discard");

        var list = new Command("list", "the items waiting for a person (JSON lines, oldest first)");
        list.SetAction(async (_, ct) =>
        {
            var (storage, items) = Open(context);
            var all = await storage.RunAsync(async () =>
            {
                try
                {
                    return await items.ListAsync(ct);
                }
                catch (RequestFailedException e) when (e.Status == 404)
                {
                    return []; // no Review table yet: nothing was ever kept
                }
            });
            foreach (var i in all)
            {
                var line = JsonSerializer.Serialize(new
                {
                    id = i.Id, source = i.Source, eventId = i.EventId, reason = i.Reason, receivedAt = i.ReceivedAt,
                    chars = i.Raw.Length, preview = i.Raw.Length > Preview ? i.Raw[..Preview] : i.Raw,
                }, AutotierJson.Options);
                await context.Out.WriteLineAsync(line);
            }
            return ExitCodes.Ok;
        });
        command.Subcommands.Add(list);

        var assignId = new Argument<string>("id") { Description = "the item's id (R-...), as list prints it" };
        var client = new Option<string>("--client") { Description = "the client to file it for", Required = true };
        var assign = new Command("assign", "file the delivery for a client, as if it had been placed") { assignId, client };
        assign.SetAction(async (parsed, ct) =>
        {
            var (storage, items) = Open(context);
            var id = parsed.GetValue(assignId)!;
            var clientId = parsed.GetValue(client)!;
            var result = await storage.RunAsync(() => items.AssignAsync(id, clientId, ct));
            return await Report(context, result, new { id, assigned = clientId });
        });
        command.Subcommands.Add(assign);

        var discardId = new Argument<string>("id") { Description = "the item's id (R-...), as list prints it" };
        var discard = new Command("discard", "remove the item; nothing is filed") { discardId };
        discard.SetAction(async (parsed, ct) =>
        {
            var (storage, items) = Open(context);
            var id = parsed.GetValue(discardId)!;
            var result = await storage.RunAsync(() => items.DiscardAsync(id, ct));
            return await Report(context, result, new { id, discarded = true });
        });
        command.Subcommands.Add(discard);
        return command;
    }

    private static async Task<int> Report(CliContext context, ReviewAction result, object done)
    {
        switch (result)
        {
            case ReviewAction.Done:
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(done, AutotierJson.Options));
                return ExitCodes.Ok;
            case ReviewAction.NotFound missing:
                throw new CliException(missing.Error);
            case ReviewAction.Refused refused:
                throw new CliException(refused.Error, ExitCodes.BadInput);
            default:
                throw new InvalidOperationException("unknown review result");
        }
    }

    private static (CliStorage Storage, ReviewItems Items) Open(CliContext context)
    {
        var storage = CliStorage.Open(context);
        var queueOptions = StorageDeliveryInbox.ClientOptions();
        queueOptions.Retry.MaxRetries = 3;
        var blobOptions = new BlobClientOptions();
        blobOptions.Retry.MaxRetries = 3;
        var queue = context.Setting("AUTOTIER_INTAKE_QUEUE") is { Length: > 0 } q ? q : "autotier-intake";
        var prefix = storage.Names.TablePrefix;
        var inbox = new StorageDeliveryInbox(
            storage.Connection.Queues(queueOptions).GetQueueClient(queue),
            storage.Connection.Blobs(blobOptions).GetBlobContainerClient(prefix.ToLowerInvariant() + "-intake"));
        var review = new TableReviewStore(storage.Table(prefix + "Review"));
        return (storage, new ReviewItems(review, inbox, new TableClientStore(storage.Table(storage.Names.Clients))));
    }
}
