using System.Globalization;
using System.Text;
using System.Text.Json;
using Autotier.Adapters.Files;
using Autotier.Application.Json;

namespace Autotier.Cli;

/// <summary>Reading inputs and writing outputs the way every command does: errors name the file, outputs are whole or absent.</summary>
public static class CliFiles
{
    private const long MaxInputBytes = 512L * 1024 * 1024;

    /// <summary>The file's text; a missing, oversized or empty file is a bad-input error naming it.</summary>
    public static string ReadInput(string file)
    {
        var info = new FileInfo(file);
        if (!info.Exists) throw new CliException($"{file}: no such file", ExitCodes.BadInput);
        if (info.Length > MaxInputBytes)
            throw new CliException($"{file}: larger than {MaxInputBytes / (1024 * 1024)} MB", ExitCodes.BadInput);
        var text = File.ReadAllText(file, Encoding.UTF8);
        if (string.IsNullOrWhiteSpace(text)) throw new CliException($"{file}: the file is empty", ExitCodes.BadInput);
        return text;
    }

    /// <summary>One compact JSON object a line, to the file (atomically) or to standard output.</summary>
    public static void WriteJsonLines<T>(string? file, IEnumerable<T> rows, TextWriter stdout)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        var text = new StringBuilder();
        foreach (var row in rows) text.Append(JsonSerializer.Serialize(row, AutotierJson.Options)).Append('\n');
        if (file is null) stdout.Write(text.ToString());
        else AtomicFile.Write(file, text.ToString());
    }

    /// <summary>"line 1, lines 4-6, line 9", at most 20 runs (then "..."), as the TypeScript CLI says it.</summary>
    public static string SummariseLines(IReadOnlyList<int> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var runs = new List<string>();
        for (var i = 0; i < lines.Count;)
        {
            var j = i;
            while (j + 1 < lines.Count && lines[j + 1] == lines[j] + 1) j++;
            runs.Add(i == j
                ? string.Create(CultureInfo.InvariantCulture, $"line {lines[i]}")
                : string.Create(CultureInfo.InvariantCulture, $"lines {lines[i]}-{lines[j]}"));
            i = j + 1;
        }
        return runs.Count > 20 ? string.Join(", ", runs.Take(20)) + ", ..." : string.Join(", ", runs);
    }
}
