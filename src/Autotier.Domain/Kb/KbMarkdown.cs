using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Autotier.Domain.Classification;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace Autotier.Domain.Kb;

/// <summary>An article read from its Markdown file, with the picture files it names (as written, relative to the file).</summary>
public sealed record KbArticleFile(string File, KbArticle Article, IReadOnlyList<string> ImageFiles);

/// <summary>A Markdown article that cannot be imported; the message names the file and, where there is one, the line.</summary>
public sealed class KbFormatException(string file, int? line, string problem)
    : FormatException(line is { } l ? $"{file}: line {l}: {problem}" : $"{file}: {problem}")
{
    public string File { get; } = file;

    public int? Line { get; } = line;

    public string Problem { get; } = problem;
}

/// <summary>
/// The knowledge base's file format, as the TypeScript CLI reads and writes it (<c>src/cli/kbFiles.ts</c>,
/// the <c>kb/</c> folder): one article per Markdown file, YAML front matter, then numbered steps.
/// <code>
/// ---
/// id: vpn-forticlient
/// client: demo            # or "*" for every client
/// category: vpn_remote_access
/// title: Connecting with FortiClient
/// tags: [vpn, forticlient]
/// variant: { vpnProduct: FortiClient }
/// images: [step-2.png]     # files beside the article
/// ---
/// 1. First step
/// 2) Second step
/// </code>
/// Lines that are not numbered steps (an introduction, blank lines) are not part of the article.
/// <c>uses</c> and <c>successes</c> in the front matter are written by export for people to read and
/// ignored on import: what an article earned lives in the store (import keeps it).
/// </summary>
public static partial class KbMarkdown
{
    private static readonly HashSet<string> VariantFields = new(StringComparer.Ordinal) { "vpnProduct", "printerModel", "site" };

    public static KbArticleFile Parse(string file, string text, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(text);
        var m = FrontMatter().Match(text.StartsWith('\uFEFF') ? text[1..] : text);
        if (!m.Success) throw new KbFormatException(file, null, "no front matter (a --- block at the top)");
        var yamlText = m.Groups[1].Value;
        // The YAML starts on the file's second line (the first is ---).
        const int yamlOffset = 1;
        var meta = ReadMapping(file, yamlText, yamlOffset);

        string Str(string key) => meta.TryGetValue(key, out var node)
            ? node is YamlScalarNode s ? (s.Value ?? "").Trim() : throw Bad(node, $"{key} must be a single value")
            : "";
        KbFormatException Bad(YamlNode node, string problem) => new(file, (int)node.Start.Line + yamlOffset, problem);
        int LineOf(string key) => meta.TryGetValue(key, out var n) ? (int)n.Start.Line + yamlOffset : 1;

        var id = Str("id");
        if (!ArticleId().IsMatch(id)) throw new KbFormatException(file, LineOf("id"), "id must be lowercase letters, digits and hyphens");
        var category = Str("category");
        if (!Categories.IsCategory(category))
            throw new KbFormatException(file, LineOf("category"), $"category \"{category}\" is not one of the autotier categories ({string.Join(", ", Categories.All)})");
        var title = Str("title");
        if (title.Length == 0) throw new KbFormatException(file, LineOf("title"), "title is required");

        var bodyLine = 1 + CountLines(text[..m.Groups[2].Index]);
        var steps = new List<string>();
        foreach (var line in m.Groups[2].Value.Split('\n'))
        {
            var step = Step().Match(line.TrimEnd('\r'));
            if (step.Success) steps.Add(step.Groups[1].Value);
        }
        if (steps.Count == 0) throw new KbFormatException(file, bodyLine, "the article has no numbered steps (lines such as \"1. Open the app.\")");

        List<string> List(string key)
        {
            if (!meta.TryGetValue(key, out var node)) return [];
            if (node is YamlScalarNode { Value: null or "" }) return [];
            if (node is not YamlSequenceNode seq) throw Bad(node, $"{key} must be a list, such as [a, b]");
            return [.. seq.Children.Select(c => c is YamlScalarNode s ? (s.Value ?? "").Trim() : throw Bad(c, $"{key} must be a list of single values"))];
        }
        var tags = List("tags");
        var images = List("images");
        var clientId = Str("client") is { Length: > 0 } c ? c : KbArticles.AllClients;
        var variant = ReadVariant(file, meta, yamlOffset);
        var folder = clientId == KbArticles.AllClients ? "_all" : clientId;
        var article = new KbArticle(
            id, clientId, category, title, steps, tags,
            [.. images.Select(i => $"{folder}/{id}/{Path.GetFileName(i)}")],
            variant, Uses: 0, Successes: 0, now);
        return new KbArticleFile(file, article, images);
    }

    /// <summary>The article as a file <see cref="Parse"/> reads back (pictures by file name, beside it).</summary>
    public static string Format(KbArticle article)
    {
        ArgumentNullException.ThrowIfNull(article);
        var meta = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["id"] = article.ArticleId,
            ["client"] = article.ClientId,
            ["category"] = article.Category,
            ["title"] = article.Title,
            ["tags"] = article.Tags,
        };
        if (article.Variant is { IsEmpty: false } v)
        {
            var variant = new Dictionary<string, string>(StringComparer.Ordinal);
            if (v.VpnProduct is not null) variant["vpnProduct"] = v.VpnProduct;
            if (v.PrinterModel is not null) variant["printerModel"] = v.PrinterModel;
            if (v.Site is not null) variant["site"] = v.Site;
            meta["variant"] = variant;
        }
        if (article.Images.Count > 0) meta["images"] = article.Images.Select(Path.GetFileName).ToList();
        meta["uses"] = article.Uses;
        meta["successes"] = article.Successes;
        var sb = new StringBuilder("---\n");
        sb.Append(Yaml.Serialize(meta).Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd()).Append("\n---\n");
        for (var i = 0; i < article.Steps.Count; i++)
            sb.Append(CultureInfo.InvariantCulture, $"{i + 1}. {article.Steps[i]}\n");
        return sb.ToString();
    }

    // Strings that YAML would read as something else ("*", "yes", "123") are quoted.
    private static readonly ISerializer Yaml = new SerializerBuilder().WithQuotingNecessaryStrings().Build();

    private static Dictionary<string, YamlNode> ReadMapping(string file, string yamlText, int yamlOffset)
    {
        var stream = new YamlStream();
        var scanner = new Scanner(new StringReader(yamlText));
        try
        {
            stream.Load(new Parser(scanner));
        }
        catch (YamlException e)
        {
            var first = e.Message.Split('\n')[0].Trim();
            throw new KbFormatException(file, (int)e.Start.Line + yamlOffset, $"front matter is not valid YAML ({first})");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet 18.1 throws this, without a position, for some unclosed brackets ("tags: [vpn"):
            // the scanner's position is where it gave up.
            throw new KbFormatException(file, (int)scanner.CurrentPosition.Line + yamlOffset, "front matter is not valid YAML (an unclosed [ or {?)");
        }
        if (stream.Documents.Count == 0) return [];
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new KbFormatException(file, 1 + yamlOffset, "front matter must be fields such as \"id: vpn-forticlient\"");
        var meta = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (key, value) in root.Children)
        {
            if (key is YamlScalarNode { Value: { } name }) meta[name] = value;
        }
        return meta;
    }

    private static KbVariant? ReadVariant(string file, Dictionary<string, YamlNode> meta, int yamlOffset)
    {
        if (!meta.TryGetValue("variant", out var node) || node is YamlScalarNode { Value: null or "" }) return null;
        if (node is not YamlMappingNode map)
            throw new KbFormatException(file, (int)node.Start.Line + yamlOffset, "variant must be fields, such as { vpnProduct: FortiClient }");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in map.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            // A misspelt field would silently fit every client: refuse it.
            if (!VariantFields.Contains(name))
                throw new KbFormatException(file, (int)key.Start.Line + yamlOffset, $"variant has no field \"{name}\" (it has vpnProduct, printerModel, site)");
            if (value is not YamlScalarNode { Value: { } text })
                throw new KbFormatException(file, (int)value.Start.Line + yamlOffset, $"variant {name} must be a single value");
            if (text.Trim().Length > 0) values[name] = text.Trim();
        }
        var variant = new KbVariant(values.GetValueOrDefault("vpnProduct"), values.GetValueOrDefault("printerModel"), values.GetValueOrDefault("site"));
        return variant.IsEmpty ? null : variant;
    }

    private static int CountLines(string text) => text.Count(ch => ch == '\n');

    [GeneratedRegex(@"^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$")]
    private static partial Regex FrontMatter();

    [GeneratedRegex(@"^\s*\d+[.)]\s+(.+?)\s*$")]
    private static partial Regex Step();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,80}$")]
    private static partial Regex ArticleId();
}
