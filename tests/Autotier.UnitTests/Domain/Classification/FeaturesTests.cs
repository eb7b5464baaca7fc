using System.Globalization;
using Autotier.Domain.Classification;
using Xunit;

namespace Autotier.UnitTests.Domain.Classification;

/// <summary>
/// Feature extraction, ported from tests/unit/domain/model/textClassifier.test.ts (the featureCounts,
/// skip-gram and layout cases) and tests/unit/cli/autotier.test.ts (the layouts and the windows
/// train refuses), plus a golden comparison with the TypeScript build (FeaturesGolden.cs).
/// </summary>
public sealed class FeaturesTests
{
    [Fact]
    public void Layouts_AreTheOnesTheTypeScriptStoresInModels()
    {
        // `classifier train` stores {5, 1.4} by default and {0, 0} at --skip-window 0 (the built-in model).
        Assert.Equal(new FeatureLayout(5, 1.4), Features.DefaultLayout);
        Assert.Equal(new FeatureLayout(0, 0), Features.LayoutV2);
        Assert.Equal(1 << 19, Features.DefaultDims);
        Assert.Equal(10, Features.MaxSkipWindow);
    }

    [Fact]
    public void Count_PutsTheFirstWordFirst_InAnEvenBucketUnderLayout2()
    {
        // The word "printer" is the first feature counted; under layout 2 it may sit in any even bucket.
        var printer = Features.Count("printer", 1 << 10, Features.LayoutV2).Buckets[0];
        Assert.Equal(0u, printer & 1);
    }

    [Fact]
    public void Count_CountsSkipGrams_OrderedPairs2ToWindowApart_InTheirOwnBlock()
    {
        const int dims = 1 << 16;
        var layout = new FeatureLayout(3, 1);
        int Skips(string text, FeatureLayout l) =>
            Features.Count(text, dims, l).Buckets.Count(b => Features.BlockOf(b, l) == 2);
        // (reset, vpn), (reset, password), (the, password): 3 pairs; the bigrams are words.
        Assert.Equal(3, Skips("reset the vpn password", layout));
        Assert.Equal(0, Skips("reset vpn", layout));
        Assert.Equal(0, Skips("reset the vpn password", Features.LayoutV2));
        // Order counts: "access ... folder" is not "folder ... access".
        uint Pair(FeatureCounts counts) => counts.Buckets.First(b => Features.BlockOf(b, layout) == 2);
        Assert.NotEqual(
            Pair(Features.Count("access shared folder", dims, layout)),
            Pair(Features.Count("folder shared access", dims, layout)));
        // Words sit on multiples of four under layout 3, so no word is read as a skip-gram.
        foreach (var b in Features.Count("printer offline", dims, layout).Buckets)
            Assert.NotEqual(2, Features.BlockOf(b, layout));
    }

    [Fact]
    public void Count_CountsARepeatedWordTwice()
    {
        var counted = Features.Count("printer printer", 1 << 12);
        Assert.Equal(2, counted.Counts.Max());
    }

    [Fact]
    public void Count_CountsEveryFeatureOfALongTextOncePerOccurrence()
    {
        var text = string.Join(' ', Enumerable.Range(0, 900).Select(i => $"word{i % 300}"));
        var counted = Features.Count(text, 1 << 18);
        Assert.True(counted.Counts.Length > 300, $"{counted.Counts.Length} distinct features");
        Assert.Equal(counted.Buckets.Length, counted.Counts.Length);
        Assert.Equal(counted.Buckets.Length, counted.Buckets.Distinct().Count());
        // Each of the 300 words occurs 3 times, so its unigram counts 3.
        Assert.True(counted.Counts.Count(n => n == 3) >= 300);
    }

    [Fact]
    public void Count_SaturatesAt65535_AsTheTypeScriptsUint16CountsDo()
    {
        // "xx" occurs 69999 times in one 70000-letter word.
        var counted = Features.Count(new string('x', 70000), 1 << 10, Features.LayoutV2);
        Assert.Equal(ushort.MaxValue, counted.Counts.Max());
    }

    [Fact]
    public void Count_GivesNothingForTextWithoutLettersOrDigits()
    {
        Assert.Empty(Features.Count("", 1 << 10).Buckets);
        Assert.Empty(Features.Count(" -- !! \u00a0 \ud83d\ude00 ", 1 << 10).Buckets);
    }

    [Fact]
    public void Count_IgnoresWordsPastTheThousandth()
    {
        var words = Enumerable.Range(0, 1000).Select(i => $"w{i}");
        Assert.Equal(
            Features.Count(string.Join(' ', words), 1 << 16).Buckets.ToArray(),
            Features.Count(string.Join(' ', words.Append("extra")), 1 << 16).Buckets.ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-8)]
    [InlineData(1000)]
    public void Count_RefusesDimsThatAreNotAPowerOfTwo(int dims) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Features.Count("printer", dims));

    [Fact]
    public void Count_RefusesAnInvalidLayout() =>
        Assert.Throws<ArgumentException>(() => Features.Count("printer", 1 << 10, new FeatureLayout(11, 1)));

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(5, 1.4)]
    [InlineData(10, 1)]
    [InlineData(3, 1.5)]
    public void IsValidLayout_AcceptsWindowsFrom0To10AndFiniteNonNegativeWeights(int window, double weight) =>
        Assert.True(Features.IsValidLayout(new FeatureLayout(window, weight)));

    [Theory]
    // A layout that would make Count pair every word with every other is refused (the TS case is 1e9).
    [InlineData(int.MaxValue, 1)]
    [InlineData(5, -1)]
    // The windows `classifier train --skip-window` refuses ("2.5" and "wide" cannot be an int here).
    [InlineData(-1, 1.4)]
    [InlineData(11, 1.4)]
    [InlineData(5, double.NaN)]
    [InlineData(5, double.PositiveInfinity)]
    public void IsValidLayout_RefusesWhatCountCannotUseSafely(int window, double weight) =>
        Assert.False(Features.IsValidLayout(new FeatureLayout(window, weight)));

    [Fact]
    public void IsValidLayout_RefusesNoLayout() => Assert.False(Features.IsValidLayout(null));

    public static TheoryData<int> GoldenCases() => [.. Enumerable.Range(0, FeaturesGolden.Cases.Length)];

    /// <summary>Same buckets, counts and order as the TS build gave for the same text, layout and dims.</summary>
    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void Count_MatchesTheTypeScriptBuild(int index)
    {
        var golden = FeaturesGolden.Cases[index];
        var layout = golden.Layout switch
        {
            "LayoutV2" => Features.LayoutV2,
            "DefaultLayout" => Features.DefaultLayout,
            "Window3Small" => new FeatureLayout(3, 1.5),
            _ => throw new InvalidOperationException(golden.Layout),
        };
        var counted = Features.Count(FeaturesGolden.Texts[golden.Text], golden.Dims, layout);
        var pairs = string.Join(' ', counted.Buckets.Select((b, i) =>
            string.Create(CultureInfo.InvariantCulture, $"{b}:{counted.Counts[i]}")));
        Assert.Equal(golden.Pairs, pairs);
    }

    [Fact]
    public void Golden_CoversEveryTextUnderEveryLayout() =>
        Assert.Equal(FeaturesGolden.Texts.Length * 3, FeaturesGolden.Cases.Length);
}
