using System.Globalization;
using System.Text.RegularExpressions;

namespace Autotier.Domain.Playbooks;

/// <summary>The pure rules the playbooks apply (the TypeScript src/domain/playbook.ts helpers).</summary>
public static partial class PlaybookRules
{
    /// <summary>The subject and body as the playbooks read them.</summary>
    public static string TicketText(string subject, string body) => subject + "\n" + body;

    /// <summary>"locked out", "lockout", "account locked": an on-premises lockout is an engineer's job.</summary>
    public static bool MentionsLockout(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Lockout().IsMatch(text);
    }

    /// <summary><c>s***@example.org</c>: enough for the requester to recognise the address, not to read it.</summary>
    public static string MaskAddress(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        var parts = email.Split('@');
        var local = parts[0];
        var domain = parts.Length > 1 ? parts[1] : "";
        return (local.Length > 0 ? local[..1] : "") + "***@" + domain;
    }

    /// <summary>Catalogue products named in the text, by name or alias, as whole words.</summary>
    public static IReadOnlyList<AccessProduct> ProductsNamed(IReadOnlyList<AccessProduct> products, string text)
    {
        ArgumentNullException.ThrowIfNull(products);
        ArgumentNullException.ThrowIfNull(text);
        var haystack = " " + WordsOf(text) + " ";
        return [.. products.Where(p => new[] { p.Product }.Concat(p.Aliases ?? [])
            .Any(name => WordsOf(name) is { Length: > 0 } words && haystack.Contains(" " + words + " ", StringComparison.Ordinal)))];
    }

    // Lower case; anything but letters, digits, + # . is a word break (so "C++", "C#" and "365.2" stay words).
    private static string WordsOf(string s) => NotWord().Replace(s.ToLower(CultureInfo.InvariantCulture), " ").Trim();

    /// <summary>The client's policy for one product: the allow list, then the approval limit.</summary>
    public static AccessDecision Decide(AccessProduct product, AccessPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(product);
        ArgumentNullException.ThrowIfNull(policy);
        if (!product.SelfService)
            return new(false,
                $"{product.Product} is not on the client's self-service list; the client must approve it",
                $"{product.Product} needs approval from your organisation first, so one of our engineers will arrange it with them.");
        var cost = product.MonthlyCost ?? 0;
        if (cost > policy.ApprovalAboveMonthlyCost)
            return new(false,
                $"{product.Product} costs {Number(cost)} a month per user, above the client's approval limit of {Number(policy.ApprovalAboveMonthlyCost)}",
                $"{product.Product} has a cost that your organisation approves first, so one of our engineers will ask them and get back to you.");
        return new(true, null, null);
    }

    /// <summary>A number as JavaScript prints it (12, 12.5), never with a culture's separators.</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\block(?:ed)?[\s-]*out\b|\blockout\b|\baccount (?:is |got |has been )?locked\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Lockout();

    [GeneratedRegex(@"[^\p{L}\p{N}+#.]+")]
    private static partial Regex NotWord();
}

/// <summary>Whether automation may grant a product; when not, why (for the engineer) and what the requester is told.</summary>
public sealed record AccessDecision(bool Allowed, string? Reason, string? Told);
