using System.Text.Json;
using System.Text.RegularExpressions;
using Autotier.Domain.Intake;
using Autotier.Domain.Text;
using Autotier.Domain.Tickets;

namespace Autotier.Domain.Webhooks;

/// <summary>
/// Our generic webhook's body: a ticket as <c>POST /api/tickets</c> takes it plus the sender's
/// <c>eventId</c> (which also makes it idempotent), checked with the TypeScript schema's texts.
/// Stricter than the API on one point (issue #33, fix 6): unknown fields inside <c>requester</c> are
/// refused like unknown top-level ones.
/// </summary>
public static partial class GenericWebhookEvent
{
    private static readonly HashSet<string> Extra = new(StringComparer.Ordinal) { "eventId" };

    [GeneratedRegex(@"^[A-Za-z0-9._:-]{1,100}\z", RegexOptions.CultureInvariant)]
    private static partial Regex EventIdPattern { get; }

    /// <summary>The event id and the ticket (external id <c>webhook:&lt;externalId or eventId&gt;</c>, channel webhook).</summary>
    public static ParseResult<GenericEvent> Parse(JsonElement json)
    {
        string? eventId = null;
        var parsed = NewTicketRequest.Parse(json, fields =>
        {
            if (!fields.TryGet("eventId", out var element)) return "eventId: is required";
            if (element.ValueKind != JsonValueKind.String) return "eventId: must be a string";
            var id = JsText.Trim(JsJson.ReadString(element));
            if (!EventIdPattern.IsMatch(id)) return "eventId: must be 1-100 letters, digits or . _ : -";
            eventId = id;
            return null;
        }, Extra);
        if (!parsed.Ok) return ParseResult<GenericEvent>.Failure(parsed.Error);
        var external = parsed.Value.ExternalId is { } api ? api["api:".Length..] : eventId!;
        return ParseResult<GenericEvent>.Success(new GenericEvent(
            eventId!, parsed.Value with { ExternalId = "webhook:" + external, Channel = Channel.Webhook }));
    }

    /// <summary>Parses raw bytes: "body is not valid JSON" when they are not JSON.</summary>
    public static ParseResult<GenericEvent> Parse(ReadOnlyMemory<byte> raw)
    {
        JsonElement json;
        try
        {
            using var document = JsonDocument.Parse(raw);
            json = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return ParseResult<GenericEvent>.Failure("body is not valid JSON");
        }
        return Parse(json);
    }
}

/// <summary>One generic webhook delivery: the sender's event id and the ticket it asks for.</summary>
public sealed record GenericEvent(string EventId, NewTicket Ticket);
