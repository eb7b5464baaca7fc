using System.Text.Json;
using Autotier.Domain.Intake;
using Xunit;

namespace Autotier.UnitTests.Domain.Intake;

/// <summary>
/// Which issue zod v4 reports first when several apply, and its wording for each type mismatch.
/// Every expected string came from the TypeScript build's parseNewTicket on the same JSON.
/// </summary>
public sealed class NewTicketRequestFirstIssueTests
{
    [Theory]
    [InlineData("null body", "null", "request body must be a JSON object with clientId, requester, subject and body")]
    [InlineData("an array", "[]", "request body must be a JSON object with clientId, requester, subject and body")]
    [InlineData("a number", "3", "request body must be a JSON object with clientId, requester, subject and body")]
    [InlineData("empty object", "{}", "clientId: is required")]
    [InlineData("missing clientId and an unknown key", "{\"requester\":{\"name\":\"Sam Lee\",\"email\":\"Sam@Demo.Example\"},\"subject\":\"VPN will not connect\",\"body\":\"Since this morning.\",\"zzz\":1}", "clientId: is required")]
    [InlineData("an unknown key and a bad body", "{\"clientId\":\"demo\",\"requester\":{\"name\":\"Sam Lee\",\"email\":\"Sam@Demo.Example\"},\"subject\":\"VPN will not connect\",\"body\":5,\"x\":1}", "body: must be a string")]
    [InlineData("two unknown keys", "{\"clientId\":\"demo\",\"requester\":{\"name\":\"Sam Lee\",\"email\":\"Sam@Demo.Example\"},\"subject\":\"VPN will not connect\",\"body\":\"Since this morning.\",\"b\":1,\"a\":2}", "unknown field: b, a")]
    [InlineData("requester a string", "{\"clientId\":\"demo\",\"requester\":\"x\",\"subject\":\"VPN will not connect\",\"body\":\"Since this morning.\"}", "requester: must be a object")]
    [InlineData("requester null", "{\"clientId\":\"demo\",\"requester\":null,\"subject\":\"VPN will not connect\",\"body\":\"Since this morning.\"}", "requester: must be a object")]
    [InlineData("requester an array", "{\"clientId\":\"demo\",\"requester\":[],\"subject\":\"VPN will not connect\",\"body\":\"Since this morning.\"}", "requester: must be a object")]
    [InlineData("name null", "{\"clientId\":\"demo\",\"requester\":{\"name\":null,\"email\":\"a@b.co\"},\"subject\":\"VPN will not connect\",\"body\":\"Since this morning.\"}", "requester.name: must be a string")]
    [InlineData("name blank and a bad email", "{\"clientId\":\"demo\",\"requester\":{\"name\":\"  \",\"email\":\"x\"},\"subject\":\"VPN will not connect\",\"body\":\"Since this morning.\"}", "requester.name: must not be empty")]
    [InlineData("email missing", "{\"clientId\":\"demo\",\"requester\":{\"name\":\"x\"},\"subject\":\"VPN will not connect\",\"body\":\"Since this morning.\"}", "requester.email: must be a string")]
    [InlineData("email a number", "{\"clientId\":\"demo\",\"requester\":{\"email\":5},\"subject\":\"VPN will not connect\",\"body\":\"Since this morning.\"}", "requester.email: must be a string")]
    [InlineData("email with a leading space", "{\"clientId\":\"demo\",\"requester\":{\"email\":\" a@b.co\"},\"subject\":\"VPN will not connect\",\"body\":\"Since this morning.\"}", "requester.email: must be an email address")]
    [InlineData("email with a trailing newline", "{\"clientId\":\"demo\",\"requester\":{\"email\":\"a@b.co\\n\"},\"subject\":\"VPN will not connect\",\"body\":\"Since this morning.\"}", "requester.email: must be an email address")]
    [InlineData("email with consecutive dots", "{\"clientId\":\"demo\",\"requester\":{\"email\":\"a..b@c.co\"},\"subject\":\"VPN will not connect\",\"body\":\"Since this morning.\"}", "requester.email: must be an email address")]
    [InlineData("email ending in a dot before @", "{\"clientId\":\"demo\",\"requester\":{\"email\":\"a.@c.co\"},\"subject\":\"VPN will not connect\",\"body\":\"Since this morning.\"}", "requester.email: must be an email address")]
    [InlineData("email with a one-letter TLD", "{\"clientId\":\"demo\",\"requester\":{\"email\":\"a@c.c\"},\"subject\":\"VPN will not connect\",\"body\":\"Since this morning.\"}", "requester.email: must be an email address")]
    [InlineData("email with a non-ASCII local part", "{\"clientId\":\"demo\",\"requester\":{\"email\":\"jos\u00e9@c.co\"},\"subject\":\"VPN will not connect\",\"body\":\"Since this morning.\"}", "requester.email: must be an email address")]
    [InlineData("subject HTML and a line break", "{\"clientId\":\"demo\",\"requester\":{\"name\":\"Sam Lee\",\"email\":\"Sam@Demo.Example\"},\"subject\":\"<b>\\nx\",\"body\":\"Since this morning.\"}", "subject: must be plain text (HTML tags are not allowed)")]
    [InlineData("subject null", "{\"clientId\":\"demo\",\"requester\":{\"name\":\"Sam Lee\",\"email\":\"Sam@Demo.Example\"},\"subject\":null,\"body\":\"Since this morning.\"}", "subject: must be a string")]
    [InlineData("subject starting with U+0085", "{\"clientId\":\"demo\",\"requester\":{\"name\":\"Sam Lee\",\"email\":\"Sam@Demo.Example\"},\"subject\":\"\u0085hi\",\"body\":\"Since this morning.\"}", "subject: must be one line of text (no line breaks, control characters or direction overrides)")]
    [InlineData("subject with a closing tag", "{\"clientId\":\"demo\",\"requester\":{\"name\":\"Sam Lee\",\"email\":\"Sam@Demo.Example\"},\"subject\":\"see < /div >\",\"body\":\"Since this morning.\"}", "subject: must be plain text (HTML tags are not allowed)")]
    [InlineData("body missing", "{\"clientId\":\"demo\",\"requester\":{\"name\":\"Sam Lee\",\"email\":\"Sam@Demo.Example\"},\"subject\":\"VPN will not connect\"}", "body: is required")]
    [InlineData("body a boolean", "{\"clientId\":\"demo\",\"requester\":{\"name\":\"Sam Lee\",\"email\":\"Sam@Demo.Example\"},\"subject\":\"VPN will not connect\",\"body\":true}", "body: must be a string")]
    [InlineData("externalId empty", "{\"clientId\":\"demo\",\"requester\":{\"name\":\"Sam Lee\",\"email\":\"Sam@Demo.Example\"},\"subject\":\"VPN will not connect\",\"body\":\"Since this morning.\",\"externalId\":\"\"}", "externalId: must not be empty")]
    [InlineData("externalId blank", "{\"clientId\":\"demo\",\"requester\":{\"name\":\"Sam Lee\",\"email\":\"Sam@Demo.Example\"},\"subject\":\"VPN will not connect\",\"body\":\"Since this morning.\",\"externalId\":\"  \"}", "externalId: must not be empty")]
    [InlineData("externalId null", "{\"clientId\":\"demo\",\"requester\":{\"name\":\"Sam Lee\",\"email\":\"Sam@Demo.Example\"},\"subject\":\"VPN will not connect\",\"body\":\"Since this morning.\",\"externalId\":null}", "externalId: must be a string")]
    [InlineData("clientId a number", "{\"clientId\":5,\"requester\":{\"name\":\"Sam Lee\",\"email\":\"Sam@Demo.Example\"},\"subject\":\"VPN will not connect\",\"body\":\"Since this morning.\"}", "clientId: must be a string")]
    [InlineData("clientId empty", "{\"clientId\":\"\",\"requester\":{\"name\":\"Sam Lee\",\"email\":\"Sam@Demo.Example\"},\"subject\":\"VPN will not connect\",\"body\":\"Since this morning.\"}", "clientId: must be 1-63 lowercase letters, digits or hyphens")]
    [InlineData("clientId starting with a hyphen", "{\"clientId\":\"-a\",\"requester\":{\"name\":\"Sam Lee\",\"email\":\"Sam@Demo.Example\"},\"subject\":\"VPN will not connect\",\"body\":\"Since this morning.\"}", "clientId: must be 1-63 lowercase letters, digits or hyphens")]
    [InlineData("clientId bad and subject empty", "{\"clientId\":\"X\",\"requester\":{\"name\":\"Sam Lee\",\"email\":\"Sam@Demo.Example\"},\"subject\":\"\",\"body\":\"Since this morning.\"}", "clientId: must be 1-63 lowercase letters, digits or hyphens")]
    public void Reports_the_issue_zod_reports_first(string name, string json, string error)
    {
        using var document = JsonDocument.Parse(json);

        var result = NewTicketRequest.Parse(document.RootElement);

        Assert.False(result.Ok, name);
        Assert.Equal(error, result.Error);
    }
}
