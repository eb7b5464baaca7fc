using System.Globalization;
using CsvHelper;

namespace Autotier.Training;

/// <summary>Bad input data: the message names the file (and line, where there is one).</summary>
public sealed class DataException(string message) : Exception(message);

/// <summary>One labelled ticket of a CSV: its line (the header is line 1), text, label and every column.</summary>
public sealed record LabelledRow(int Line, string Text, string Label, IReadOnlyDictionary<string, string> Record);

/// <summary>
/// A CSV with a header row, as the TypeScript's readLabelledCsv reads it (csv-parse: quoted fields,
/// blank lines skipped, a BOM dropped, every row as wide as the header): the text columns joined
/// by a newline, the label trimmed and never empty, a text no longer than 100,000 characters.
/// </summary>
public static class LabelledCsv
{
    public const int MaxInputBytes = 512 * 1024 * 1024;

    public static IReadOnlyList<LabelledRow> Read(string file, IReadOnlyList<string> textColumns, string labelColumn, int maxTextChars = 100_000)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(textColumns);
        FileInfo info = new(file);
        if (!info.Exists) throw new DataException($"{file}: no such file");
        if (info.Length > MaxInputBytes) throw new DataException($"{file}: larger than {MaxInputBytes / 1048576} MB");
        using var reader = new StreamReader(file, detectEncodingFromByteOrderMarks: true);
        return Read(reader, file, textColumns, labelColumn, maxTextChars);
    }

    public static IReadOnlyList<LabelledRow> Read(TextReader text, string name, IReadOnlyList<string> textColumns, string labelColumn, int maxTextChars = 100_000)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(textColumns);
        // As csv-parse with relax_column_count false: a row wider or narrower than the header and
        // broken quoting are errors with their line, not rows silently padded or recovered.
        var options = CsvReaderOptions.Default with
        {
            HasHeader = true,
            SkipEmptyLines = true,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Throw,
            FieldCountMismatch = CsvFieldCountHandling.Throw,
        };
        var rows = new List<LabelledRow>();
        try
        {
            using var csv = CsvReader.Create(text, options, false);
            var header = csv.Headers.ToArray();
            if (header.Length == 0) throw new DataException($"{name}: the file is empty");
            foreach (var column in textColumns.Append(labelColumn))
                if (!header.Contains(column, StringComparer.Ordinal))
                    throw new DataException($"{name}: no column \"{column}\" (columns: {string.Join(", ", header)})");
            while (csv.Read())
            {
                var line = (int)csv.LineNumber;
                var record = new Dictionary<string, string>(header.Length, StringComparer.Ordinal);
                for (var i = 0; i < header.Length; i++) record[header[i]] = csv.GetString(i);
                var body = string.Join('\n', textColumns.Select(c => record[c]));
                var label = record[labelColumn].Trim();
                if (label.Length == 0) throw new DataException($"{name}: line {line}: empty \"{labelColumn}\"");
                if (body.Length > maxTextChars)
                    throw new DataException($"{name}: line {line}: text is longer than {maxTextChars} characters");
                rows.Add(new LabelledRow(line, body, label, record));
            }
        }
        catch (CsvFormatException e)
        {
            throw new DataException($"{name}{(e.LineNumber > 0 ? $": line {e.LineNumber}" : "")}: {e.Message.TrimEnd('.')}");
        }
        if (rows.Count == 0) throw new DataException($"{name}: no data rows under the header");
        return rows;
    }
}
