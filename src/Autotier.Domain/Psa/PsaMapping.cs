using System.Text.Json;
using System.Text.RegularExpressions;

namespace Autotier.Domain.Psa;

/// <summary>
/// How one PSA connection maps onto autotier (<c>AUTOTIER_PSA_MAPPING</c>, the TypeScript app's JSON):
/// which PSA companies are which clients, which board, queue or team each tier works from, which PSA
/// status each autotier status is, and which PSA members are autotier itself (their changes are
/// never taken as new events).
/// </summary>
public sealed partial record PsaMapping(
    IReadOnlyDictionary<string, string> Companies,
    IReadOnlyDictionary<int, string> Tiers,
    IReadOnlyDictionary<PsaStatus, string> Statuses,
    IReadOnlyList<string> SelfIds)
{
    public const string Setting = "AUTOTIER_PSA_MAPPING";

    public static readonly PsaMapping Empty = new(
        new Dictionary<string, string>(), new Dictionary<int, string>(), new Dictionary<PsaStatus, string>(), []);

    private static readonly Dictionary<string, PsaStatus> StatusNames = new(StringComparer.Ordinal)
    {
        ["new"] = PsaStatus.New,
        ["in_progress"] = PsaStatus.InProgress,
        ["waiting_on_requester"] = PsaStatus.WaitingOnRequester,
        ["resolved"] = PsaStatus.Resolved,
        ["closed"] = PsaStatus.Closed,
    };

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex ClientId { get; }

    public string? Tier(int tier) => Tiers.TryGetValue(tier, out var id) ? id : null;

    public string? Status(PsaStatus status) => Statuses.TryGetValue(status, out var id) ? id : null;

    /// <summary>
    /// Reads the setting; empty when unset. A bad value throws a <see cref="FormatException"/> that
    /// names the setting and the field, never the value (it may sit beside secrets in a log).
    /// </summary>
    public static PsaMapping Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return Empty;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            throw Bad("is not valid JSON");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Bad("must be a JSON object");
            var companies = new Dictionary<string, string>(StringComparer.Ordinal);
            var tiers = new Dictionary<int, string>();
            var statuses = new Dictionary<PsaStatus, string>();
            var selfIds = new List<string>();
            foreach (var field in root.EnumerateObject())
            {
                switch (field.Name)
                {
                    case "companies":
                        foreach (var c in Object(field))
                        {
                            if (c.Value.ValueKind != JsonValueKind.String || !ClientId.IsMatch(c.Value.GetString()!))
                                throw Bad($"companies.{Safe(c.Name)}: must be a client id");
                            companies[c.Name] = c.Value.GetString()!;
                        }
                        break;
                    case "tiers":
                        foreach (var t in Object(field))
                        {
                            if (t.Name is not ("1" or "2" or "3")) throw Bad($"tiers: unknown tier {Safe(t.Name)}");
                            tiers[t.Name[0] - '0'] = Id(t.Value, $"tiers.{t.Name}");
                        }
                        break;
                    case "statuses":
                        foreach (var s in Object(field))
                        {
                            if (!StatusNames.TryGetValue(s.Name, out var status)) throw Bad($"statuses: unknown status {Safe(s.Name)}");
                            statuses[status] = Id(s.Value, $"statuses.{s.Name}");
                        }
                        break;
                    case "selfIds":
                        if (field.Value.ValueKind != JsonValueKind.Array) throw Bad("selfIds: must be an array");
                        foreach (var id in field.Value.EnumerateArray()) selfIds.Add(Id(id, "selfIds"));
                        break;
                    default:
                        throw Bad($"unknown field {Safe(field.Name)}");
                }
            }
            return new PsaMapping(companies, tiers, statuses, selfIds);
        }
    }

    private static JsonElement.ObjectEnumerator Object(JsonProperty field) =>
        field.Value.ValueKind == JsonValueKind.Object ? field.Value.EnumerateObject() : throw Bad($"{field.Name}: must be an object");

    private static string Id(JsonElement value, string where)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!.Trim(),
            JsonValueKind.Number when value.TryGetInt64(out var n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => "",
        };
        return text.Length is > 0 and <= 100 ? text : throw Bad($"{where}: must be an id (a string or a whole number)");
    }

    private static string Safe(string name) => name.Length > 40 ? name[..40] + "…" : Text.TextRules.SingleLine(name);

    private static FormatException Bad(string what) => new($"{Setting}: {what}");
}
