using System.Text;
using Autotier.Application.Kb;
using Autotier.Application.Ports;
using Autotier.Domain.Kb;

namespace Autotier.Adapters.Files;

/// <summary>
/// A folder of Markdown articles (the <c>kb/</c> format, <see cref="KbMarkdown"/>): read whole and
/// checked before anything is imported, written one file per article on export.
/// </summary>
public static class KbFolder
{
    /// <summary>
    /// Every <c>.md</c> file of the folder, in name order, parsed. Throws <see cref="KbFormatException"/>
    /// naming the file (and line) of the first problem: a bad article, a picture it names that is not
    /// there, or two files with the same client and id.
    /// </summary>
    public static IReadOnlyList<KbArticleFile> Read(string dir, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(dir);
        if (!Directory.Exists(dir)) throw new KbFormatException(dir, null, "no such folder");
        var files = Directory.GetFiles(dir, "*.md").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new KbFormatException(dir, null, "no .md articles");
        var parsed = new List<KbArticleFile>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var article = KbMarkdown.Parse(file, File.ReadAllText(file, Encoding.UTF8), now);
            if (seen.TryGetValue(article.Article.Key, out var other))
                throw new KbFormatException(file, null, $"the id {article.Article.ArticleId} of client {article.Article.ClientId} is also in {other}");
            seen[article.Article.Key] = file;
            foreach (var image in article.ImageFiles)
            {
                if (!File.Exists(ImagePath(file, image))) throw new KbFormatException(file, null, $"image {image} not found beside the article");
            }
            parsed.Add(article);
        }
        return parsed;
    }

    /// <summary>
    /// Imports articles read by <see cref="Read"/>: their pictures first (so no article is seen before
    /// its pictures), then the articles (<see cref="KbImport"/>: what they earned is kept).
    /// </summary>
    public static async Task<int> ImportAsync(IReadOnlyList<KbArticleFile> files, IKbStore store, IKbImages images, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(images);
        if (files.Any(f => f.ImageFiles.Count > 0)) await images.EnsureCreatedAsync(cancellationToken);
        foreach (var file in files)
        {
            for (var i = 0; i < file.ImageFiles.Count; i++)
            {
                await using var content = File.OpenRead(ImagePath(file.File, file.ImageFiles[i]));
                await images.UploadAsync(file.Article.Images[i], content, cancellationToken);
            }
        }
        return await KbImport.ImportAsync(store, [.. files.Select(f => f.Article)], cancellationToken);
    }

    /// <summary>
    /// Writes the articles' pictures beside them (by file name, as the exported articles name them);
    /// returns the blob names that are missing from storage.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ExportImagesAsync(string dir, IEnumerable<KbArticle> articles, IKbImages images, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(articles);
        ArgumentNullException.ThrowIfNull(images);
        var missing = new List<string>();
        foreach (var name in articles.SelectMany(a => a.Images).Distinct(StringComparer.Ordinal))
        {
            var image = await images.ReadAsync(name, cancellationToken);
            if (image is null) missing.Add(name);
            else await File.WriteAllBytesAsync(Path.Combine(dir, Path.GetFileName(name)), image.Content, cancellationToken);
        }
        return missing;
    }

    /// <summary>Where a picture an article names is on disk: relative to the article's own folder.</summary>
    public static string ImagePath(string articleFile, string image)
    {
        ArgumentNullException.ThrowIfNull(articleFile);
        return Path.GetFullPath(image, Path.GetDirectoryName(Path.GetFullPath(articleFile))!);
    }

    /// <summary>
    /// Writes each article as <c>&lt;client or _all&gt;--&lt;id&gt;.md</c> (written whole or not at all);
    /// returns the files written, in id order.
    /// </summary>
    public static IReadOnlyList<string> Write(string dir, IEnumerable<KbArticle> articles)
    {
        ArgumentNullException.ThrowIfNull(articles);
        Directory.CreateDirectory(dir);
        var written = new List<string>();
        foreach (var a in articles.OrderBy(a => a.ArticleId, StringComparer.Ordinal).ThenBy(a => a.ClientId, StringComparer.Ordinal))
        {
            var client = a.IsGeneral ? "_all" : a.ClientId;
            var file = Path.Combine(dir, $"{SafeFileName(client)}--{a.ArticleId}.md");
            AtomicFile.Write(file, KbMarkdown.Format(a));
            written.Add(file);
        }
        return written;
    }

    // Client ids come from storage: one with a path separator must not write outside the folder.
    private static string SafeFileName(string name) =>
        string.Concat(name.Select(c => Path.GetInvalidFileNameChars().Contains(c) || c == '\\' ? '_' : c));
}
