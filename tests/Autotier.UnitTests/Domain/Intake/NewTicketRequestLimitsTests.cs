using System.Text.Json;
using Autotier.Domain.Intake;
using Xunit;

namespace Autotier.UnitTests.Domain.Intake;

/// <summary>Each length limit at its edge. The errors came from the TypeScript build's parseNewTicket.</summary>
public sealed class NewTicketRequestLimitsTests
{
    private static string? ErrorFor(string? clientId = null, string? name = null, string? email = null, string? subject = null, string? body = null, string? externalId = null)
    {
        var fields = new Dictionary<string, object>
        {
            ["clientId"] = clientId ?? "demo",
            ["requester"] = name is null
                ? new Dictionary<string, string> { ["email"] = email ?? "a@b.co" }
                : new Dictionary<string, string> { ["email"] = email ?? "a@b.co", ["name"] = name },
            ["subject"] = subject ?? "s",
            ["body"] = body ?? "b",
        };
        if (externalId is not null) fields["externalId"] = externalId;
        using var document = JsonDocument.Parse(JsonSerializer.Serialize(fields));
        return NewTicketRequest.Parse(document.RootElement).Error;
    }

    [Fact]
    public void Limits_are_the_TypeScript_ones()
    {
        Assert.Equal(64 * 1024, NewTicketRequest.MaxRequestBytes);
        Assert.Equal(20_000, NewTicketRequest.MaxBodyChars);
    }

    [Fact]
    public void Email_is_at_most_254_characters()
    {
        Assert.Null(ErrorFor(email: new string('a', 249) + "@b.co"));
        Assert.Equal("requester.email: must be an email address", ErrorFor(email: new string('a', 250) + "@b.co"));
    }

    [Fact]
    public void Subject_is_at_most_300_characters_after_trimming_and_length_is_checked_before_HTML()
    {
        Assert.Null(ErrorFor(subject: " " + new string('x', 300) + " "));
        Assert.Equal("subject: must be at most 300 characters", ErrorFor(subject: new string('x', 301)));
        Assert.Equal("subject: must be at most 300 characters", ErrorFor(subject: "<b>" + new string('x', 300)));
    }

    [Fact]
    public void Name_is_at_most_200_characters()
    {
        Assert.Null(ErrorFor(name: new string('x', 200)));
        Assert.Equal("requester.name: must be at most 200 characters", ErrorFor(name: new string('x', 201)));
    }

    [Fact]
    public void ExternalId_is_at_most_100_characters()
    {
        Assert.Null(ErrorFor(externalId: new string('a', 100)));
        Assert.Equal("externalId: must be at most 100 characters", ErrorFor(externalId: new string('a', 101)));
    }

    [Fact]
    public void ClientId_is_at_most_63_characters()
    {
        Assert.Null(ErrorFor(clientId: new string('a', 63)));
        Assert.Equal("clientId: must be 1-63 lowercase letters, digits or hyphens", ErrorFor(clientId: new string('a', 64)));
    }

    [Fact]
    public void Body_is_at_most_20000_characters()
    {
        Assert.Null(ErrorFor(body: new string('x', 20_000)));
        Assert.Equal("body: must be at most 20000 characters", ErrorFor(body: new string('x', 20_001)));
    }
}
