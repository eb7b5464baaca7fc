using Autotier.Domain.Text;
using Xunit;

namespace Autotier.UnitTests.Domain.Text;

/// <summary>tests/unit/domain/text.test.ts, plus edge cases whose expected values came from the TS build's singleLine.</summary>
public sealed class SingleLineTests
{
    [Fact]
    public void Makes_each_run_of_unsafe_characters_one_space()
    {
        var unsafeRun = string.Concat(UnsafeInOneLineTests.UnsafeKinds);
        Assert.Equal("Printer offline", TextRules.SingleLine($"Printer{unsafeRun}offline"));
        Assert.Equal("VPN down", TextRules.SingleLine("\r\n VPN \u202e down\u2028\u2029"));
    }

    [Theory]
    [InlineData("\u0085x\u0085", "x")]
    [InlineData("\ufeff a  b \ufeff", "a b")]
    [InlineData("a\u0009\u0009 b", "a b")]
    [InlineData("  ", "")]
    [InlineData("a\u00a0\u00a0b", "a\u00a0\u00a0b")]
    [InlineData("\u202a\u202b\u202c\u202d\u202e", "")]
    [InlineData("a\u2066\u2067\u2068\u2069b", "a b")]
    public void Matches_the_TypeScript(string text, string expected) => Assert.Equal(expected, TextRules.SingleLine(text));
}
