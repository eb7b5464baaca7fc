using Autotier.Domain.Text;
using Xunit;

namespace Autotier.UnitTests.Domain.Text;

/// <summary>tests/unit/domain/text.test.ts: one of each kind the rule names, and ordinary text.</summary>
public sealed class UnsafeInOneLineTests
{
    // C0, DEL, C1, line/paragraph separators, bidi override and isolate.
    internal static readonly string[] UnsafeKinds =
        ["\u0000", "\t", "\r", "\n", "\u001f", "\u007f", "\u0085", "\u009f", "\u2028", "\u2029", "\u202e", "\u2066", "\u2069"];

    public static TheoryData<string> Unsafe => new(UnsafeKinds);

    [Theory]
    [MemberData(nameof(Unsafe))]
    public void Finds_every_unsafe_kind(string c) => Assert.Matches(TextRules.UnsafeInOneLine, $"a{c}b");

    [Fact]
    public void Finds_nothing_in_ordinary_text() =>
        Assert.DoesNotMatch(TextRules.UnsafeInOneLine, "Outlook crashes – «ça marche pas» 🖨️");
}
