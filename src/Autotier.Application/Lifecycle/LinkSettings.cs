using Autotier.Domain.Links;

namespace Autotier.Application.Lifecycle;

/// <summary>
/// What signed links need: the signing key (AUTOTIER_LINK_SIGNING_KEY, a Key Vault reference in
/// Azure; the local host makes one) and the base URL links point at (AUTOTIER_PUBLIC_BASE_URL).
/// </summary>
public sealed record LinkSettings(string SigningKey, string PublicBaseUrl)
{
    public const int MinKeyChars = 32;

    /// <summary>The settings, or the one-line error that names what is missing (never the value).</summary>
    public static LinkSettings From(string? signingKey, string? publicBaseUrl)
    {
        if (signingKey is null || signingKey.Length < MinKeyChars)
            throw new InvalidOperationException($"AUTOTIER_LINK_SIGNING_KEY must be set to a random value of at least {MinKeyChars} characters");
        return new LinkSettings(signingKey, (publicBaseUrl ?? "").TrimEnd('/'));
    }

    /// <summary>"Did this resolve your issue?" links for one question (its nonce), valid 14 days from <paramref name="at"/>.</summary>
    public (string Yes, string No) ConfirmLinks(string ticketId, string nonce, DateTimeOffset at)
    {
        var token = LinkTokens.Sign(new LinkToken(ticketId, nonce, at + LinkTokens.ConfirmLifetime), SigningKey);
        var baseUrl = $"{PublicBaseUrl}/api/tickets/{ticketId}/confirm?token={Uri.EscapeDataString(token)}";
        return (baseUrl + "&answer=yes", baseUrl + "&answer=no");
    }

    /// <summary>The closing mail's one-click ratings (1-5), signed with the rating key, one nonce per mail.</summary>
    public IReadOnlyList<string> RatingLinks(string ticketId, string step, DateTimeOffset at)
    {
        var token = LinkTokens.Sign(new LinkToken(ticketId, $"{ticketId}.rate.{step}", at + LinkTokens.RatingLifetime), LinkTokens.RatingKey(SigningKey));
        return [.. Enumerable.Range(1, 5).Select(score =>
            $"{PublicBaseUrl}/api/tickets/{ticketId}/rate?score={score}&token={Uri.EscapeDataString(token)}")];
    }

    /// <summary>"Is this you?": the link that proves the requester owns the address before a playbook changes their account.</summary>
    public string ProofLink(string ticketId, string nonce, DateTimeOffset at)
    {
        var token = LinkTokens.Sign(new LinkToken(ticketId, nonce, at + LinkTokens.ConfirmLifetime), LinkTokens.ProofKey(SigningKey));
        return $"{PublicBaseUrl}/api/tickets/{ticketId}/verify?token={Uri.EscapeDataString(token)}";
    }
}
