namespace Autotier.Domain.Classification.Model;

/// <summary>
/// Mulberry32, the TypeScript's seededRandom: a small seeded generator whose stream, number for
/// number, is the TypeScript's, so shuffles, splits and folds are the same rows in both. Not
/// System.Random: its seeded stream is an implementation detail that is not the TS one.
/// </summary>
public sealed class SeededRandom(uint seed)
{
    private uint state = seed;

    /// <summary>The next number in [0, 1).</summary>
    public double Next()
    {
        unchecked
        {
            state += 0x6d2b79f5;
            var t = state;
            t = (t ^ (t >> 15)) * (t | 1);
            t ^= t + ((t ^ (t >> 7)) * (t | 61));
            return (t ^ (t >> 14)) / 4294967296.0;
        }
    }

    /// <summary>Math.floor(random() * n): an index in [0, n).</summary>
    public int NextIndex(int n) => (int)(Next() * n);
}
