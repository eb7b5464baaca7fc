using System.Text.Json;
using Autotier.Domain.Tickets;
using Autotier.Domain.Webhooks;
using Xunit;

namespace Autotier.UnitTests.Domain.Webhooks;

/// <summary>The generic webhook's body: the API's ticket plus eventId, with issue #33's fixes 5 and 6.</summary>
public sealed class GenericWebhookEventTests
{
    private static Autotier.Domain.Intake.ParseResult<GenericEvent> Parse(string json) => GenericWebhookEvent.Parse(System.Text.Encoding.UTF8.GetBytes(json));

    private const string Valid = """{"eventId":"evt-1","clientId":"demo","requester":{"name":"Sam","email":"Sam@Demo.Example"},"subject":"VPN drops","body":"It drops."}""";

    [Fact]
    public void A_valid_event_is_a_webhook_ticket_named_by_its_event_id()
    {
        var result = Parse(Valid);
        Assert.True(result.Ok, result.Error);
        Assert.Equal("evt-1", result.Value.EventId);
        Assert.Equal(new NewTicket("demo", new Requester("Sam", "sam@demo.example"), "VPN drops", "It drops.", "webhook:evt-1", Channel.Webhook), result.Value.Ticket);
    }

    [Fact]
    public void An_external_id_names_the_ticket_in_the_webhooks_namespace()
    {
        var result = Parse(Valid.Replace("\"body\"", "\"externalId\":\"INC-9\",\"body\"", StringComparison.Ordinal));
        Assert.True(result.Ok, result.Error);
        Assert.Equal("webhook:INC-9", result.Value.Ticket.ExternalId);
    }

    [Theory]
    [InlineData("""{"clientId":"demo","requester":{"email":"a@demo.example"},"subject":"s","body":"b"}""", "eventId: is required")]
    [InlineData("""{"eventId":5,"clientId":"demo","requester":{"email":"a@demo.example"},"subject":"s","body":"b"}""", "eventId: must be a string")]
    [InlineData("""{"eventId":"a b","clientId":"demo","requester":{"email":"a@demo.example"},"subject":"s","body":"b"}""", "eventId: must be 1-100 letters, digits or . _ : -")]
    [InlineData("""{"eventId":"e","clientId":"demo","requester":{"email":"a@demo.example","role":"admin"},"subject":"s","body":"b"}""", "unknown field: requester.role")]
    [InlineData("""{"eventId":"e","clientId":"demo","requester":{"email":"a@demo.example","__proto__":{"x":1}},"subject":"s","body":"b"}""", "unknown field: requester.__proto__")]
    [InlineData("""{"eventId":"e","clientId":"demo","requester":{"email":"a@demo.example","constructor":"x"},"subject":"s","body":"b"}""", "unknown field: requester.constructor")]
    [InlineData("""{"eventId":"e","__proto__":{"admin":true},"clientId":"demo","requester":{"email":"a@demo.example"},"subject":"s","body":"b"}""", "unknown field: __proto__")]
    [InlineData("""{"eventId":"e","constructor":{},"clientId":"demo","requester":{"email":"a@demo.example"},"subject":"s","body":"b"}""", "unknown field: constructor")]
    [InlineData("""{"eventId":"e","channel":"api","clientId":"demo","requester":{"email":"a@demo.example"},"subject":"s","body":"b"}""", "unknown field: channel")]
    [InlineData("""{"eventId":"e","clientId":"demo","requester":{"email":"a@demo.example"},"subject":"Printer\r\nBcc: all@x.example","body":"b"}""", "subject: must be one line of text (no line breaks, control characters or direction overrides)")]
    [InlineData("""{"eventId":"e","clientId":"demo","requester":{"email":"a@demo.example"},"subject":"a\u2028b","body":"b"}""", "subject: must be one line of text (no line breaks, control characters or direction overrides)")]
    [InlineData("""{"eventId":"e","clientId":"demo","requester":{"name":"\u202Egnp.exe","email":"a@demo.example"},"subject":"s","body":"b"}""", "requester.name: must be one line of text (no line breaks, control characters or direction overrides)")]
    [InlineData("""{"value":[null]}""", "clientId: is required")]
    [InlineData("""[null]""", "request body must be a JSON object with clientId, requester, subject and body")]
    [InlineData("""null""", "request body must be a JSON object with clientId, requester, subject and body")]
    [InlineData("""{"eventId":"e",""", "body is not valid JSON")]
    public void Bad_events_are_refused_with_the_first_thing_wrong(string json, string error)
    {
        var result = Parse(json);
        Assert.False(result.Ok);
        Assert.Equal(error, result.Error);
    }

    [Fact]
    public void Line_and_paragraph_separators_and_any_typed_text_in_the_body_make_a_ticket()
    {
        var body = "line one\u2028line two\u2029para\r\n\t\u0000 😀";
        var json = JsonSerializer.Serialize(new { eventId = "e-sep", clientId = "demo", requester = new { email = "a@demo.example" }, subject = "Separators", body });
        var result = Parse(json);
        Assert.True(result.Ok, result.Error);
        Assert.Equal(body, result.Value.Ticket.Body);
    }
}
