using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Autotier.Adapters.Blobs;
using Autotier.Adapters.Files;
using Autotier.Domain.Classification;
using Autotier.Domain.Classification.Model;
using Autotier.Training;

namespace Autotier.Cli.Commands;

/// <summary>
/// <c>autotier classifier train|evaluate</c>, as the TypeScript CLI's: train writes a model file
/// (and with --publish uploads it as the next version), evaluate prints one JSON line of figures.
/// <c>tune</c> is another part of the port.
/// </summary>
public static class ClassifierCommand
{
    /// <param name="context">Where the commands write.</param>
    /// <param name="fullPipeline">
    /// The whole classifier for evaluate --full, passed in by whoever composes the CLI; until it
    /// is, --full says it is not wired yet.
    /// </param>
    public static Command Build(CliContext context, ClassifyTicket? fullPipeline = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = new Command("classifier", "train and measure the text model");
        command.Subcommands.Add(BuildTrain(context));
        command.Subcommands.Add(ClassifierTuneCommand.Build(context));
        command.Subcommands.Add(BuildEvaluate(context, fullPipeline));
        return command;
    }

    internal sealed class DataOptions
    {
        public Option<string> Data { get; } = new("--data") { Description = "the CSV file (a header row)", Required = true };
        public Option<string> TextColumn { get; } = new("--text-column") { Description = "the text column, or several joined by commas (their texts joined by a newline)", Required = true };
        public Option<string> LabelColumn { get; } = new("--label-column") { Description = "the label column", Required = true };
        public Option<string?> SplitColumn { get; } = new("--split-column") { Description = "a column saying train or test for each row" };
        public Option<string?> LabelMap { get; } = new("--label-map") { Description = "a JSON file {\"<label>\": \"<category>\"}" };
        public Option<bool> DropUnmapped { get; } = new("--drop-unmapped") { Description = "leave out rows whose label the map does not cover" };
        public Option<int?> SkipWindow { get; } = new("--skip-window") { Description = "skip-grams reach this many words ahead; 0 for none" };
        public Option<string> Trainer { get; } = new("--trainer") { Description = $"one of {string.Join(", ", ModelTrainers.Names)}", DefaultValueFactory = _ => ModelTrainers.Default };
        public Option<uint> Seed { get; } = new("--seed") { Description = "seeds the split, the folds and the trainer", DefaultValueFactory = _ => 42 };
        public Option<int?> Calibrate { get; } = new("--calibrate") { Description = "fit the softmax temperature by K-fold cross-validation on the training rows" };
        public Option<string?> GroupColumn { get; } = new("--group-column") { Description = "with --calibrate: a column whose rows belong together (a phrasing family, a thread); folds keep them whole" };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { Data, TextColumn, LabelColumn, SplitColumn, LabelMap, DropUnmapped, SkipWindow, Trainer, Seed, Calibrate, GroupColumn })
                command.Options.Add(option);
        }

        public IReadOnlyList<LabelledRow> Load(ParseResult parsed, CliContext context)
        {
            var columns = parsed.GetValue(TextColumn)!.Split(',').Select(c => c.Trim()).ToArray();
            var rows = LabelledCsv.Read(parsed.GetValue(Data)!, columns, parsed.GetValue(LabelColumn)!);
            if (parsed.GetValue(LabelMap) is not { } map) return rows;
            var (mapped, dropped) = Training.LabelMap.Apply(rows, map, parsed.GetValue(DropUnmapped));
            if (dropped is not null) context.Error.WriteLine(dropped);
            return mapped;
        }

        public IModelTrainer CreateTrainer(ParseResult parsed, IReadOnlyList<LabelledRow> rows)
        {
            var seed = parsed.GetValue(Seed);
            var trainer = ModelTrainers.Create(parsed.GetValue(Trainer)!, LayoutOf(parsed.GetValue(SkipWindow)), seed);
            var groupColumn = parsed.GetValue(GroupColumn);
            if (groupColumn is not null && parsed.GetValue(Calibrate) is null) throw new DataException("--group-column is for --calibrate");
            Func<string, string>? groupOf = null;
            if (groupColumn is not null)
            {
                if (!rows[0].Record.ContainsKey(groupColumn)) throw new DataException($"{parsed.GetValue(Data)}: no column \"{groupColumn}\"");
                // The trainer sees texts only; a text's group is its first row's.
                var groups = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var row in rows) groups.TryAdd(row.Text, row.Record[groupColumn]);
                groupOf = text => groups[text];
            }
            return parsed.GetValue(Calibrate) switch
            {
                null => trainer,
                < 2 => throw new DataException("--calibrate must be a number of folds of at least 2"),
                { } folds => new CalibratedTrainer(trainer, folds, seed, groupOf),
            };
        }
    }

    /// <summary>--skip-window as the TS reads it: absent the default layout, under 2 no skip-grams.</summary>
    internal static FeatureLayout LayoutOf(int? skipWindow)
    {
        if (skipWindow is not { } window) return Features.DefaultLayout;
        var layout = Features.DefaultLayout with { SkipWindow = window };
        if (!Features.IsValidLayout(layout))
            throw new DataException($"--skip-window must be a whole number from 0 (no skip-grams) to {Features.MaxSkipWindow}");
        return window < 2 ? Features.LayoutV2 : layout;
    }

    private static Command BuildTrain(CliContext context)
    {
        var data = new DataOptions();
        var output = new Option<string>("--out") { Description = "the model file to write", DefaultValueFactory = _ => "model.bin.gz" };
        var publish = new Option<bool>("--publish") { Description = "upload the model as the next version in AzureWebJobsStorage" };
        var client = new Option<string?>("--client") { Description = "the client the model is for: its engineers' corrections are added to the data, and --publish publishes it for that client (default: the whole deployment)" };
        var command = new Command("train", "train a model on a labelled CSV and write it");
        data.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(publish);
        command.Options.Add(client);
        command.SetAction(async (parsed, cancellationToken) => await Guard(context, async () =>
        {
            var rows = data.Load(parsed, context);
            if (parsed.GetValue(data.SplitColumn) is { } column)
                rows = [.. rows.Where(r => r.Record.TryGetValue(column, out var v) && v.Trim() == "train")];
            if (parsed.GetValue(client) is { } forClient)
                rows = [.. rows, .. await ClassifierTuneCommand.CorrectionRowsAsync(context, forClient, cancellationToken)];
            if (rows.Count == 0) throw new DataException("no rows to train on");
            var trainer = data.CreateTrainer(parsed, rows);
            var clock = Stopwatch.StartNew();
            var model = trainer.Train([.. rows.Select(r => r.Text)], [.. rows.Select(r => r.Label)], cancellationToken) as TextClassifier
                ?? throw new DataException($"--trainer {trainer.Name} gives a model that predicts only through ML.NET; evaluate it, or train one whose model is the sparse table");
            var trainMs = clock.ElapsedMilliseconds;
            var file = parsed.GetValue(output)!;
            model = model.WithMeta(new Dictionary<string, string>
            {
                ["source"] = Path.GetFileName(parsed.GetValue(data.Data)!),
                ["trainMs"] = trainMs.ToString(CultureInfo.InvariantCulture),
                ["trainer"] = trainer.Name,
            });
            var bytes = ModelFile.Save(model);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            AtomicFile.Write(file, bytes);
            await context.Error.WriteLineAsync(
                $"trained on {rows.Count} rows ({string.Join(", ", model.Labels)}) in {trainMs} ms -> {file}");
            if (parsed.GetValue(publish))
            {
                var unknown = model.Labels.Where(l => !Categories.IsCategory(l)).ToList();
                if (unknown.Count > 0)
                    throw new CliException($"cannot publish: labels {string.Join(", ", unknown)} are not autotier categories ({string.Join(", ", Categories.All)})");
                // The deployment's storage as every storage command finds it (AzureWebJobsStorage,
                // else the local host's Azurite), not the process environment alone.
                var storage = CliStorage.Open(context);
                BlobModelStore store;
                try
                {
                    store = storage.Models(parsed.GetValue(client));
                }
                catch (ArgumentException e)
                {
                    throw new DataException($"--client: {e.Message}");
                }
                catch (InvalidOperationException e)
                {
                    throw new CliException($"cannot publish: {e.Message}");
                }
                var published = await storage.RunAsync(async () =>
                {
                    try
                    {
                        return await store.PublishAsync(bytes, model.Labels, Path.GetFileName(parsed.GetValue(data.Data)!), DateTimeOffset.UtcNow, cancellationToken);
                    }
                    catch (Azure.RequestFailedException e) when (e.Status != 0)
                    {
                        // The model file is written; only the upload failed, and publishing again is safe.
                        throw new CliException($"cannot publish: storage answered {e.Status} ({e.ErrorCode ?? "no code"}); the model is in {file}");
                    }
                });
                await context.Error.WriteLineAsync($"published as model v{published.Version}{(published.Client is { } c ? $" for client {c}" : "")}");
            }
        }));
        return command;
    }

    private static Command BuildEvaluate(CliContext context, ClassifyTicket? fullPipeline)
    {
        var data = new DataOptions();
        var testFraction = new Option<double?>("--test-fraction") { Description = "hold out this share of each label (default 0.2)" };
        var folds = new Option<int?>("--folds") { Description = "K-fold cross-validation" };
        var modelFile = new Option<string?>("--model") { Description = "measure this model file on every row instead of training" };
        var full = new Option<bool>("--full") { Description = "also measure the whole classifier (labels must be autotier categories)" };
        var threshold = new Option<double>("--threshold") { Description = "with --full: the automation threshold", DefaultValueFactory = _ => 0.6 };
        var priority = new Option<string?>("--priority-column") { Description = "with --full: a column of expected priorities (P1-P4)" };
        var dangerous = new Option<string?>("--dangerous-column") { Description = "with --full: a column marking tickets never to automate (1, true or yes)" };
        var command = new Command("evaluate", "measure the model on a labelled CSV (one JSON line)");
        data.AddTo(command);
        foreach (var option in new Option[] { testFraction, folds, modelFile, full, threshold, priority, dangerous })
            command.Options.Add(option);
        command.SetAction(async (parsed, cancellationToken) => await Guard(context, async () =>
        {
            var ways = new (string Name, bool Given)[]
            {
                ("test-fraction", parsed.GetValue(testFraction) is not null),
                ("split-column", parsed.GetValue(data.SplitColumn) is not null),
                ("folds", parsed.GetValue(folds) is not null),
                ("model", parsed.GetValue(modelFile) is not null),
            }.Where(w => w.Given).Select(w => w.Name).ToList();
            if (ways.Count > 1)
                throw new DataException($"choose one of --{string.Join(", --", ways)}: each names what the model is measured on");
            var fraction = parsed.GetValue(testFraction) ?? 0.2;
            if (!(fraction is > 0 and < 1)) throw new DataException("--test-fraction must be between 0 and 1");
            var rows = data.Load(parsed, context);
            var model = parsed.GetValue(modelFile) is { } path ? await LoadModelAsync(path, cancellationToken) : null;
            var settings = new EvaluateSettings(
                TestFraction: fraction,
                Seed: parsed.GetValue(data.Seed),
                SplitColumn: parsed.GetValue(data.SplitColumn),
                Folds: parsed.GetValue(folds),
                Model: model,
                Full: parsed.GetValue(full),
                Threshold: parsed.GetValue(threshold),
                PriorityColumn: parsed.GetValue(priority),
                DangerousColumn: parsed.GetValue(dangerous),
                Pipeline: fullPipeline);
            JsonObject figures;
            try
            {
                figures = ModelEvaluation.Evaluate(rows, data.CreateTrainer(parsed, rows), settings, cancellationToken);
            }
            catch (PipelineMissingException e)
            {
                throw new CliException($"{e.Message}; measure the model alone without --full");
            }
            await context.Out.WriteLineAsync(figures.ToJsonString());
        }));
        return command;
    }

    internal static async Task<TextClassifier> LoadModelAsync(string path, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (IOException)
        {
            throw new DataException($"{path}: no such file");
        }
        catch (UnauthorizedAccessException)
        {
            throw new DataException($"{path}: cannot be read");
        }
        try
        {
            return ModelFile.Load(bytes);
        }
        catch (ModelFormatException e)
        {
            throw new DataException($"{path}: {e.Message}");
        }
    }

    /// <summary>Bad input is one line and exit 2; what the user cannot act on is not caught here.</summary>
    internal static async Task<int> Guard(CliContext context, Func<Task> action)
    {
        try
        {
            await action();
            return ExitCodes.Ok;
        }
        catch (DataException e)
        {
            await context.Error.WriteLineAsync($"autotier: {e.Message}");
            return ExitCodes.BadInput;
        }
    }
}
