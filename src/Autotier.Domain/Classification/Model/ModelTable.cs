namespace Autotier.Domain.Classification.Model;

/// <summary>
/// One row per bucket, its idf then one weight per class, as int16 in units of IdfUnit and
/// WeightUnit, as the TypeScript keeps it: the rows lie scattered over megabytes, so a feature at
/// prediction costs one cache line instead of two (idf and weights apart), and int16 halves the
/// lines float32 would need. The rounding (under 1/32767 of the largest weight) left every fold's
/// accuracy of 10-fold cross-validation on the public corpus as it was with float32 (TS README).
/// </summary>
internal sealed class ModelTable(short[] rows, double idfUnit, double weightUnit, int classes)
{
    public short[] Rows { get; } = rows;

    public double IdfUnit { get; } = idfUnit;

    public double WeightUnit { get; } = weightUnit;

    public int Classes { get; } = classes;

    public static ModelTable Pack(int dims, int k, Func<int, double> idfOf, Func<int, int, double> weightOf)
    {
        double idfMax = 0, weightMax = 0;
        for (var j = 0; j < dims; j++)
        {
            idfMax = Math.Max(idfMax, Math.Abs(idfOf(j)));
            for (var c = 0; c < k; c++) weightMax = Math.Max(weightMax, Math.Abs(weightOf(j, c)));
        }
        var idfUnit = idfMax / 32767 is var iu && iu != 0 ? iu : 1;
        var weightUnit = weightMax / 32767 is var wu && wu != 0 ? wu : 1;
        var rows = new short[dims * (k + 1)];
        for (var j = 0; j < dims; j++)
        {
            rows[j * (k + 1)] = (short)JsRound(idfOf(j) / idfUnit);
            for (var c = 0; c < k; c++) rows[(j * (k + 1)) + 1 + c] = (short)JsRound(weightOf(j, c) / weightUnit);
        }
        return new ModelTable(rows, idfUnit, weightUnit, k);
    }

    /// <summary>Math.round: halves go up (towards +infinity), unlike Math.Round's banker's rounding.</summary>
    public static double JsRound(double x) => Math.Floor(x + 0.5);

    /// <summary>
    /// The decision values of one text straight from its feature counts: weigh each feature (as
    /// training does) and dot each block apart, then scale the blocks, so no weighed vector is built.
    /// </summary>
    public void Scores(Span<double> output, ReadOnlySpan<uint> buckets, ReadOnlySpan<ushort> counts, float[] bias, FeatureLayout layout)
    {
        var k = Classes;
        var stride = k + 1;
        var rows = Rows;
        Span<double> partial = stackalloc double[3 * k];
        partial.Clear();
        Span<double> squaredNorms = stackalloc double[3];
        squaredNorms.Clear();
        var skips = layout.SkipWindow > 0;
        // Most rows are cache misses. A loop that only reads each row's idf has many of them in
        // flight at once; the weights beside it are then in cache (the TypeScript measured 17,000
        // -> 21,000 predictions a second pinned to one core with it).
        var idf = buckets.Length <= 4096 ? stackalloc short[buckets.Length] : new short[buckets.Length];
        for (var i = 0; i < buckets.Length; i++) idf[i] = rows[(int)buckets[i] * stride];
        for (var i = 0; i < buckets.Length; i++)
        {
            var b = buckets[i];
            var row = ((int)b * stride) + 1;
            var v = TextClassifier.TermWeight(counts[i]) * idf[i] * IdfUnit;
            var block = (b & 1) != 0 ? 1 : skips && (b & 2) != 0 ? 2 : 0;
            squaredNorms[block] += v * v;
            var part = partial.Slice(block * k, k);
            var weights = rows.AsSpan(row, k);
            for (var c = 0; c < k; c++) part[c] += weights[c] * v;
        }
        var (words, chars, skipGrams) = TextClassifier.BlockScales(squaredNorms, layout);
        var unit = WeightUnit;
        for (var c = 0; c < k; c++)
            output[c] = bias[c] + (unit * ((words * partial[c]) + (chars * partial[k + c]) + (skipGrams * partial[(2 * k) + c])));
    }
}
