using System.Text.Json.Serialization;

namespace Autotier.Domain.Kb;

/// <summary>
/// One knowledge-base article: numbered steps a playbook sends, for one category, either a client's
/// own (<see cref="ClientId"/> is its id) or the MSP's general one (<see cref="KbArticles.AllClients"/>).
/// Field names are the TypeScript app's (<c>src/domain/kb.ts</c>), so stored JSON reads the same in both.
/// </summary>
/// <param name="Category">One of <see cref="Classification.Categories"/>.</param>
/// <param name="Images">Blob names of pictures for the steps (<c>&lt;client or _all&gt;/&lt;article&gt;/&lt;file&gt;</c>).</param>
/// <param name="Variant">What the article is specific to, matched against the client's system profile.</param>
/// <param name="Uses">Times it was sent and the requester answered (or went quiet).</param>
/// <param name="Successes">Times the requester said it fixed the problem.</param>
public sealed record KbArticle(
    string ArticleId,
    string ClientId,
    string Category,
    string Title,
    IReadOnlyList<string> Steps,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> Images,
    KbVariant? Variant,
    int Uses,
    int Successes,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Laplace-smoothed: a new article starts at 0.5 and earns its rate.</summary>
    [JsonIgnore]
    public double SuccessRate => (Successes + 1.0) / (Uses + 2.0);

    [JsonIgnore]
    public bool IsGeneral => ClientId == KbArticles.AllClients;

    /// <summary>Client and article id: what identifies an article (the same id may exist per client).</summary>
    [JsonIgnore]
    public string Key => $"{ClientId}/{ArticleId}";
}

/// <summary>What an article is specific to; every field set must fit the client.</summary>
public sealed record KbVariant(string? VpnProduct = null, string? PrinterModel = null, string? Site = null)
{
    [JsonIgnore]
    public bool IsEmpty => VpnProduct is null && PrinterModel is null && Site is null;
}

public static class KbArticles
{
    /// <summary>Articles shared by every client live under this client id.</summary>
    public const string AllClients = "*";
}
