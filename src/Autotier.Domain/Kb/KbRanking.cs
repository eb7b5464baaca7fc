using System.Text.RegularExpressions;
using Autotier.Domain.Clients;

namespace Autotier.Domain.Kb;

/// <summary>
/// Which articles may answer a ticket and how they rank, as the TypeScript <c>bestArticle</c>: the
/// client's own and the general ones in the ticket's category whose variant fits the client; then
/// relevance to the ticket (normalised by the best one), plus the success rate, plus half a point for
/// the client's own article and half for a variant (a guide for the client's own product beats a
/// generic one). Relevance itself comes from the search index (Application's <c>KbIndex</c>).
/// </summary>
public static partial class KbRanking
{
    /// <summary>The articles a ticket of <paramref name="category"/> from <paramref name="client"/> may get, in the order given.</summary>
    public static IReadOnlyList<KbArticle> Candidates(
        IEnumerable<KbArticle> articles, string category, ClientProfile client, string? site = null)
    {
        ArgumentNullException.ThrowIfNull(articles);
        ArgumentNullException.ThrowIfNull(client);
        return [.. articles.Where(a =>
            a.Category == category
            && (a.ClientId == client.ClientId || a.IsGeneral)
            && VariantFits(a, client, site))];
    }

    /// <summary>
    /// An article without a variant fits everyone. A site must be the requester's; a VPN product the
    /// client's; a printer model one of the client's printers, the one at the requester's site when
    /// that site has one (the site decides which model the guide is for).
    /// </summary>
    public static bool VariantFits(KbArticle article, ClientProfile client, string? site)
    {
        ArgumentNullException.ThrowIfNull(article);
        ArgumentNullException.ThrowIfNull(client);
        var v = article.Variant;
        if (v is null) return true;
        var all = client.SystemProfile.Printers ?? new Dictionary<string, string>();
        var atSite = site is not null && all.TryGetValue(site, out var model) ? model : null;
        var printers = (atSite is not null ? [atSite] : all.Values).Select(p => p.ToLowerInvariant()).ToList();
        if (!string.IsNullOrEmpty(v.Site) && !string.IsNullOrEmpty(site) && !string.Equals(v.Site, site, StringComparison.OrdinalIgnoreCase))
            return false;
        if (!string.IsNullOrEmpty(v.VpnProduct) && !string.Equals(v.VpnProduct, client.SystemProfile.VpnProduct ?? "", StringComparison.OrdinalIgnoreCase))
            return false;
        if (!string.IsNullOrEmpty(v.PrinterModel))
        {
            var wanted = v.PrinterModel.ToLowerInvariant();
            if (!printers.Any(p => p.Contains(wanted, StringComparison.Ordinal))) return false;
        }
        return true;
    }

    /// <summary>
    /// The best of <paramref name="candidates"/>: <paramref name="relevance"/> maps an article's
    /// <see cref="KbArticle.Key"/> to its search score (absent: no match). Ties keep the given order.
    /// </summary>
    public static KbArticle? Best(IReadOnlyList<KbArticle> candidates, IReadOnlyDictionary<string, double> relevance, string clientId)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(relevance);
        if (candidates.Count == 0) return null;
        // The best candidate's relevance, at least 1, as the TypeScript app (which searched the
        // candidates only): weak matches are not blown up to a full point, and an article of another
        // category that the index also scored does not shrink the candidates' relevance.
        var top = Math.Max(1, candidates.Select(a => relevance.GetValueOrDefault(a.Key)).Max());
        double Score(KbArticle a) =>
            (relevance.TryGetValue(a.Key, out var r) ? r : 0) / top
            + a.SuccessRate
            + (a.ClientId == clientId ? 0.5 : 0)
            + (a.Variant is { IsEmpty: false } ? 0.5 : 0);
        // OrderByDescending is stable: equal scores keep the candidates' order, as JavaScript's sort.
        return candidates.OrderByDescending(Score).First();
    }

    /// <summary>Tags too general to say which error an article is about.</summary>
    private static readonly HashSet<string> GenericTags = new(StringComparer.Ordinal)
    {
        "error", "errors", "crash", "crashes", "problem", "issue", "not working", "broken", "bug",
    };

    /// <summary>
    /// A known-error article documents the fix for errors its tags name (the app, an error code, the
    /// message): it matches a ticket when one of those tags appears in the ticket's text as whole
    /// words. General tags such as "error" or "crash" never match on their own.
    /// </summary>
    public static bool MatchesKnownError(KbArticle article, string ticketText)
    {
        ArgumentNullException.ThrowIfNull(article);
        ArgumentNullException.ThrowIfNull(ticketText);
        var text = Whitespace().Replace(ticketText.ToLowerInvariant(), " ");
        foreach (var tag in article.Tags)
        {
            var t = tag.Trim().ToLowerInvariant();
            if (t.Length == 0 || GenericTags.Contains(t)) continue;
            // Whole words: no letter or digit (any script) on either side.
            var pattern = $@"(^|[^\p{{L}}\p{{N}}]){Regex.Escape(t)}($|[^\p{{L}}\p{{N}}])";
            if (Regex.IsMatch(text, pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))) return true;
        }
        return false;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
