using Autotier.Domain.Classification;
using Autotier.Domain.Classification.Model;
using CsvHelper;

namespace Autotier.UnitTests.Classification;

/// <summary>One labelled ticket of data/msp-tickets.csv, data/msp-eval.csv or data/danger-extra.csv.</summary>
public sealed record LabelledTicket(
    string Id, string Subject, string Body, string Category, bool Dangerous, string Split, string Family,
    string? Priority, string? Language);

/// <summary>
/// The MSP data and the models trained from it, once per test run: the category model on the
/// train split of data/msp-tickets.csv (as the TS build does) and data/danger-extra.csv, the danger
/// model on the same rows' dangerous column, and the confidence calibration on out-of-fold
/// scores of the train split (folds by phrasing family, as the test split holds out families).
/// Nothing here reads data/msp-eval.csv or the test split to fit anything.
/// </summary>
public static class MspData
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln"))) return dir.FullName;
        throw new InvalidOperationException("Functions.sln not found above " + AppContext.BaseDirectory);
    });

    public static string DataPath(string file) => Path.Combine(Root.Value, "data", file);

    private static readonly Lazy<IReadOnlyList<LabelledTicket>> Corpus = new(() => Read("msp-tickets.csv"));
    private static readonly Lazy<IReadOnlyList<LabelledTicket>> EvalSet = new(() => Read("msp-eval.csv"));
    private static readonly Lazy<IReadOnlyList<LabelledTicket>> Extra = new(() => Read("danger-extra.csv"));

    public static IReadOnlyList<LabelledTicket> Train => [.. Corpus.Value.Where(r => r.Split == "train")];
    public static IReadOnlyList<LabelledTicket> Test => [.. Corpus.Value.Where(r => r.Split == "test")];
    public static IReadOnlyList<LabelledTicket> Eval => EvalSet.Value;
    public static IReadOnlyList<LabelledTicket> DangerExtra => Extra.Value;

    private static readonly Lazy<TextClassifier> CategoryModelLazy = new(() => TrainCategories([.. Train, .. DangerExtra]));
    private static readonly Lazy<TextClassifier> DangerModelLazy = new(() => TrainDanger(Train, DangerExtra));
    private static readonly Lazy<ConfidenceCalibration> CalibrationLazy = new(() => FitCalibration(Train));

    public static TextClassifier CategoryModel => CategoryModelLazy.Value;
    public static TextClassifier DangerModel => DangerModelLazy.Value;
    public static ConfidenceCalibration Calibration => CalibrationLazy.Value;

    /// <summary>The whole classifier as the app runs it, at an automation threshold.</summary>
    public static ClassifierOptions Options(double threshold = 0.6) =>
        new(threshold, CategoryModel, new DangerCheck(DangerModel), Calibration);

    public static string TextOf(LabelledTicket r) => TicketClassifier.CleanText(r.Subject, r.Body);

    public static TextClassifier TrainCategories(IReadOnlyList<LabelledTicket> rows) =>
        TextClassifier.Train([.. rows.Select(TextOf)], [.. rows.Select(r => r.Category)]);

    public static TextClassifier TrainDanger(IReadOnlyList<LabelledTicket> rows, IReadOnlyList<LabelledTicket> extra)
    {
        var all = rows.Concat(extra).ToList();
        return TextClassifier.Train([.. all.Select(TextOf)], [.. all.Select(r => r.Dangerous ? DangerCheck.Dangerous : DangerCheck.Safe)]);
    }

    /// <summary>
    /// Out-of-fold raw confidences of the classifier on the train split (five folds of whole
    /// families), mapped to how often each was right.
    /// </summary>
    public static ConfidenceCalibration FitCalibration(IReadOnlyList<LabelledTicket> train)
    {
        var families = train.Select(r => r.Family).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var foldOf = families.Select((f, i) => (f, i % 5)).ToDictionary(x => x.f, x => x.Item2, StringComparer.Ordinal);
        var samples = new List<(double, bool)>();
        for (var fold = 0; fold < 5; fold++)
        {
            var model = TrainCategories([.. train.Where(r => foldOf[r.Family] != fold), .. DangerExtra]);
            var options = new ClassifierOptions(0.6, model);
            foreach (var r in train.Where(r => foldOf[r.Family] == fold))
            {
                var c = TicketClassifier.Classify(r.Subject, r.Body, options);
                if (c.DecidedBy == DecidedBy.Model) samples.Add((c.Confidence, c.Category == r.Category));
            }
        }
        return ConfidenceCalibration.Fit(samples);
    }

    private static List<LabelledTicket> Read(string file)
    {
        using var reader = new StreamReader(DataPath(file));
        using var csv = CsvReader.Create(reader, CsvReaderOptions.Default with { HasHeader = true, SkipEmptyLines = true }, false);
        var header = csv.Headers.ToArray();
        var rows = new List<LabelledTicket>();
        while (csv.Read())
        {
            string? Field(string name) => Array.IndexOf(header, name) is var i and >= 0 ? csv.GetString(i) : null;
            rows.Add(new(
                Field("id") ?? "", Field("subject") ?? "", Field("body") ?? "", Field("category") ?? "",
                Field("dangerous") == "1", Field("split") ?? "", Field("family") ?? "",
                Field("priority"), Field("language")));
        }
        return rows;
    }
}
