using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Autotier.Domain.Intake;
using Autotier.Domain.Secrets;
using Autotier.Domain.Text;

namespace Autotier.Domain.Lifecycle;

/// <summary>
/// Everything that can happen to a ticket from outside, delivered to its orchestration as one
/// external event (<c>ticketEvent</c>). One record with a kind rather than a class hierarchy: it is
/// the Durable history's payload, and a flat record serialises the same way in every release.
/// <c>Source = "psa"</c> marks what an engineer did in the PSA (never written back there again);
/// <c>update</c> comes only from the PSA; <c>waiting</c> from the PSA's status or the ops page's
/// "pause the SLA" (<c>Source = "ops"</c>); <c>incident</c> only from the ops page's link and unlink.
/// </summary>
public sealed record TicketEvent(string Kind)
{
    public const string Confirmation = "confirmation";
    public const string Reply = "reply";
    public const string Plan = "plan";
    public const string Resolved = "resolved";
    public const string Update = "update";
    public const string Waiting = "waiting";

    /// <summary>An engineer linked the ticket to an incident or unlinked it (<see cref="Incident"/> null).</summary>
    public const string IncidentChanged = "incident";

    /// <summary>The requester followed the proof link: the address is theirs.</summary>
    public const string Proof = "proof";

    /// <summary>The confirmation link's answer: <c>yes</c> or <c>no</c>.</summary>
    public string? Answer { get; init; }

    /// <summary>Who wrote a reply (an address the ticket may be answered from).</summary>
    public string? From { get; init; }

    /// <summary>A reply's or a PSA update's text (passwords and codes masked).</summary>
    public string? Text { get; init; }

    /// <summary>The engineer who planned or resolved.</summary>
    public string? By { get; init; }

    /// <summary>Internal: timeline, escalation package, PSA internal note; never mailed.</summary>
    public string? Note { get; init; }

    /// <summary>What the requester is told, when the engineer wrote it.</summary>
    public string? PublicNote { get; init; }

    public int? Tier { get; init; }

    public string? Source { get; init; }

    public bool? IsWaiting { get; init; }

    /// <summary>The incident the ticket is now part of (<c>incident</c> events); null once unlinked.</summary>
    public IncidentLink? Incident { get; init; }

    /// <summary>The reply came from a proven source (the requester's own mailbox, a signed-in portal user).</summary>
    public bool? Proven { get; init; }

    [JsonIgnore]
    public bool FromOps => string.Equals(Source, "ops", StringComparison.Ordinal);

    [JsonIgnore]
    public bool FromPsa => string.Equals(Source, "psa", StringComparison.Ordinal);

    public static TicketEvent ConfirmationOf(string answer) => new(Confirmation) { Answer = answer };

    public static TicketEvent ReplyFrom(string from, string text) => new(Reply) { From = from, Text = SecretMasking.Mask(text).Text };

    /// <summary>
    /// A requester's reply with the passwords and codes they typed masked: every event is raised to
    /// a workflow through this, so the Durable history, the conversation and the pages never hold them.
    /// </summary>
    public TicketEvent Masked() => Text is null ? this : this with { Text = SecretMasking.Mask(Text).Text };
}

/// <summary>
/// <c>POST /api/tickets/{id}/events</c> bodies: a requester's reply, an engineer's plan or a
/// resolution (TypeScript events.ts: strict, the same limits and messages).
/// </summary>
public static class TicketEventRequest
{
    public const int MaxReplyChars = 20_000;
    public const int MaxByChars = 200;
    public const int MaxNoteChars = 4000;

    public static ParseResult<TicketEvent> Parse(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object) return Fail("request body must be a JSON object");
        var type = json.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        string[] allowed = type switch
        {
            TicketEvent.Reply => ["type", "from", "text"],
            TicketEvent.Plan => ["type", "by", "note", "publicNote", "tier"],
            TicketEvent.Resolved => ["type", "by", "note", "publicNote"],
            _ => [],
        };
        if (allowed.Length == 0) return Fail("type: must be reply, plan, resolved or reclassified");
        var unknown = json.EnumerateObject().Select(p => p.Name).Where(n => !allowed.Contains(n, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0) return Fail("unknown field: " + string.Join(", ", unknown));

        if (type == TicketEvent.Reply)
        {
            if (!json.TryGetProperty("from", out var from) || from.ValueKind != JsonValueKind.String
                || !NewTicketRequest.IsEmailAddress(JsText.Trim(from.GetString()!)))
                return Fail("from: must be an email address");
            if (Text(json, "text", MaxReplyChars, required: true, out var text) is { } error) return Fail(error);
            return ParseResult<TicketEvent>.Success(TicketEvent.ReplyFrom(JsText.Trim(from.GetString()!), text!));
        }
        if (Text(json, "by", MaxByChars, required: true, out var by) is { } byError) return Fail(byError);
        if (Text(json, "note", MaxNoteChars, required: true, out var note) is { } noteError) return Fail(noteError);
        if (Text(json, "publicNote", MaxNoteChars, required: false, out var publicNote) is { } publicError) return Fail(publicError);
        int? tier = null;
        if (json.TryGetProperty("tier", out var tierValue))
        {
            if (tierValue.ValueKind != JsonValueKind.Number || !tierValue.TryGetInt32(out var n) || n is < 1 or > 3)
                return Fail("tier: must be 1, 2 or 3");
            tier = n;
        }
        return ParseResult<TicketEvent>.Success(new TicketEvent(type!) { By = by, Note = note, PublicNote = publicNote, Tier = tier });
    }

    private static string? Text(JsonElement json, string name, int max, bool required, out string? text)
    {
        text = null;
        if (!json.TryGetProperty(name, out var value)) return required ? $"{name}: is required" : null;
        if (value.ValueKind != JsonValueKind.String) return $"{name}: must be a string";
        text = JsText.Trim(value.GetString()!);
        if (text.Length == 0) return $"{name}: must not be empty";
        if (text.Length > max) return string.Create(CultureInfo.InvariantCulture, $"{name}: must be at most {max} characters");
        return null;
    }

    private static ParseResult<TicketEvent> Fail(string error) => ParseResult<TicketEvent>.Failure(error);
}
