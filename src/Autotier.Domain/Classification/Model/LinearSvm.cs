using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Autotier.Domain.Classification.Model;

/// <summary>Rows of a sparse matrix: row i is Indices/Values[RowStart[i] .. RowStart[i + 1]).</summary>
public sealed record SparseRows(int[] RowStart, int[] Indices, float[] Values, int Dims)
{
    public int Count => RowStart.Length - 1;
}

/// <summary>
/// L2-regularised L2-loss (squared hinge) linear SVM, solved in the dual by coordinate descent
/// (Hsieh, Chang, Lin, Keerthi and Sundararajan, "A dual coordinate descent method for large-scale
/// linear SVM", ICML 2008: LIBLINEAR's default solver). A port of src/domain/model/linearSvm.ts,
/// step for step, so a seeded run gives the TypeScript's weights (to float rounding). Written by
/// hand: ML.NET's linear SVM is hinge loss by Pegasos, and its SDCA and averaged perceptron
/// trainers each measured below this one on the public corpus (docs/classifier.md).
/// The bias is an extra feature of constant value 1, regularised like the rest, as in LIBLINEAR.
/// </summary>
public static class LinearSvm
{
    /// <param name="C">Misclassification cost (LIBLINEAR's -c).</param>
    /// <param name="Weights">Per-example multiplier of C (class weights); 1 when absent.</param>
    /// <param name="MaxIterations">Passes over the data at most.</param>
    /// <param name="Tolerance">Stop when the projected gradient's spread is under this.</param>
    public sealed record Options(double C, double[]? Weights = null, int MaxIterations = 30, double Tolerance = 0.1);

    /// <summary>Trains w and b so that sign(w.x + b) predicts positive[i]; random drives the shuffles.</summary>
    public static (double[] W, double B) Train(SparseRows rows, bool[] positive, Options options, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(positive);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        var n = rows.Count;
        if (positive.Length != n) throw new ArgumentException("One label per row is needed.", nameof(positive));
        var rowStart = rows.RowStart;
        var indices = rows.Indices;
        var values = rows.Values;
        var w = new double[rows.Dims];
        var b = 0.0;
        var alpha = new double[n];
        var diag = new double[n];
        var squaredNorm = new double[n];
        for (var i = 0; i < n; i++)
        {
            var s = 1.0; // the bias feature
            for (var p = rowStart[i]; p < rowStart[i + 1]; p++) s += (double)values[p] * values[p];
            squaredNorm[i] = s;
            diag[i] = 0.5 / (options.C * (options.Weights?[i] ?? 1));
        }
        // Every index is checked once here, so the hot loops below can read and write w without a
        // bounds check per feature (they are most of the training time).
        foreach (var index in indices.AsSpan(0, rowStart[n]))
            if ((uint)index >= (uint)w.Length) throw new ArgumentException($"A feature index ({index}) is outside the rows' {rows.Dims} dims.", nameof(rows));
        ref var weights = ref MemoryMarshal.GetArrayDataReference(w);
        var order = new int[n];
        for (var i = 0; i < n; i++) order[i] = i;
        for (var iteration = 0; iteration < options.MaxIterations; iteration++)
        {
            for (var i = n - 1; i > 0; i--)
            {
                var j = random.NextIndex(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
            var maxGradient = double.NegativeInfinity;
            var minGradient = double.PositiveInfinity;
            for (var k = 0; k < n; k++)
            {
                var i = order[k];
                var y = positive[i] ? 1.0 : -1.0;
                var start = rowStart[i];
                var end = rowStart[i + 1];
                var row = indices.AsSpan(start, end - start);
                var x = values.AsSpan(start, end - start);
                var score = Dot(b, ref weights, row, x);
                var a = alpha[i];
                var d = diag[i];
                var gradient = (y * score) - 1 + (d * a);
                var projected = a == 0 ? Math.Min(gradient, 0) : gradient;
                if (projected > maxGradient) maxGradient = projected;
                if (projected < minGradient) minGradient = projected;
                if (projected == 0) continue;
                var next = Math.Max(a - (gradient / (squaredNorm[i] + d)), 0);
                alpha[i] = next;
                var step = (next - a) * y;
                if (step == 0) continue;
                for (var p = 0; p < row.Length; p++) Unsafe.Add(ref weights, row[p]) += step * x[p];
                b += step;
            }
            if (maxGradient - minGradient <= options.Tolerance) break;
        }
        return (w, b);
    }

    // start + w . x over one row's features, their indices checked against w by the caller; summed
    // from start in the TypeScript's order, so the rounding is the same.
    private static double Dot(double start, ref double w, ReadOnlySpan<int> row, ReadOnlySpan<float> x)
    {
        var score = start;
        for (var p = 0; p < row.Length; p++) score += Unsafe.Add(ref w, row[p]) * x[p];
        return score;
    }
}
