using Autotier.Domain.Mail;
using Xunit;

namespace Autotier.UnitTests.Domain.Mail;

/// <summary>The intake and the workflow name a mail alike (TS mailKey), so it is sent once.</summary>
public sealed class MailKeysTests
{
    [Fact]
    public void Joins_the_ticket_and_the_step_with_a_dot() => Assert.Equal("T-1042.ack", MailKeys.For("T-1042", "ack"));
}
