using System.Text.Json;
using Autotier.Domain.Intake;
using Xunit;

namespace Autotier.UnitTests.Domain.Intake;

/// <summary>
/// What JSON.parse makes of odd objects, which the TS rules saw: repeated keys, Object.keys order.
/// Every expected string came from the TypeScript build's parseNewTicket on the same JSON.
/// </summary>
public sealed class NewTicketRequestJsonShapeTests
{
    [Theory]
    [InlineData("array-index keys first", "{\"clientId\":\"demo\",\"requester\":{\"email\":\"a@b.co\"},\"subject\":\"s\",\"body\":\"b\",\"b\":1,\"10\":2,\"2\":3,\"a\":4,\"b\":5}", "unknown field: 2, 10, b, a")]
    [InlineData("keys that are not array indices", "{\"clientId\":\"demo\",\"requester\":{\"email\":\"a@b.co\"},\"subject\":\"s\",\"body\":\"b\",\"-1\":1,\"01\":2,\"4294967295\":3,\"4294967294\":4}", "unknown field: 4294967294, -1, 01, 4294967295")]
    [InlineData("a repeated key: the last value", "{\"subject\":\"first\",\"clientId\":\"demo\",\"requester\":{\"email\":\"a@b.co\"},\"subject\":\"s2\",\"body\":\"b\",\"subject\":5}", "subject: must be a string")]
    [InlineData("a repeated email: the last value", "{\"clientId\":\"demo\",\"requester\":{\"email\":\"a@b.co\",\"email\":\"bad\"},\"subject\":\"s\",\"body\":\"b\"}", "requester.email: must be an email address")]
    [InlineData("__proto__ is just a key", "{\"clientId\":\"demo\",\"requester\":{\"email\":\"a@b.co\"},\"subject\":\"s\",\"body\":\"b\",\"__proto__\":{}}", "unknown field: __proto__")]
    public void Reads_the_object_as_JavaScript_does(string name, string json, string error)
    {
        using var document = JsonDocument.Parse(json);

        var result = NewTicketRequest.Parse(document.RootElement);

        Assert.False(result.Ok, name);
        Assert.Equal(error, result.Error);
    }

    [Fact]
    public void Accepts_an_escaped_lone_surrogate_as_JSON_parse_does()
    {
        using var document = JsonDocument.Parse("""
            {"clientId":"demo","requester":{"email":"a@b.co"},"subject":"\ud800x \"q\" \\ \/","body":"\udc00\n\t\u00e9"}
            """);

        var result = NewTicketRequest.Parse(document.RootElement);

        Assert.True(result.Ok, result.Error);
        Assert.Equal("\ud800x \"q\" \\ /", result.Value.Subject);
        Assert.Equal("\udc00\n\t\u00e9", result.Value.Body);
    }
}
