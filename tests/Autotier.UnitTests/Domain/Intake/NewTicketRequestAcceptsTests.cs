using System.Text.Json;
using Autotier.Domain.Intake;
using Autotier.Domain.Tickets;
using Xunit;

namespace Autotier.UnitTests.Domain.Intake;

/// <summary>What an accepted request becomes (tests/unit/domain/intake.test.ts, and zod's trimming).</summary>
public sealed class NewTicketRequestAcceptsTests
{
    private static ParseResult<NewTicket> Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return NewTicketRequest.Parse(document.RootElement);
    }

    [Fact]
    public void Accepts_a_valid_ticket_lower_cases_the_email_and_sets_the_channel()
    {
        var result = Parse("""
            {"clientId":"demo","requester":{"name":"Sam Lee","email":"Sam@Demo.Example"},"subject":"VPN will not connect","body":"Since this morning."}
            """);

        Assert.True(result.Ok, result.Error);
        Assert.Equal(
            new NewTicket("demo", new Requester("Sam Lee", "sam@demo.example"), "VPN will not connect", "Since this morning.", null, Channel.Api),
            result.Value);
    }

    [Fact]
    public void Keeps_the_callers_externalId_in_the_APIs_namespace_so_it_can_never_name_a_PSA_ticket()
    {
        var result = Parse("""
            {"clientId":"demo","requester":{"email":"a@b.co"},"subject":"s","body":"b","externalId":"connectwise:123"}
            """);

        Assert.True(result.Ok, result.Error);
        Assert.Equal("api:connectwise:123", result.Value.ExternalId);
        Assert.Equal(Channel.Api, result.Value.Channel);
    }

    [Fact]
    public void Trims_as_zod_does_with_JavaScripts_white_space()
    {
        // U+00A0 and U+FEFF are white space to String.prototype.trim; the body is not trimmed.
        var result = Parse("""
            {"clientId":" demo\n","requester":{"name":" Sam ","email":"A@B.CO"},"subject":"\u00a0hi\ufeff","body":" b ","externalId":" ab "}
            """);

        Assert.True(result.Ok, result.Error);
        Assert.Equal(
            new NewTicket("demo", new Requester("Sam", "a@b.co"), "hi", " b ", "api:ab", Channel.Api),
            result.Value);
    }

    [Fact]
    public void Allows_an_empty_body()
    {
        var result = Parse("""
            {"clientId":"demo","requester":{"email":"a@b.co"},"subject":"s","body":""}
            """);

        Assert.True(result.Ok, result.Error);
        Assert.Equal(new Requester(null, "a@b.co"), result.Value.Requester);
        Assert.Equal("", result.Value.Body);
    }

    // Issue #33 fix 6: the TypeScript API dropped unknown keys inside requester; they are refused like unknown top-level ones.
    [Theory]
    [InlineData("""{"clientId":"demo","requester":{"email":"a@b.co","role":"admin"},"subject":"s","body":""}""", "unknown field: requester.role")]
    [InlineData("""{"clientId":"demo","requester":{"email":"a@b.co","__proto__":{"x":1},"constructor":1},"subject":"s","body":""}""", "unknown field: requester.__proto__, requester.constructor")]
    public void Refuses_unknown_keys_inside_requester(string json, string error)
    {
        var result = Parse(json);

        Assert.False(result.Ok);
        Assert.Equal(error, result.Error);
    }
}
