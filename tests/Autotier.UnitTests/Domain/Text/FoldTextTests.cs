using Autotier.Domain.Text;
using Xunit;

namespace Autotier.UnitTests.Domain.Text;

/// <summary>tests/unit/domain/text.test.ts, plus cases whose expected values came from the TS build's foldText.</summary>
public sealed class FoldTextTests
{
    [Fact]
    public void Folds_case_accents_composed_or_not_sharp_s_oe_and_typographic_apostrophes()
    {
        Assert.Equal("ca ne marche pas", TextRules.FoldText("Ça NE MARCHE pas"));
        Assert.Equal("contrasena / contrasena", TextRules.FoldText("Contrase\u00f1a / contrasen\u0303a"));
        Assert.Equal("gelost, weiss, boeuf, n'a", TextRules.FoldText("Gelöst, weiß, Bœuf, n’a"));
    }

    // Compatibility forms, marks outside the BMP, and JavaScript's final sigma in toLowerCase.
    [Theory]
    [InlineData("Ça NE MARCHE pas", "ca ne marche pas")]
    [InlineData("ẞ STRASSE", "ß strasse")]
    [InlineData("ŒUVRE", "oeuvre")]
    [InlineData("ﬁle \uff12\uff10\uff12\uff16", "file 2026")]
    [InlineData("it`s", "it's")]
    [InlineData("Ⅻ", "xii")]
    [InlineData("\u039f\u0394\u039f\u03a3", "\u03bf\u03b4\u03bf\u03c2")]
    [InlineData("İstanbul", "istanbul")]
    [InlineData("\u03a3", "\u03c3")]
    [InlineData("\u0391\u03a3.", "\u03b1\u03c2.")]
    [InlineData("\u0391\u03a3'\u0391", "\u03b1\u03c3'\u03b1")]
    [InlineData("\u0391.\u03a3", "\u03b1.\u03c2")]
    [InlineData("\u0391\u03a3\u03a3", "\u03b1\u03c3\u03c2")]
    [InlineData("\u0391\u03a3\u00ad\u0391", "\u03b1\u03c3\u00ad\u03b1")]
    [InlineData("ʰ\u03a3", "h\u03c2")]
    [InlineData("\u0391\u03a31", "\u03b1\u03c21")]
    [InlineData("\u0386 \u03a3\u0391", "\u03b1 \u03c3\u03b1")]
    [InlineData("x\ud834\udd67y", "xy")]
    [InlineData("Å", "a")]
    [InlineData("½", "1\u20442")]
    public void Matches_the_TypeScript(string text, string expected) => Assert.Equal(expected, TextRules.FoldText(text));
}
