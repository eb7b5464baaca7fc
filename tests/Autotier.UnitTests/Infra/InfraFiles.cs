using System.Text.RegularExpressions;
using Autotier.LocalHost;

namespace Autotier.UnitTests.Infra;

/// <summary>
/// The deployment's files as text (no Bicep compiler here: the policy tests read the Bicep the way a
/// reviewer does, ported from the TypeScript app's tests/unit/infra/infra.test.ts).
/// </summary>
internal static partial class InfraFiles
{
    public static string Root { get; } = RepositoryRoot.Find();

    public static string InfraDir { get; } = Path.Combine(Root, "infra");

    public static string Read(params string[] parts) => File.ReadAllText(Path.Combine([Root, .. parts]));

    public static string Rel(string file) => Path.GetRelativePath(Root, file).Replace('\\', '/');

    /// <summary>Each fragment is in the text, as written (the Bicep, a workflow, a query).</summary>
    public static void Has(string text, params string[] fragments)
    {
        foreach (var fragment in fragments) Xunit.Assert.Contains(fragment, text, StringComparison.Ordinal);
    }

    /// <summary>Every .bicep and .bicepparam file under infra/.</summary>
    public static IReadOnlyList<string> BicepFiles { get; } =
        [.. Directory.EnumerateFiles(InfraDir, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".bicep", StringComparison.Ordinal) || f.EndsWith(".bicepparam", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];

    /// <summary>The body of each <c>resource x 'Type@version' = {...}</c> (brace-matched), skipping <c>existing</c> ones.</summary>
    public static IReadOnlyList<string> Resources(string text, string type)
    {
        var declaration = new Regex($@"resource \w+ '{Regex.Escape(type)}@[^']+'\s*(existing\s*)?=\s*(if \([^)]*\)\s*)?\{{");
        var bodies = new List<string>();
        foreach (Match m in declaration.Matches(text))
        {
            if (m.Groups[1].Success) continue;
            bodies.Add(Braced(text, m.Index + m.Length));
        }
        return bodies;
    }

    /// <summary>The text from <paramref name="start"/> (just after an opening brace) to its closing brace.</summary>
    public static string Braced(string text, int start)
    {
        var depth = 1;
        var i = start;
        for (; depth > 0 && i < text.Length; i++)
        {
            if (text[i] == '{') depth++;
            else if (text[i] == '}') depth--;
        }
        return text[start..(i - 1)];
    }

    /// <summary>Every declaration of <paramref name="type"/> in infra/, with its file.</summary>
    public static IReadOnlyList<(string File, string Body)> All(string type) =>
        [.. BicepFiles.SelectMany(f => Resources(File.ReadAllText(f), type).Select(b => (Rel(f), b)))];

    /// <summary>The app settings function-app.bicep sets: its <c>{ name: 'X', value: ... }</c> entries and the host-name ones.</summary>
    public static IReadOnlyDictionary<string, string> AppSettings()
    {
        var app = Read("infra", "modules", "function-app.bicep");
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in SettingEntry().Matches(app)) settings[m.Groups[1].Value] = m.Groups[2].Value.Trim();
        var hostName = HostNameSettings().Match(app);
        foreach (Match m in UpperKey().Matches(hostName.Groups[1].Value)) settings[m.Groups[1].Value] = "(host name)";
        return settings;
    }

    /// <summary>One setting a line: <c>{ name: 'X', value: ... }</c>, its value read to the line's last brace.</summary>
    [GeneratedRegex(@"^\s*\{ name: '([^']+)', value: (.+) \}\s*$", RegexOptions.Multiline)]
    private static partial Regex SettingEntry();

    [GeneratedRegex(@"var hostNameSettings = \{([^}]*)\}")]
    private static partial Regex HostNameSettings();

    [GeneratedRegex(@"\b([A-Z][A-Z0-9_]+):")]
    private static partial Regex UpperKey();
}
