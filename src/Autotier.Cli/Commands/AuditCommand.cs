using System.CommandLine;
using System.Globalization;
using System.Text;
using Autotier.Domain.Classification;
using Autotier.Domain.Clients;
using Autotier.Training;

namespace Autotier.Cli.Commands;

/// <summary>
/// <c>autotier audit --in export.csv --text-column A[,B] [--threshold 0.6] [--success-rate 0.8] [--model M]</c>:
/// the pre-automation audit of a PSA export, as the TypeScript command prints it: each category's
/// share, how much of it automation may touch (confident, safe, a playbook exists), and the
/// deflection to expect at a playbook success rate. Reads the file only.
/// </summary>
public static class AuditCommand
{
    public static Command Build(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = new Option<string>("--in") { Description = "the PSA export (CSV with a header row)", Required = true };
        var textColumn = new Option<string>("--text-column") { Description = "the text column, or several joined by commas", Required = true };
        var threshold = new Option<double>("--threshold") { Description = "automation threshold", DefaultValueFactory = _ => 0.6 };
        var successRate = new Option<double>("--success-rate") { Description = "the share of automated tickets a playbook resolves", DefaultValueFactory = _ => 0.8 };
        var model = new Option<string?>("--model") { Description = "a model file (default: the built-in model)" };
        var command = new Command("audit", "what automation would take on in a PSA export") { input, textColumn, threshold, successRate, model };
        command.SetAction(async (parsed, cancellationToken) => await ClassifierCommand.Guard(context, async () =>
        {
            var rate = parsed.GetValue(successRate);
            if (!(rate > 0 && rate <= 1)) throw new DataException("--success-rate must be between 0 and 1");
            var columns = parsed.GetValue(textColumn)!.Split(',').Select(c => c.Trim()).ToArray();
            // The label column is not needed: naming the first text column again lets the reader check the file.
            var rows = LabelledCsv.Read(parsed.GetValue(input)!, columns, columns[0], 1_000_000);
            var classifier = context.Classifiers.Load(parsed.GetValue(model));
            var profile = new ClientProfile("audit", "audit") { AutoThreshold = parsed.GetValue(threshold) };
            var classified = new List<TicketClassification>(rows.Count);
            foreach (var row in rows) classified.Add(await classifier.ClassifyAsync(row.Text, "", profile, null, cancellationToken));
            await context.Out.WriteLineAsync(Format(Audit(classified, rate)));
        }));
        return command;
    }

    public sealed record AuditRow(string Category, int Tickets, double Share, int Automatable);

    public sealed record AuditResult(IReadOnlyList<AuditRow> Rows, int Total, int Automatable, double SuccessRate, double ProjectedDeflection);

    public static AuditResult Audit(IReadOnlyList<TicketClassification> classified, double successRate)
    {
        ArgumentNullException.ThrowIfNull(classified);
        var total = classified.Count;
        var rows = Categories.All.Select(category =>
        {
            var mine = classified.Where(c => c.Category == category).ToList();
            return new AuditRow(category, mine.Count, (double)mine.Count / total, mine.Count(c => c.Route == Routes.Auto));
        }).ToList();
        var automatable = rows.Sum(r => r.Automatable);
        return new AuditResult(rows, total, automatable, successRate, (double)automatable / total * successRate);
    }

    /// <summary>The TypeScript formatAudit's table and two lines, character for character.</summary>
    public static string Format(AuditResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        static string Pct(double x) => (x * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";
        static string N(int x) => x.ToString(CultureInfo.InvariantCulture);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{"category",-20} {"tickets",8} {"share",7} {"automatable",12}\n");
        foreach (var r in result.Rows)
            text.Append(CultureInfo.InvariantCulture, $"{r.Category,-20} {N(r.Tickets),8} {Pct(r.Share),7} {N(r.Automatable),12}\n");
        text.Append(CultureInfo.InvariantCulture, $"{"total",-20} {N(result.Total),8} {"100.0%",7} {N(result.Automatable),12}\n\n");
        text.Append(CultureInfo.InvariantCulture,
            $"automatable share: {Pct((double)result.Automatable / result.Total)} of tickets ({result.Automatable} of {result.Total})\n");
        text.Append(CultureInfo.InvariantCulture,
            $"projected deflection at {Pct(result.SuccessRate)} playbook success: {Pct(result.ProjectedDeflection)} of tickets (about {Math.Round(result.ProjectedDeflection * result.Total, MidpointRounding.AwayFromZero).ToString(CultureInfo.InvariantCulture)} of {result.Total}) resolved with no engineer");
        return text.ToString();
    }
}
