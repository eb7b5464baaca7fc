using System.Globalization;
using System.Text.RegularExpressions;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Playbooks;

namespace Autotier.Domain.Clients;

/// <summary>
/// Whether a client profile can be used, setting by setting (issue #34 fix 6, <c>autotier client
/// set</c>): the first problem as one sentence that names the setting by its JSON path, or null.
/// The readers stay lenient (a stored profile the TypeScript app accepted still loads); this is the
/// gate for what people change.
/// </summary>
public static partial class ClientProfileRules
{
    /// <summary>The languages requesters may be answered in (TypeScript <c>LANGUAGES</c>).</summary>
    public static IReadOnlyList<string> Languages { get; } = ["en", "de", "es", "fr", "nl"];

    private const int MaxText = 200;

    /// <summary>Enough for an hour of 1-minute pages; a typo of 800 would page all night.</summary>
    private const int MaxPages = 48;

    private static readonly string[] LogoTypes = ["image/png", "image/jpeg", "image/webp"];

    public static string? Validate(ClientProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return Text("name", profile.Name, required: true)
            ?? (profile.AutoThreshold is >= 0 and <= 1 && double.IsFinite(profile.AutoThreshold)
                ? null
                : $"autoThreshold is {Number(profile.AutoThreshold)}: give a confidence from 0 to 1 (0.6 is the default)")
            ?? (SlaTiers.IsTier(profile.SlaTier) ? null : $"slaTier \"{profile.SlaTier}\" is not one of {string.Join(", ", SlaTiers.All)}")
            ?? Emails("vipEmails", profile.VipEmails, lowerCase: true)
            ?? Domains(profile.EmailDomains)
            ?? profile.BusinessHours?.Validate()
            ?? profile.Lifecycle?.Validate()
            ?? P1(profile.P1)
            ?? (profile.Language is null || Languages.Contains(profile.Language)
                ? null
                : $"language \"{profile.Language}\" is not one of {string.Join(", ", Languages)}")
            ?? Phone(profile.EmergencyPhone)
            ?? Systems(profile.SystemProfile)
            ?? Directory(profile.Directory)
            ?? Catalogue(profile.Access)
            ?? Brand(profile.Branding);
    }

    private static string? P1(P1Settings? p1)
    {
        if (p1 is null) return null;
        foreach (var (name, value) in new[] { ("responseMinutes", p1.ResponseMinutes), ("resolutionMinutes", p1.ResolutionMinutes), ("repageMinutes", p1.RepageMinutes), ("maxPages", p1.MaxPages) })
        {
            if (value < 1) return $"p1.{name} is {value}: give at least 1 (a zero would silence the pager)";
        }
        if (p1.ResolutionMinutes <= p1.ResponseMinutes)
            return $"p1.resolutionMinutes {p1.ResolutionMinutes} is not after p1.responseMinutes {p1.ResponseMinutes}";
        return p1.MaxPages > MaxPages ? $"p1.maxPages is {p1.MaxPages}: at most {MaxPages}" : null;
    }

    private static string? Phone(string? phone)
    {
        if (phone is null) return null;
        return PhoneNumber().IsMatch(phone) && phone.Count(char.IsAsciiDigit) is >= 6 and <= 20
            ? null
            : $"emergencyPhone \"{phone}\" is not a phone number (digits, spaces, + ( ) - . /, e.g. +44 20 7946 0000)";
    }

    /// <summary>Most devices, software or recent changes a profile lists (what an escalation carries).</summary>
    public const int MaxSystemItems = 30;

    private static string? Systems(SystemProfile? systems)
    {
        if (systems is null) return null;
        if (systems.VpnProduct is { } vpn && Text("systemProfile.vpnProduct", vpn, required: true) is { } bad) return bad;
        foreach (var (name, items) in new[] { ("devices", systems.Devices), ("software", systems.Software), ("recentChanges", systems.RecentChanges) })
        {
            // An escalation carries at most 30 of each; more would be cut without the engineer knowing.
            if (items.Count > MaxSystemItems) return $"systemProfile.{name} has {items.Count} items: at most {MaxSystemItems}";
            foreach (var item in items)
                if (Text($"systemProfile.{name} item", item, required: true) is { } badItem) return badItem;
        }
        foreach (var (site, model) in systems.Printers ?? new Dictionary<string, string>())
        {
            if (Text("systemProfile.printers site", site, required: true) is { } badSite) return badSite;
            if (Text($"systemProfile.printers.{site}", model, required: true) is { } badModel) return badModel;
        }
        foreach (var (user, site) in systems.UserSites ?? new Dictionary<string, string>())
        {
            if (!Email().IsMatch(user)) return $"systemProfile.userSites has \"{user}\", which is not a mail address";
            if (Text($"systemProfile.userSites.{user}", site, required: true) is { } badSite) return badSite;
        }
        return null;
    }

    private static string? Directory(DirectoryConnection? directory)
    {
        if (directory is null) return null;
        if (!Guid.TryParse(directory.TenantId, out _)) return $"directory.tenantId \"{directory.TenantId}\" is not a tenant id (a GUID)";
        string[] credentials = [DirectoryCredentials.WorkloadIdentity, DirectoryCredentials.ClientSecret, DirectoryCredentials.ManagedIdentity, DirectoryCredentials.None];
        if (!credentials.Contains(directory.Credential))
            return $"directory.credential \"{directory.Credential}\" is not one of {string.Join(", ", credentials)}";
        if (directory.AppId is { } app && !Guid.TryParse(app, out _)) return $"directory.appId \"{app}\" is not an app (client) id (a GUID)";
        if (directory.PassLifetimeMinutes is { } minutes && minutes is < 10 or > 43200)
            return $"directory.passLifetimeMinutes is {minutes}: Entra ID allows 10 to 43200";
        return null;
    }

    private static string? Catalogue(AccessPolicy? access)
    {
        if (access is null) return null;
        if (access.ApprovalAboveMonthlyCost < 0 || !double.IsFinite(access.ApprovalAboveMonthlyCost))
            return $"access.approvalAboveMonthlyCost is {Number(access.ApprovalAboveMonthlyCost)}: give 0 or more";
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in access.Products ?? [])
        {
            if (Text("access.products[].product", p.Product, required: true) is { } bad) return bad;
            if (!seen.Add(p.Product)) return $"access.products names \"{p.Product}\" twice";
            if (p.Sku is null && p.GroupId is null) return $"access.products \"{p.Product}\" needs a sku or a groupId (what to grant)";
            if (p.GroupId is { } group && !Guid.TryParse(group, out _)) return $"access.products \"{p.Product}\" groupId \"{group}\" is not a group id (a GUID)";
            if (p.MonthlyCost is { } cost && (cost < 0 || !double.IsFinite(cost))) return $"access.products \"{p.Product}\" monthlyCost is {Number(cost)}: give 0 or more";
        }
        return null;
    }

    private static string? Brand(Branding? branding)
    {
        if (branding is null) return null;
        return Text("branding.mspName", branding.MspName)
            ?? Text("branding.mspContact", branding.MspContact)
            ?? Text("branding.clientContact", branding.ClientContact)
            ?? Logo("branding.mspLogo", branding.MspLogo)
            ?? Logo("branding.clientLogo", branding.ClientLogo);
    }

    /// <summary>
    /// Why a logo cannot go into a report, or null: a <c>data:</c> URI of PNG, JPEG or WebP whose
    /// bytes are what it says (an SVG could carry script, a remote URL would make the report fetch).
    /// </summary>
    public static string? Logo(string setting, string? logo)
    {
        if (logo is null) return null;
        var match = DataUri().Match(logo);
        if (!match.Success)
            return $"{setting} must be a data:image/png, image/jpeg or image/webp URI with base64 data (give a file as @logo.png)";
        var type = match.Groups[1].Value.ToLowerInvariant();
        if (!LogoTypes.Contains(type)) return $"{setting} is {type}: give a PNG, JPEG or WebP picture";
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(match.Groups[2].Value);
        }
        catch (FormatException)
        {
            return $"{setting} has data that is not base64";
        }
        if (bytes.Length > Branding.MaxLogoBytes)
            return $"{setting} is {bytes.Length / 1024} KB: at most {Branding.MaxLogoBytes / 1024} KB, a report carries it inline";
        var real = PictureType(bytes);
        return real == type ? null : $"{setting} says {type} but its bytes are {real ?? "not a picture"}";
    }

    /// <summary>The type a logo's bytes say they are (PNG, JPEG, WebP), or null for anything else.</summary>
    public static string? PictureType(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0x89, 0x50, 0x4e, 0x47, ..] => "image/png",
        [0xff, 0xd8, 0xff, ..] => "image/jpeg",
        [0x52, 0x49, 0x46, 0x46, _, _, _, _, 0x57, 0x45, 0x42, 0x50, ..] => "image/webp",
        _ => null,
    };

    private static string? Emails(string setting, IReadOnlyList<string>? emails, bool lowerCase)
    {
        foreach (var e in emails ?? [])
        {
            if (!Email().IsMatch(e ?? "")) return $"{setting} has \"{e}\", which is not a mail address";
            if (lowerCase && e!.Any(char.IsUpper)) return $"{setting} has \"{e}\": write it in lower case";
        }
        return emails is not null && emails.Distinct(StringComparer.Ordinal).Count() != emails.Count ? $"{setting} names an address twice" : null;
    }

    private static string? Domains(IReadOnlyList<string>? domains)
    {
        foreach (var d in domains ?? [])
        {
            if (!DomainName().IsMatch(d ?? "")) return $"emailDomains has \"{d}\", which is not a domain name (e.g. example.org)";
        }
        return null;
    }

    private static string? Text(string setting, string? text, bool required = false)
    {
        if (text is null) return required ? $"{setting} is missing" : null;
        if (text.Trim().Length == 0) return $"{setting} is empty";
        if (text.Length > MaxText) return $"{setting} is {text.Length} characters: at most {MaxText}";
        return text.Any(char.IsControl) ? $"{setting} has a control character (a line break or tab)" : null;
    }

    private static string Number(double n) => n.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^[^@\s""<>(),;:\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")]
    private static partial Regex Email();

    [GeneratedRegex(@"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$")]
    private static partial Regex DomainName();

    [GeneratedRegex(@"^\+?[0-9][0-9 ()\-./]{4,28}[0-9]$")]
    private static partial Regex PhoneNumber();

    [GeneratedRegex(@"^data:(image/[a-z+.\-]+);base64,([A-Za-z0-9+/=]+)$", RegexOptions.IgnoreCase)]
    private static partial Regex DataUri();
}
