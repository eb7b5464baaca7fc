using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Autotier.Application.Json;
using Autotier.Domain.Classification;
using Autotier.Domain.Clients;
using Autotier.Domain.Lifecycle;

namespace Autotier.Application.Clients;

/// <summary>A setting changed, or why not.</summary>
public abstract record SettingChange
{
    private SettingChange() { }

    /// <param name="Changed">False when the profile already said so (nothing to write).</param>
    public sealed record Done(ClientProfile Profile, bool Changed) : SettingChange;

    public sealed record Refused(string Error) : SettingChange;
}

/// <summary>
/// One setting of a client profile changed by its JSON path (issue #34 fix 6, <c>autotier client
/// set</c>): <c>lifecycle.reopenWindowDays 5</c>, <c>systemProfile.printers.Main Street "HP M404"</c>,
/// <c>portal.anonymous true</c>. The value is read as the setting's type (a whole number, a list of
/// addresses, one of a few words, JSON for the catalogue and the directory), put into the profile's
/// JSON, read back, and the whole profile checked with <see cref="ClientProfileRules"/>, so a change
/// is refused with one sentence rather than stored half right. An empty value removes an optional
/// setting (back to its default). Setting what is already there changes nothing.
/// </summary>
public static class ClientSettings
{
    private enum Kind { Text, Whole, Number, Flag, Words, Emails, Domains, Days, Json, Lines }

    private sealed record Setting(string Path, Kind Kind, string Help, IReadOnlyList<string>? Words = null, bool Required = false, bool KeyedByRest = false);

    private static readonly Setting[] Settings =
    [
        new("name", Kind.Text, "the client's name", Required: true),
        new("slaTier", Kind.Words, "the SLA tier", SlaTiers.All, Required: true),
        new("autoThreshold", Kind.Number, "the classifier confidence from which automation runs (0 to 1)", Required: true),
        new("vipEmails", Kind.Emails, "requesters whose tickets start a priority higher (comma-separated addresses)"),
        new("emailDomains", Kind.Domains, "mail domains that are this client's (comma-separated)"),
        new("language", Kind.Words, "the requesters' language", ClientProfileRules.Languages),
        new("emergencyPhone", Kind.Text, "the MSP's emergency number in a security incident's mails"),
        new("businessHours", Kind.Json, "business hours as JSON {timeZone, days, start, end}", Required: true),
        new("businessHours.timeZone", Kind.Text, "an IANA time zone, e.g. Europe/London", Required: true),
        new("businessHours.days", Kind.Days, "working days, 1 = Monday ... 7 = Sunday (comma-separated)", Required: true),
        new("businessHours.start", Kind.Text, "opening time HH:MM", Required: true),
        new("businessHours.end", Kind.Text, "closing time HH:MM", Required: true),
        new("lifecycle.tierLimitMinutes.", Kind.Whole, "minutes tier 1, 2 or 3 has to record a plan", KeyedByRest: true),
        new("lifecycle.reminderAfterHours", Kind.Whole, "hours after the guide before the reminder"),
        new("lifecycle.silenceAfterHours", Kind.Whole, "hours after the reminder before the silence policy applies"),
        new("lifecycle.reopenWindowDays", Kind.Whole, "days after a resolution in which a reply reopens the ticket"),
        new("lifecycle.maxTier", Kind.Whole, "the highest tier a ticket goes up to (2 or 3)"),
        new("lifecycle.onSilence.", Kind.Words, "what silence does to a category's tickets", ["escalate", "close"], KeyedByRest: true),
        new("p1.responseMinutes", Kind.Whole, "P1 response window, minutes around the clock"),
        new("p1.resolutionMinutes", Kind.Whole, "P1 resolution window, minutes around the clock"),
        new("p1.repageMinutes", Kind.Whole, "minutes between pages of the on-call until a plan"),
        new("p1.maxPages", Kind.Whole, "pages at most per escalation"),
        new("systemProfile.vpnProduct", Kind.Text, "the VPN client the guides are for, e.g. FortiClient"),
        new("systemProfile.devices", Kind.Lines, "the client's devices, for every escalation (separated by ;), e.g. 20 Windows 11 laptops; 3 reception PCs"),
        new("systemProfile.software", Kind.Lines, "the client's software, for every escalation (separated by ;)"),
        new("systemProfile.recentChanges", Kind.Lines, "what changed lately, for every escalation (separated by ;)"),
        new("systemProfile.printers.", Kind.Text, "the printer model at a site", KeyedByRest: true),
        new("systemProfile.userSites.", Kind.Text, "the site of a user (by address)", KeyedByRest: true),
        new("access", Kind.Json, "the catalogue as JSON {approvalAboveMonthlyCost, products: [{product, selfService, sku|groupId, monthlyCost}]}"),
        new("access.approvalAboveMonthlyCost", Kind.Number, "the monthly cost above which a person approves a grant"),
        new("directory", Kind.Json, "the Entra ID connection as JSON {tenantId, credential, appId, ...}"),
        new("portal.anonymous", Kind.Flag, "whether people who have not signed in may file on the portal (true or false)"),
        new("branding.mspName", Kind.Text, "the MSP's name on the report"),
        new("branding.mspLogo", Kind.Text, "the MSP's logo: a PNG, JPEG or WebP data: URI (the CLI reads @file.png)"),
        new("branding.mspContact", Kind.Text, "how the client reaches the MSP"),
        new("branding.clientLogo", Kind.Text, "the client's logo: a PNG, JPEG or WebP data: URI (the CLI reads @file.png)"),
        new("branding.clientContact", Kind.Text, "the client's own contact for its service desk"),
    ];

    /// <summary>Every setting and what it is, for help and for the error that names an unknown one.</summary>
    public static IReadOnlyList<(string Setting, string Help)> All { get; } = [.. Settings.Select(s => (s.KeyedByRest ? s.Path + KeyName(s.Path) : s.Path, s.Help))];

    private static string KeyName(string path) => path switch
    {
        "systemProfile.printers." => "<site>",
        "systemProfile.userSites." => "<address>",
        "lifecycle.onSilence." => "<category>",
        _ => "<tier>",
    };

    public static SettingChange Apply(ClientProfile profile, string setting, string value)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(setting);
        ArgumentNullException.ThrowIfNull(value);
        var known = Settings.FirstOrDefault(s => s.KeyedByRest ? setting.StartsWith(s.Path, StringComparison.Ordinal) && setting.Length > s.Path.Length : s.Path == setting);
        if (known is null)
            return new SettingChange.Refused($"\"{setting}\" is not a setting; the settings are {string.Join(", ", All.Select(a => a.Setting))}");
        var path = known.KeyedByRest ? [.. known.Path.TrimEnd('.').Split('.'), setting[known.Path.Length..]] : setting.Split('.');
        if (known.KeyedByRest && Key(known, path[^1]) is { } badKey) return new SettingChange.Refused(badKey);

        JsonNode? node = null;
        if (value.Length > 0)
        {
            var parsed = Parse(known, setting, value);
            if (parsed.Error is not null) return new SettingChange.Refused(parsed.Error);
            node = parsed.Node;
        }
        else if (known.Required)
        {
            return new SettingChange.Refused($"{setting} cannot be removed: give a value ({known.Help})");
        }

        var json = (JsonObject)JsonSerializer.SerializeToNode(profile, AutotierJson.Options)!;
        var before = json.ToJsonString();
        var parent = json;
        foreach (var name in path[..^1])
        {
            if (parent[name] is not JsonObject child)
            {
                child = [];
                parent[name] = child;
            }
            parent = child;
        }
        if (node is null) parent.Remove(path[^1]);
        else parent[path[^1]] = node;
        Prune(json, path);
        return Checked(json, before, setting);
    }

    /// <summary>
    /// The profile a deployment gives (<c>infra/clients/&lt;client&gt;.profile.json</c>, reaching the app
    /// as <c>AUTOTIER_CLIENT_PROFILE</c>): its top-level settings over the stored profile's, so what
    /// the file leaves out and <c>autotier client set</c> changed survives a restart, as in the
    /// TypeScript app. Checked by the same rules as one <c>client set</c>, so a file that would be
    /// refused there is refused here too, whole.
    /// </summary>
    /// <param name="stored">The profile as stored, or null for a new client.</param>
    public static SettingChange FromDeployment(ClientProfile? stored, string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonObject given;
        try
        {
            if (JsonNode.Parse(json) is not JsonObject obj) return new SettingChange.Refused("the client profile is not a JSON object");
            given = obj;
        }
        catch (JsonException e)
        {
            return new SettingChange.Refused($"the client profile is not valid JSON: {FirstLine(e.Message)}");
        }
        if (given["clientId"] is not JsonValue id || id.GetValueKind() != JsonValueKind.String || id.GetValue<string>().Trim().Length == 0)
            return new SettingChange.Refused("clientId: the client profile names no client");
        if (stored is not null && stored.ClientId != id.GetValue<string>())
            return new SettingChange.Refused($"clientId \"{id.GetValue<string>()}\" is not the stored client \"{stored.ClientId}\"");
        var known = Settings.Select(s => s.Path.Split('.')[0]).Append("clientId").ToHashSet(StringComparer.Ordinal);
        if (given.Select(p => p.Key).FirstOrDefault(k => !known.Contains(k)) is { } unknown)
            return new SettingChange.Refused($"\"{unknown}\" is not a setting; the settings are {string.Join(", ", known.Order(StringComparer.Ordinal))}");

        var merged = stored is null ? [] : (JsonObject)JsonSerializer.SerializeToNode(stored, AutotierJson.Options)!;
        var before = stored is null ? "" : merged.ToJsonString();
        foreach (var (name, value) in given) merged[name] = value?.DeepClone();
        return Checked(merged, before, "the client profile");
    }

    /// <summary>The profile's JSON read back and checked whole (<see cref="ClientProfileRules"/>): every change goes through here.</summary>
    private static SettingChange Checked(JsonObject json, string before, string what)
    {
        ClientProfile changed;
        try
        {
            changed = json.Deserialize<ClientProfile>(AutotierJson.Options)!;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or FormatException or NotSupportedException)
        {
            return new SettingChange.Refused($"{what}: {FirstLine(e.Message)}");
        }
        if (ClientProfileRules.Validate(changed) is { } error) return new SettingChange.Refused(error);
        // Compared as the store writes them: the same setting again is no change.
        var after = JsonSerializer.SerializeToNode(changed, AutotierJson.Options)!.ToJsonString();
        return new SettingChange.Done(changed, after != before);
    }

    private static string? Key(Setting setting, string key) => setting.Path switch
    {
        "lifecycle.tierLimitMinutes." when key is not ("1" or "2" or "3") => $"lifecycle.tierLimitMinutes.{key}: tiers are 1, 2 and 3",
        "lifecycle.onSilence." when !Categories.IsCategory(key) => $"lifecycle.onSilence.{key}: not a category ({string.Join(", ", Categories.All)})",
        _ when key.Trim().Length == 0 => $"{setting.Path}{KeyName(setting.Path)}: name the {KeyName(setting.Path).Trim('<', '>')}",
        _ => null,
    };

    private static (JsonNode? Node, string? Error) Parse(Setting setting, string name, string value)
    {
        switch (setting.Kind)
        {
            case Kind.Text:
                return (JsonValue.Create(value), null);
            case Kind.Whole:
                return int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole)
                    ? (JsonValue.Create(whole), null)
                    : (null, $"{name} is a whole number ({setting.Help}), not \"{value}\"");
            case Kind.Number:
                return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
                    ? (JsonValue.Create(number), null)
                    : (null, $"{name} is a number ({setting.Help}), not \"{value}\"");
            case Kind.Flag:
                return value.ToLowerInvariant() switch
                {
                    "true" or "yes" or "on" => (JsonValue.Create(true), null),
                    "false" or "no" or "off" => (JsonValue.Create(false), null),
                    _ => (null, $"{name} is true or false, not \"{value}\""),
                };
            case Kind.Words:
                return setting.Words!.Contains(value)
                    ? (JsonValue.Create(value), null)
                    : (null, $"{name} is one of {string.Join(", ", setting.Words!)}, not \"{value}\"");
            case Kind.Emails or Kind.Domains:
                // Addresses and domains are case-insensitive: stored in lower case, each once.
                return (new JsonArray([.. List(value).Select(v => v.ToLowerInvariant()).Distinct(StringComparer.Ordinal).Select(v => (JsonNode)JsonValue.Create(v))]), null);
            case Kind.Lines:
                // Items are phrases with spaces and commas ("Moved to M365, then MFA"): only ';' or a line break separates them.
                return (new JsonArray([.. value.Split([';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => (JsonNode)JsonValue.Create(v))]), null);
            case Kind.Days:
                var days = new JsonArray();
                foreach (var d in List(value))
                {
                    if (!int.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out var day))
                        return (null, $"{name} lists days as numbers, 1 = Monday ... 7 = Sunday, not \"{d}\"");
                    days.Add(day);
                }
                return (days, null);
            default:
                try
                {
                    return JsonNode.Parse(value) is JsonObject obj ? (obj, null) : (null, $"{name} is a JSON object ({setting.Help})");
                }
                catch (JsonException e)
                {
                    return (null, $"{name} is not valid JSON: {FirstLine(e.Message)}");
                }
        }
    }

    private static string[] List(string value) =>
        value.Split([',', ';', ' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>An object emptied by removing its last setting goes too (the profile's default applies again).</summary>
    private static void Prune(JsonObject root, string[] path)
    {
        for (var depth = path.Length - 1; depth > 0; depth--)
        {
            var parent = root;
            foreach (var name in path.Take(depth - 1)) parent = (JsonObject)parent[name]!;
            if (parent[path[depth - 1]] is JsonObject { Count: 0 }) parent.Remove(path[depth - 1]);
        }
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
