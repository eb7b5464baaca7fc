using Autotier.Domain.Classification;
using Autotier.Domain.Classification.Model;
using CsvHelper;

namespace Autotier.Adapters.Classification;

/// <summary>One labelled ticket of data/msp-tickets.csv, data/msp-eval.csv, data/msp-extra.csv or data/danger-extra.csv.</summary>
public sealed record LabelledTicket(
    string Id, string Subject, string Body, string Category, bool Dangerous, string Split, string Family,
    string? Priority, string? Language);

/// <summary>
/// What every deployment classifies with before a client publishes its own model, trained from the
/// data embedded in this assembly: the category model on the train split of data/msp-tickets.csv
/// (the test split holds out whole phrasing families), data/msp-extra.csv (hand-written tickets in
/// phrasings the generated corpus lacks: msp-eval 0.9104 -> 0.9731, test split 0.9643 -> 0.9881) and
/// data/danger-extra.csv, as the TypeScript
/// build trains it (subject and body joined by a newline, no skip-grams: on the held-out families
/// they cost the model alone 0.795 -> 0.747, seed 42); the danger model on the same rows' dangerous
/// column; and the confidence calibration on out-of-fold scores of all of those rows (ten folds, by
/// phrasing family where a row has one). Nothing here reads data/msp-eval.csv or the test split.
///
/// Trained on first use rather than by an MSBuild step: training is seeded, so the models are the
/// same on every start and can never be stale against the code that predicts with them, and the
/// whole bundle takes a few seconds on one core (the hosts warm it at start, so no request waits).
/// </summary>
public static class BuiltInModel
{
    private const string CorpusResource = "Autotier.msp-tickets.csv";
    private const string ExtraResource = "Autotier.danger-extra.csv";
    private const string MspExtraResource = "Autotier.msp-extra.csv";
    private const int CalibrationFolds = 10;

    private static readonly Lazy<IReadOnlyList<LabelledTicket>> CorpusLazy = new(() => ReadResource(CorpusResource));
    private static readonly Lazy<IReadOnlyList<LabelledTicket>> ExtraLazy = new(() => ReadResource(ExtraResource));
    private static readonly Lazy<IReadOnlyList<LabelledTicket>> MspExtraLazy = new(() => ReadResource(MspExtraResource));
    private static readonly Lazy<BuiltInBundle> BundleLazy = new(() => BuiltInBundle.LoadOrTrain(TrainAll, BuiltInBundle.CachePath()), LazyThreadSafetyMode.ExecutionAndPublication);

    private static BuiltInBundle TrainAll()
    {
        IReadOnlyList<LabelledTicket> rows = [.. Train, .. MspExtra, .. DangerExtra];
        return new BuiltInBundle(TrainCategories(rows), TrainDanger(rows), FitCalibration(rows, []));
    }

    public static IReadOnlyList<LabelledTicket> Train => [.. CorpusLazy.Value.Where(r => r.Split == "train")];

    public static IReadOnlyList<LabelledTicket> Test => [.. CorpusLazy.Value.Where(r => r.Split == "test")];

    public static IReadOnlyList<LabelledTicket> DangerExtra => ExtraLazy.Value;

    /// <summary>
    /// Dangerous tickets nothing trains on (the test split's and data/msp-eval.csv's): the threshold
    /// tuner refuses any threshold at which the whole classifier would automate one of them.
    /// </summary>
    public static IReadOnlyList<LabelledTicket> HeldOutDangerous => HeldOutDangerousLazy.Value;

    private static readonly Lazy<IReadOnlyList<LabelledTicket>> HeldOutDangerousLazy = new(() =>
        [.. CorpusLazy.Value.Where(r => r.Split == "test" && r.Dangerous), .. ReadResource("Autotier.msp-eval.csv").Where(r => r.Dangerous)]);

    /// <summary>data/msp-extra.csv: hand-written tickets in phrasing families of their own (training only).</summary>
    public static IReadOnlyList<LabelledTicket> MspExtra => MspExtraLazy.Value;

    /// <summary>The built-in category model (trained once per process, on the first call).</summary>
    public static TextClassifier Load() => BundleLazy.Value.Category;

    public static TextClassifier DangerModel => BundleLazy.Value.Danger;

    public static ConfidenceCalibration Calibration => BundleLazy.Value.Calibration;

    /// <summary>The embedded training data, for the cache key: a change to any of it means training again.</summary>
    internal static IEnumerable<byte[]> TrainingData()
    {
        foreach (var name in new[] { CorpusResource, ExtraResource, MspExtraResource })
        {
            using var stream = typeof(BuiltInModel).Assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            yield return copy.ToArray();
        }
    }

    /// <summary>The whole classifier as the app runs it with the built-in models (or <paramref name="model"/> instead of the category model).</summary>
    public static ClassifierOptions Options(double threshold = 0.6, ICategoryModel? model = null) =>
        new(threshold, model ?? Load(), new DangerCheck(DangerModel), Calibration);

    /// <summary>Trains everything now (hosts call this at start, so the first ticket does not wait).</summary>
    public static void Warm() => _ = Options();

    public static string TextOf(LabelledTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return TicketClassifier.CleanText(ticket.Subject, ticket.Body);
    }

    public static TextClassifier TrainCategories(IReadOnlyList<LabelledTicket> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return TextClassifier.Train([.. rows.Select(TextOf)], [.. rows.Select(r => r.Category)], new TrainOptions(Layout: Features.LayoutV2))
            .WithMeta(new Dictionary<string, string> { ["source"] = "msp-tickets.csv + danger-extra.csv (built-in)" });
    }

    public static TextClassifier TrainDanger(IReadOnlyList<LabelledTicket> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return TextClassifier.Train(
            [.. rows.Select(TextOf)], [.. rows.Select(r => r.Dangerous ? DangerCheck.Dangerous : DangerCheck.Safe)], new TrainOptions(Layout: Features.LayoutV2));
    }

    /// <summary>
    /// Out-of-fold confidences of the whole classifier on <paramref name="scored"/> (ten folds; a row
    /// with a phrasing family goes to its family's fold, as the test split holds out whole families,
    /// and a row without one, as in danger-extra.csv, to a fold of its own id), mapped to how often
    /// each was right. <paramref name="alwaysTrained"/> rows are in every fold's training set and
    /// never scored.
    /// </summary>
    public static ConfidenceCalibration FitCalibration(IReadOnlyList<LabelledTicket> scored, IReadOnlyList<LabelledTicket> alwaysTrained)
    {
        ArgumentNullException.ThrowIfNull(scored);
        ArgumentNullException.ThrowIfNull(alwaysTrained);
        var keys = scored.Select(FoldKey).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var foldOf = keys.Select((k, i) => (k, i % CalibrationFolds)).ToDictionary(x => x.k, x => x.Item2, StringComparer.Ordinal);
        var samples = new List<(double, bool)>();
        for (var fold = 0; fold < CalibrationFolds; fold++)
        {
            var model = TrainCategories([.. scored.Where(r => foldOf[FoldKey(r)] != fold), .. alwaysTrained]);
            var options = new ClassifierOptions(0.6, model);
            foreach (var r in scored.Where(r => foldOf[FoldKey(r)] == fold))
            {
                var c = TicketClassifier.Classify(r.Subject, r.Body, options);
                if (c.DecidedBy == DecidedBy.Model) samples.Add((c.Confidence, c.Category == r.Category));
            }
        }
        return ConfidenceCalibration.Fit(samples);

        static string FoldKey(LabelledTicket r) => r.Family.Length > 0 ? r.Family : r.Id;
    }

    /// <summary>Labelled tickets from a CSV with a header (id, subject, body, category, dangerous, split, family, priority, language).</summary>
    public static IReadOnlyList<LabelledTicket> Read(TextReader reader)
    {
        using var csv = CsvReader.Create(
            reader,
            CsvReaderOptions.Default with
            {
                HasHeader = true,
                SkipEmptyLines = true,
                MalformedData = CsvMalformedDataHandling.Throw,
                FieldCountMismatch = CsvFieldCountHandling.Throw,
            },
            false);
        var header = csv.Headers.ToArray();
        var rows = new List<LabelledTicket>();
        while (csv.Read())
        {
            string? Field(string name) => Array.IndexOf(header, name) is var i and >= 0 ? csv.GetString(i) : null;
            rows.Add(new(
                Field("id") ?? "", Field("subject") ?? "", Field("body") ?? "", (Field("category") ?? "").Trim(),
                Field("dangerous") == "1", (Field("split") ?? "").Trim(), Field("family") ?? "",
                Field("priority"), Field("language")));
        }
        return rows;
    }

    private static List<LabelledTicket> ReadResource(string name)
    {
        using var stream = typeof(BuiltInModel).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the built-in model's data ({name}) is not embedded in {typeof(BuiltInModel).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return [.. Read(reader)];
    }
}
