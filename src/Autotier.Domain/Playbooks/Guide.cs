using Autotier.Domain.Kb;

namespace Autotier.Domain.Playbooks;

/// <summary>
/// What a playbook sends the requester: numbered steps, as the TypeScript <c>Guide</c>
/// (src/domain/guides.ts) with the same JSON field names, so a guide pinned on a ticket reads the same.
/// </summary>
/// <param name="ArticleId">The knowledge-base article, or <c>builtin-...</c> for a built-in guide.</param>
public sealed record Guide(string ArticleId, string Title, IReadOnlyList<string> Steps)
{
    /// <summary>The opening sentence when the default ("these steps usually sort it out") does not fit.</summary>
    public string? Intro { get; init; }

    /// <summary>Blob names of the knowledge-base pictures, sent inline under the steps; null when none.</summary>
    public IReadOnlyList<string>? Images { get; init; }

    /// <summary>An article as a guide: its steps, and its pictures when it has any.</summary>
    public static Guide FromArticle(KbArticle article)
    {
        ArgumentNullException.ThrowIfNull(article);
        return new(article.ArticleId, article.Title, article.Steps)
        {
            Images = article.Images.Count > 0 ? article.Images : null,
        };
    }
}
