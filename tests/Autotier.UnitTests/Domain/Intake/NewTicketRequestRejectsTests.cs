using System.Text.Json;
using Autotier.Domain.Intake;
using Xunit;

namespace Autotier.UnitTests.Domain.Intake;

/// <summary>
/// The rejections of tests/unit/domain/intake.test.ts. The expected errors are the exact strings
/// the TypeScript build's parseNewTicket returned for the same JSON (the TS test matches their starts).
/// </summary>
public sealed class NewTicketRequestRejectsTests
{
    [Theory]
    [InlineData("missing clientId", "{\"requester\":{\"name\":\"Sam Lee\",\"email\":\"Sam@Demo.Example\"},\"subject\":\"VPN will not connect\",\"body\":\"Since this morning.\"}", "clientId: is required")]
    [InlineData("clientId with capitals", "{\"clientId\":\"Demo\",\"requester\":{\"name\":\"Sam Lee\",\"email\":\"Sam@Demo.Example\"},\"subject\":\"VPN will not connect\",\"body\":\"Since this morning.\"}", "clientId: must be 1-63 lowercase letters, digits or hyphens")]
    [InlineData("missing requester", "{\"clientId\":\"demo\",\"subject\":\"VPN will not connect\",\"body\":\"Since this morning.\"}", "requester: is required")]
    [InlineData("bad email", "{\"clientId\":\"demo\",\"requester\":{\"email\":\"not-an-email\"},\"subject\":\"VPN will not connect\",\"body\":\"Since this morning.\"}", "requester.email: must be an email address")]
    [InlineData("subject of the wrong type", "{\"clientId\":\"demo\",\"requester\":{\"name\":\"Sam Lee\",\"email\":\"Sam@Demo.Example\"},\"subject\":42,\"body\":\"Since this morning.\"}", "subject: must be a string")]
    [InlineData("empty subject", "{\"clientId\":\"demo\",\"requester\":{\"name\":\"Sam Lee\",\"email\":\"Sam@Demo.Example\"},\"subject\":\"   \",\"body\":\"Since this morning.\"}", "subject: must not be empty")]
    [InlineData("script tag in the subject", "{\"clientId\":\"demo\",\"requester\":{\"name\":\"Sam Lee\",\"email\":\"Sam@Demo.Example\"},\"subject\":\"<script>alert(1)</script>\",\"body\":\"Since this morning.\"}", "subject: must be plain text (HTML tags are not allowed)")]
    [InlineData("script tag in the name", "{\"clientId\":\"demo\",\"requester\":{\"email\":\"a@b.co\",\"name\":\"<img src=x onerror=alert(1)>\"},\"subject\":\"VPN will not connect\",\"body\":\"Since this morning.\"}", "requester.name: must be plain text (HTML tags are not allowed)")]
    [InlineData("a channel", "{\"clientId\":\"demo\",\"requester\":{\"name\":\"Sam Lee\",\"email\":\"Sam@Demo.Example\"},\"subject\":\"VPN will not connect\",\"body\":\"Since this morning.\",\"channel\":\"connectwise\"}", "unknown field: channel")]
    [InlineData("CR/LF in the subject", "{\"clientId\":\"demo\",\"requester\":{\"name\":\"Sam Lee\",\"email\":\"Sam@Demo.Example\"},\"subject\":\"Printer\\r\\nBcc: everyone@demo.example\",\"body\":\"Since this morning.\"}", "subject: must be one line of text (no line breaks, control characters or direction overrides)")]
    [InlineData("a tab in the subject", "{\"clientId\":\"demo\",\"requester\":{\"name\":\"Sam Lee\",\"email\":\"Sam@Demo.Example\"},\"subject\":\"Printer\\toffline\",\"body\":\"Since this morning.\"}", "subject: must be one line of text (no line breaks, control characters or direction overrides)")]
    [InlineData("NUL in the name", "{\"clientId\":\"demo\",\"requester\":{\"email\":\"a@b.co\",\"name\":\"Sam\\u0000\"},\"subject\":\"VPN will not connect\",\"body\":\"Since this morning.\"}", "requester.name: must be one line of text (no line breaks, control characters or direction overrides)")]
    [InlineData("a C1 control in the subject", "{\"clientId\":\"demo\",\"requester\":{\"name\":\"Sam Lee\",\"email\":\"Sam@Demo.Example\"},\"subject\":\"Printer\u0085offline\",\"body\":\"Since this morning.\"}", "subject: must be one line of text (no line breaks, control characters or direction overrides)")]
    [InlineData("a line separator in the subject", "{\"clientId\":\"demo\",\"requester\":{\"name\":\"Sam Lee\",\"email\":\"Sam@Demo.Example\"},\"subject\":\"Printer\u2028offline\",\"body\":\"Since this morning.\"}", "subject: must be one line of text (no line breaks, control characters or direction overrides)")]
    [InlineData("a right-to-left override in the name", "{\"clientId\":\"demo\",\"requester\":{\"email\":\"a@b.co\",\"name\":\"Sam \u202egnp.exe\"},\"subject\":\"VPN will not connect\",\"body\":\"Since this morning.\"}", "requester.name: must be one line of text (no line breaks, control characters or direction overrides)")]
    [InlineData("unknown field", "{\"clientId\":\"demo\",\"requester\":{\"name\":\"Sam Lee\",\"email\":\"Sam@Demo.Example\"},\"subject\":\"VPN will not connect\",\"body\":\"Since this morning.\",\"admin\":true}", "unknown field: admin")]
    [InlineData("externalId with spaces", "{\"clientId\":\"demo\",\"requester\":{\"name\":\"Sam Lee\",\"email\":\"Sam@Demo.Example\"},\"subject\":\"VPN will not connect\",\"body\":\"Since this morning.\",\"externalId\":\"a b\"}", "externalId: may contain only letters, digits and . _ : @ -")]
    [InlineData("not an object", "\"hello\"", "request body must be a JSON object with clientId, requester, subject and body")]
    public void Rejects_with_the_TypeScript_error(string name, string json, string error)
    {
        using var document = JsonDocument.Parse(json);

        var result = NewTicketRequest.Parse(document.RootElement);

        Assert.False(result.Ok, name);
        Assert.Equal(error, result.Error);
    }

    [Fact]
    public void Rejects_a_body_one_character_too_long()
    {
        var json = JsonSerializer.Serialize(new
        {
            clientId = "demo",
            requester = new { email = "a@b.co" },
            subject = "s",
            body = new string('x', NewTicketRequest.MaxBodyChars + 1),
        });
        using var document = JsonDocument.Parse(json);

        var result = NewTicketRequest.Parse(document.RootElement);

        Assert.Equal("body: must be at most 20000 characters", result.Error);
    }
}
