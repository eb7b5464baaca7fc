using Autotier.Domain.Tickets;
using Xunit;

namespace Autotier.UnitTests.Domain.Tickets;

/// <summary>Ticket ids and what is derived from them; the answers match the TS build's isTicketId and helpers.</summary>
public sealed class TicketIdsTests
{
    [Theory]
    [InlineData("T-1042")]
    [InlineData("T-1")]
    [InlineData("T-123456789012")]
    public void Accepts_a_reference_number(string value) => Assert.True(TicketIds.IsTicketId(value));

    [Theory]
    [InlineData("T-")]
    [InlineData("t-1042")]
    [InlineData("T-1234567890123")]
    [InlineData("T-12a")]
    [InlineData("T-1042\n")] // .NET's $ would allow this; JavaScript's does not
    [InlineData(" T-1")]
    [InlineData("T-\u0661\u0662\u0663")] // Arabic-Indic digits: .NET's \d would take them
    public void Refuses_anything_else(string value) => Assert.False(TicketIds.IsTicketId(value));

    [Fact]
    public void Numbers_start_at_1000() => Assert.Equal(["T-1000", "T-1042"], [TicketIds.FromNumber(0), TicketIds.FromNumber(42)]);

    [Fact]
    public void A_ticket_has_exactly_one_orchestration_instance_id() =>
        Assert.Equal("ticket-T-999999", TicketIds.OrchestrationInstanceId("T-999999"));

    [Fact]
    public void Mails_carry_the_subject_token() => Assert.Equal("[#T-1001]", TicketIds.SubjectToken("T-1001"));
}
