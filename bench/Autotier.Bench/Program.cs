using System.Diagnostics;
using Autotier.Domain.Classification.Model;
using Autotier.Training;

var file = args.Length > 1 ? args[1] : "../shared/data/it-service-tickets-train.csv";
var rows = LabelledCsv.Read(file, ["Document"], "Topic_group");
var (train, test) = Metrics.StratifiedSplit(rows, r => r.Label, 0.2, 11);
var sw = Stopwatch.StartNew();
var model = TextClassifier.Train([.. train.Select(r => r.Text)], [.. train.Select(r => r.Label)]);
Console.WriteLine($"train {sw.ElapsedMilliseconds} ms n={train.Count}");
sw.Restart();
var predicted = test.Select(r => model.Predict(r.Text).Label).ToList();
Console.WriteLine($"predict {test.Count * 1000.0 / sw.ElapsedMilliseconds:F0}/s");
var m = Metrics.Evaluate([.. test.Select(r => r.Label)], predicted);
Console.WriteLine($"acc {m.Accuracy} macroF1 {m.MacroF1}");
