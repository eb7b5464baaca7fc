using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Autotier.Domain.Intake;
using Autotier.Domain.Text;
using Autotier.Domain.Tickets;

namespace Autotier.Domain.Webhooks;

/// <summary>The PSAs whose webhooks autotier takes, by the names routes, settings and external ids use.</summary>
public static class PsaVendors
{
    public const string ConnectWise = "connectwise";
    public const string Autotask = "autotask";
    public const string HaloPsa = "halopsa";

    public static readonly IReadOnlyList<string> All = [ConnectWise, Autotask, HaloPsa];

    public static bool IsVendor(string? name) => name is ConnectWise or Autotask or HaloPsa;

    public static Channel ChannelOf(string vendor) => vendor switch
    {
        ConnectWise => Channel.ConnectWise,
        Autotask => Channel.Autotask,
        HaloPsa => Channel.HaloPsa,
        _ => throw new ArgumentOutOfRangeException(nameof(vendor), vendor, "not a PSA"),
    };
}

/// <summary>A PSA ticket as intake needs it, whichever PSA it came from (fields may be missing in a delivery).</summary>
public sealed record PsaTicketFields
{
    public string? Id { get; init; }

    /// <summary>The number people quote (Autotask's T20261122.0001); the id elsewhere.</summary>
    public string? Number { get; init; }

    public string? Summary { get; init; }

    public string? Description { get; init; }

    public IReadOnlyList<string> CompanyKeys { get; init; } = [];

    public string? ContactName { get; init; }

    public string? ContactEmail { get; init; }

    /// <summary>Complete enough to map: it names a company, a contact address and a summary.</summary>
    public bool IsComplete => Id is { Length: > 0 } && Summary is { Length: > 0 } && CompanyKeys.Count > 0 && ContactEmail is { Length: > 0 };
}

public enum PsaAction { Created, Updated, Deleted, Other }

/// <summary>One PSA webhook delivery, reduced to what intake needs.</summary>
public sealed record PsaEvent(string Vendor, string EventId, PsaAction Action, string TicketId, string? ActorId, PsaTicketFields Partial)
{
    /// <summary>ConnectWise only: the URL of the key that signed it (not yet trusted).</summary>
    public string? KeyUrl { get; init; }
}

/// <summary>
/// Which PSA companies are which clients, and which PSA members are autotier itself (their changes
/// are never new events): the intake part of <c>AUTOTIER_PSA_MAPPING</c>
/// (<c>{companies:{"250":"demo"}, selfIds:["77"], tiers, statuses}</c>; tiers and statuses are the write-back's).
/// </summary>
public sealed record PsaIntakeMapping(IReadOnlyDictionary<string, string> Companies, IReadOnlyList<string> SelfIds)
{
    public static readonly PsaIntakeMapping Empty = new(new Dictionary<string, string>(), []);

    public static PsaIntakeMapping Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return Empty;
        JsonElement root;
        try
        {
            root = JsonElement.Parse(json);
        }
        catch (JsonException)
        {
            throw new FormatException("AUTOTIER_PSA_MAPPING is not valid JSON");
        }
        if (root.ValueKind != JsonValueKind.Object) throw new FormatException("AUTOTIER_PSA_MAPPING: must be a JSON object");
        var companies = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("companies", out var c))
        {
            if (c.ValueKind != JsonValueKind.Object) throw new FormatException("AUTOTIER_PSA_MAPPING: companies: must be a object");
            foreach (var p in c.EnumerateObject())
            {
                var client = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : "";
                if (!System.Text.RegularExpressions.Regex.IsMatch(client, @"^[A-Za-z0-9_-]{1,64}\z", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)))
                    throw new FormatException($"AUTOTIER_PSA_MAPPING: companies.{p.Name}: must be a client id");
                companies[p.Name] = client;
            }
        }
        var self = new List<string>();
        if (root.TryGetProperty("selfIds", out var s) && s.ValueKind == JsonValueKind.Array)
        {
            foreach (var e in s.EnumerateArray())
            {
                if (PsaWebhookEvents.Str(e) is { } id) self.Add(id);
            }
        }
        return new PsaIntakeMapping(companies, self);
    }

    /// <summary>The client a PSA company belongs to; companies are matched by id, identifier or name.</summary>
    public string? ClientFor(IEnumerable<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var key in keys)
        {
            if (Companies.TryGetValue(key, out var client) || Companies.TryGetValue(key.ToLowerInvariant(), out client)) return client;
        }
        return null;
    }
}

/// <summary>
/// Reads PSA webhook bodies (ConnectWise callbacks, Autotask webhooks, HaloPSA webhooks) as the
/// TypeScript app's <c>parsePsaEvent</c> does, and maps a complete PSA ticket onto a new ticket.
/// Schemas are loose (unknown fields are the vendors' business); the fields intake reads are typed.
/// </summary>
public static class PsaWebhookEvents
{
    private sealed class Refused(string error) : Exception(error);

    public static ParseResult<PsaEvent> Parse(string vendor, string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        JsonElement json;
        try
        {
            json = JsonElement.Parse(raw);
        }
        catch (JsonException)
        {
            return ParseResult<PsaEvent>.Failure("body is not valid JSON");
        }
        if (json.ValueKind != JsonValueKind.Object)
            return ParseResult<PsaEvent>.Failure("request body must be a JSON object with clientId, requester, subject and body");
        try
        {
            return ParseResult<PsaEvent>.Success(vendor switch
            {
                PsaVendors.ConnectWise => ConnectWise(json, raw),
                PsaVendors.Autotask => Autotask(json, raw),
                PsaVendors.HaloPsa => Halo(json, raw),
                _ => throw new Refused($"unknown PSA \"{vendor}\""),
            });
        }
        catch (Refused e)
        {
            return ParseResult<PsaEvent>.Failure(e.Message);
        }
    }

    private static PsaEvent ConnectWise(JsonElement json, string raw)
    {
        var messageId = OptionalStr(json, "MessageId");
        var action = RequiredString(json, "Action");
        var type = RequiredString(json, "Type");
        var id = RequiredStr(json, "ID");
        var member = OptionalStr(json, "MemberId");
        OptionalStr(json, "CompanyId");
        if (!json.TryGetProperty("Metadata", out var metadata)) throw new Refused("Metadata: is required");
        if (metadata.ValueKind != JsonValueKind.Object) throw new Refused("Metadata: must be a object");
        var keyUrl = RequiredString(metadata, "key_url", "Metadata.key_url");
        if (!type.Equals("ticket", StringComparison.OrdinalIgnoreCase))
            throw new Refused($"Type: only ticket callbacks are handled, not \"{type}\"");
        var entity = json.TryGetProperty("Entity", out var e) ? ConnectWiseEntity(e) : new PsaTicketFields();
        return new PsaEvent(
            PsaVendors.ConnectWise, messageId ?? $"{id}-{action}-{RawHash(raw)}", ActionOf(action), id, member,
            entity with { Id = id, Number = id }) { KeyUrl = keyUrl };
    }

    /// <summary>ConnectWise sends <c>Entity</c> as a JSON string, sometimes as an object: read both, trust neither.</summary>
    private static PsaTicketFields ConnectWiseEntity(JsonElement entity)
    {
        var e = entity;
        if (e.ValueKind == JsonValueKind.String)
        {
            try
            {
                e = JsonElement.Parse(e.GetString()!);
            }
            catch (JsonException)
            {
                return new PsaTicketFields();
            }
        }
        if (e.ValueKind != JsonValueKind.Object) return new PsaTicketFields();
        try
        {
            var summary = OptionalString(e, "summary");
            var description = OptionalString(e, "initialDescription");
            string? companyId = null, identifier = null;
            if (e.TryGetProperty("company", out var company) && company.ValueKind != JsonValueKind.Null)
            {
                if (company.ValueKind != JsonValueKind.Object) return new PsaTicketFields();
                companyId = OptionalStr(company, "id");
                identifier = OptionalString(company, "identifier");
            }
            var name = OptionalString(e, "contactName");
            var email = OptionalString(e, "contactEmailAddress");
            return new PsaTicketFields
            {
                Summary = NonEmpty(summary),
                Description = NonEmpty(description),
                CompanyKeys = new[] { companyId, identifier }.Where(k => !string.IsNullOrEmpty(k)).Select(k => k!).ToList(),
                ContactName = NonEmpty(email) is null ? null : name,
                ContactEmail = NonEmpty(email),
            };
        }
        catch (Refused)
        {
            // A wrongly typed field makes the whole entity unusable, as zod's safeParse: the PSA is asked.
            return new PsaTicketFields();
        }
    }

    private static PsaEvent Autotask(JsonElement json, string raw)
    {
        var action = RequiredString(json, "Action");
        var guid = RequiredString(json, "Guid");
        if (guid.Length < 1) throw new Refused("Guid: Too small: expected string to have >=1 characters");
        if (guid.Length > 100) throw new Refused("Guid: Too big: expected string to have <=100 characters");
        string? sequence = null;
        if (json.TryGetProperty("SequenceNumber", out var seq))
        {
            sequence = seq.ValueKind switch
            {
                JsonValueKind.Number when seq.TryGetInt64(out var n) => n.ToString(CultureInfo.InvariantCulture),
                JsonValueKind.String when seq.GetString()!.Length <= 40 => seq.GetString(),
                _ => throw new Refused("SequenceNumber: Invalid input"),
            };
        }
        var eventTime = OptionalString(json, "EventTime");
        if (eventTime is { Length: > 60 }) throw new Refused("EventTime: Too big: expected string to have <=60 characters");
        var entityType = RequiredString(json, "EntityType");
        var id = RequiredStr(json, "Id");
        var person = OptionalStr(json, "PersonID");
        if (json.TryGetProperty("Fields", out var fields) && fields.ValueKind != JsonValueKind.Object) throw new Refused("Fields: must be a record");
        if (!entityType.Equals("ticket", StringComparison.OrdinalIgnoreCase))
            throw new Refused($"EntityType: only Ticket webhooks are handled, not \"{entityType}\"");
        // Guid names the webhook, not the delivery: with the sequence number it names one.
        var eventId = sequence is not null ? $"{guid}:{sequence}" : $"{guid}:{id}:{action}:{eventTime ?? RawHash(raw)}";
        return new PsaEvent(PsaVendors.Autotask, eventId, ActionOf(action), id, person, new PsaTicketFields { Id = id });
    }

    private static PsaEvent Halo(JsonElement json, string raw)
    {
        var deliveryId = OptionalStr(json, "id");
        var eventName = OptionalString(json, "event");
        if (!json.TryGetProperty("ticket", out var t)) throw new Refused("ticket: is required");
        if (t.ValueKind != JsonValueKind.Object) throw new Refused("ticket: must be a object");
        var id = RequiredStr(t, "id", "ticket.id");
        var summary = OptionalString(t, "summary", "ticket.summary");
        var details = OptionalString(t, "details", "ticket.details");
        var clientId = OptionalStr(t, "client_id", "ticket.client_id");
        var clientName = OptionalString(t, "client_name", "ticket.client_name");
        var userName = OptionalString(t, "user_name", "ticket.user_name");
        var userEmail = OptionalString(t, "user_email", "ticket.user_email");
        var emailAddress = OptionalString(t, "emailaddress", "ticket.emailaddress");
        OptionalStr(t, "agent_id", "ticket.agent_id");
        OptionalString(t, "dateoccurred", "ticket.dateoccurred");
        string? actionId = null, actor = null;
        if (json.TryGetProperty("action", out var a))
        {
            if (a.ValueKind != JsonValueKind.Object) throw new Refused("action: must be a object");
            actionId = OptionalStr(a, "id", "action.id");
            actor = OptionalStr(a, "who_agentid", "action.who_agentid") ?? OptionalStr(a, "agent_id", "action.agent_id");
        }
        var email = userEmail ?? emailAddress;
        var keys = new[] { clientId, clientName }.Where(k => !string.IsNullOrEmpty(k)).Select(k => k!).ToList();
        return new PsaEvent(
            PsaVendors.HaloPsa, deliveryId ?? $"{id}-{actionId ?? "ticket"}-{RawHash(raw)}", HaloAction(eventName, actionId), id, actor,
            new PsaTicketFields
            {
                Id = id,
                Number = id,
                Summary = NonEmpty(summary),
                Description = NonEmpty(details),
                CompanyKeys = keys,
                ContactName = string.IsNullOrEmpty(email) ? null : userName,
                ContactEmail = NonEmpty(email),
            });
    }

    private static PsaAction ActionOf(string word) => word.ToLowerInvariant() switch
    {
        "added" or "create" or "created" or "new" => PsaAction.Created,
        "updated" or "update" => PsaAction.Updated,
        "deleted" or "delete" => PsaAction.Deleted,
        _ => PsaAction.Other,
    };

    /// <summary>Halo names events after its notification rules ("New Ticket Logged", "Ticket Updated").</summary>
    private static PsaAction HaloAction(string? eventName, string? actionId)
    {
        if (eventName is null) return actionId is { Length: > 0 } ? PsaAction.Updated : PsaAction.Created;
        if (System.Text.RegularExpressions.Regex.IsMatch(eventName, @"\b(new|logged|created?)\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
            return PsaAction.Created;
        if (eventName.Contains("delet", StringComparison.OrdinalIgnoreCase)) return PsaAction.Deleted;
        return PsaAction.Updated;
    }

    /// <summary>
    /// A complete PSA ticket as a new ticket, or why it cannot be one. A PSA ticket cannot be refused
    /// (the PSA would disable a failing webhook): unsafe characters in one-line fields are replaced.
    /// </summary>
    public static ParseResult<NewTicket> ToNewTicket(string vendor, PsaTicketFields ticket, PsaIntakeMapping mapping, string? assignedClient = null)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(mapping);
        var clientId = assignedClient ?? mapping.ClientFor(ticket.CompanyKeys);
        if (clientId is null)
        {
            var keys = ticket.CompanyKeys.Count > 0 ? string.Join(" / ", ticket.CompanyKeys) : "(none)";
            return ParseResult<NewTicket>.Failure($"{vendor} company {keys} is not mapped to a client");
        }
        var email = ticket.ContactEmail?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(email) || !NewTicketRequest.IsEmailAddress(email))
            return ParseResult<NewTicket>.Failure($"{vendor} ticket {ticket.Id} has no contact with an email address");
        var id = ticket.Id ?? "";
        var number = ticket.Number ?? id;
        var subject = Cut(TextRules.SingleLine(ticket.Summary ?? ""), 200);
        if (subject.Length == 0) subject = $"{vendor} ticket {number}";
        var name = TextRules.SingleLine(ticket.ContactName ?? "");
        var description = JsText.Trim(ticket.Description ?? "");
        return ParseResult<NewTicket>.Success(new NewTicket(
            clientId,
            new Requester(name.Length > 0 ? Cut(name, 200) : null, email),
            subject,
            Cut(description.Length > 0 ? description : subject, NewTicketRequest.MaxBodyChars),
            $"{vendor}:{id}",
            PsaVendors.ChannelOf(vendor)) { ExternalNumber = number });
    }

    private static string Cut(string text, int max) => text.Length > max ? text[..max] : text;

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static string RawHash(string raw) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(raw)))[..32];

    /// <summary>zod's <c>string | number</c> read as a string (numbers as JavaScript prints them).</summary>
    internal static string? Str(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => JsJsonString(e),
        JsonValueKind.Number => e.TryGetInt64(out var n) ? n.ToString(CultureInfo.InvariantCulture) : e.GetDouble().ToString("R", CultureInfo.InvariantCulture),
        _ => null,
    };

    private static string JsJsonString(JsonElement e)
    {
        try
        {
            return e.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // A lone surrogate escape: replaced, as nothing downstream needs it.
            return e.GetRawText().Trim('"');
        }
    }

    private static string RequiredString(JsonElement obj, string key, string? path = null)
    {
        path ??= key;
        if (!obj.TryGetProperty(key, out var v)) throw new Refused(path + ": is required");
        if (v.ValueKind != JsonValueKind.String) throw new Refused(path + ": must be a string");
        return JsJsonString(v);
    }

    private static string? OptionalString(JsonElement obj, string key, string? path = null)
    {
        if (!obj.TryGetProperty(key, out var v)) return null;
        if (v.ValueKind != JsonValueKind.String) throw new Refused((path ?? key) + ": must be a string");
        return JsJsonString(v);
    }

    private static string RequiredStr(JsonElement obj, string key, string? path = null)
    {
        path ??= key;
        if (!obj.TryGetProperty(key, out var v)) throw new Refused(path + ": is required");
        return Str(v) ?? throw new Refused(path + ": Invalid input");
    }

    private static string? OptionalStr(JsonElement obj, string key, string? path = null)
    {
        if (!obj.TryGetProperty(key, out var v)) return null;
        return Str(v) ?? throw new Refused((path ?? key) + ": Invalid input");
    }
}
