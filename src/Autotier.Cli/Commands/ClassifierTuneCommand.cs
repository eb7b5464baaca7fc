using System.CommandLine;
using System.Text.Json;
using Autotier.Adapters.Classification;
using Autotier.Adapters.Tables;
using Autotier.Application.Json;
using Autotier.Domain.Classification;
using Autotier.Domain.Classification.Model;
using Autotier.Domain.Clients;
using Autotier.Training;
using Azure;

namespace Autotier.Cli.Commands;

/// <summary>
/// <c>autotier classifier tune</c>: the lowest automation threshold at which what automation would
/// take of a client's labelled history is at least <c>--precision</c> correct (and at least 20
/// tickets decide it), as the TypeScript command. New in the port: a threshold is refused when the
/// whole classifier would automate any dangerous ticket at it, whether the history marks it
/// (<c>--dangerous-column</c>) or it is one of the MSP's own held-out dangerous tickets
/// (<see cref="BuiltInModel.HeldOutDangerous"/>), so tuning can never open automation to one.
/// </summary>
public static class ClassifierTuneCommand
{
    public static Command Build(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var data = new ClassifierCommand.DataOptions();
        var precision = new Option<double>("--precision") { Description = "the share of automated tickets that must be right", Required = true };
        var dangerous = new Option<string?>("--dangerous-column") { Description = "a column marking tickets never to automate (1, true or yes)" };
        var modelFile = new Option<string?>("--model") { Description = "a model file (default: the client's published model is not read; the built-in model)" };
        var client = new Option<string?>("--client") { Description = "write the threshold into this client's profile" };
        var force = new Option<bool>("--force") { Description = "with --client: save a threshold under 0.5 too" };
        var command = new Command("tune", "pick a client's automation threshold from its labelled history");
        data.AddTo(command);
        foreach (var option in new Option[] { precision, dangerous, modelFile, client, force }) command.Options.Add(option);
        command.SetAction(async (parsed, cancellationToken) => await ClassifierCommand.Guard(context, async () =>
        {
            var target = parsed.GetValue(precision);
            if (target is <= 0 or > 1) throw new DataException("--precision must be above 0 and at most 1");
            var rows = data.Load(parsed, context);
            var model = context.Classifiers.Load(parsed.GetValue(modelFile));
            var profile = new ClientProfile("tune", "tune") { AutoThreshold = 0 };
            var dangerColumn = parsed.GetValue(dangerous);
            var tuning = new List<TuningRow>(rows.Count);
            foreach (var row in rows)
            {
                if (dangerColumn is not null && !row.Record.ContainsKey(dangerColumn))
                    throw new DataException($"{parsed.GetValue(data.Data)}: no column \"{dangerColumn}\"");
                var c = await model.ClassifyAsync(row.Text, "", profile, null, cancellationToken);
                tuning.Add(new TuningRow(c.Route, c.Confidence, c.Category, row.Label, dangerColumn is not null && IsYes(row.Record[dangerColumn])));
            }
            var guard = await GuardAboveAsync(model, cancellationToken);
            var choice = Tune(tuning, target, guard);
            await context.Out.WriteLineAsync(JsonSerializer.Serialize(choice, AutotierJson.Options));
            if (!choice.Met)
            {
                throw new CliException(
                    $"no threshold reaches precision {target} on {tuning.Count} tickets with at least 20 automated; nothing saved");
            }
            if (parsed.GetValue(client) is { } clientId)
                await context.Error.WriteLineAsync(await SaveAsync(context, clientId, choice.Threshold, parsed.GetValue(force), cancellationToken));
        }));
        return command;
    }

    /// <summary>
    /// <see cref="ThresholdTuning.Tune"/> with the MSP's held-out dangerous tickets as a floor: a
    /// stand-in dangerous row at the highest confidence any of them reaches makes every threshold at
    /// or below it refused, and the figures stay those of the client's own history.
    /// </summary>
    public static ThresholdChoice Tune(IReadOnlyList<TuningRow> rows, double target, double? guardAbove)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (guardAbove is not { } floor) return ThresholdTuning.Tune(rows, target);
        var choice = ThresholdTuning.Tune([.. rows, new TuningRow(Routes.Auto, floor, Categories.Engineering, Categories.Engineering, Dangerous: true)], target);
        return choice with
        {
            N = rows.Count,
            Coverage = rows.Count == 0 ? 0 : Metrics.Round((double)choice.Automated / rows.Count),
            DangerousAbove = Math.Max(choice.DangerousAbove ?? floor, floor),
        };
    }

    /// <summary>The highest confidence at which this classifier would automate one of the MSP's held-out dangerous tickets, or null.</summary>
    private static async Task<double?> GuardAboveAsync(Application.Ports.ITicketClassifier model, CancellationToken cancellationToken)
    {
        double? highest = null;
        var profile = new ClientProfile("tune", "tune") { AutoThreshold = 0 };
        foreach (var t in BuiltInModel.HeldOutDangerous)
        {
            var c = await model.ClassifyAsync(t.Subject, t.Body, profile, null, cancellationToken);
            if (c.Route == Routes.Auto && (highest is null || c.Confidence > highest)) highest = c.Confidence;
        }
        return highest;
    }

    private static async Task<string> SaveAsync(CliContext context, string clientId, double threshold, bool force, CancellationToken cancellationToken)
    {
        var storage = CliStorage.Open(context);
        var clients = new TableClientStore(storage.Table(storage.Names.Clients));
        return await storage.RunAsync(async () =>
        {
            var profile = await clients.GetAsync(clientId, cancellationToken)
                ?? throw new CliException($"no client \"{clientId}\" in {storage.Names.Clients}");
            var (save, message) = ThresholdTuning.Change(clientId, profile.AutoThreshold, threshold, force);
            if (!save) throw new CliException(message);
            await clients.SaveAsync(profile with { AutoThreshold = threshold }, cancellationToken);
            return message;
        });
    }

    /// <summary>
    /// A client's engineers' corrections as training rows (subject and body, the engineer's
    /// category), for <c>classifier train --client</c>.
    /// </summary>
    public static async Task<IReadOnlyList<LabelledRow>> CorrectionRowsAsync(CliContext context, string clientId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var storage = CliStorage.Open(context);
        var store = new TableCorrectionStore(storage.Table(storage.Names.Corrections));
        var corrections = await storage.RunAsync(async () =>
        {
            try
            {
                return await store.ListAsync(clientId, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return [];
            }
        });
        await context.Error.WriteLineAsync($"client {clientId}: {corrections.Count} engineer correction(s) added to the training data");
        return [.. corrections.Select((c, i) => new LabelledRow(
            -(i + 1), $"{c.Subject}\n{c.Body}", c.ToCategory,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["source"] = "correction", ["ticketId"] = c.TicketId }))];
    }

    private static bool IsYes(string value) => value.Trim().ToLowerInvariant() is "1" or "true" or "yes";
}
