using Autotier.Domain.Classification.Model;
using Xunit;

namespace Autotier.UnitTests.Domain.Classification.Model;

/// <summary>Ported from tests/unit/domain/model/linearSvm.test.ts.</summary>
public sealed class LinearSvmTests
{
    // Rows from dense vectors (zeros left out).
    private static SparseRows Rows(double[][] dense)
    {
        var rowStart = new int[dense.Length + 1];
        var indices = new List<int>();
        var values = new List<float>();
        for (var i = 0; i < dense.Length; i++)
        {
            for (var j = 0; j < dense[i].Length; j++)
            {
                if (dense[i][j] == 0) continue;
                indices.Add(j);
                values.Add((float)dense[i][j]);
            }
            rowStart[i + 1] = indices.Count;
        }
        return new SparseRows(rowStart, [.. indices], [.. values], dense[0].Length);
    }

    [Fact]
    public void Train_SeparatesTwoClouds_AndPutsTheBoundaryBetweenThem()
    {
        var random = new SeededRandom(1);
        var dense = new List<double[]>();
        var positive = new List<bool>();
        for (var i = 0; i < 200; i++)
        {
            var side = i % 2 == 0 ? 1 : -1;
            dense.Add([(side * 2) + random.Next() - 0.5, random.Next() - 0.5, 0]);
            positive.Add(side > 0);
        }
        var (w, b) = LinearSvm.Train(Rows([.. dense]), [.. positive], new LinearSvm.Options(1), new SeededRandom(2));
        var right = dense.Where((x, i) => ((w[0] * x[0]) + (w[1] * x[1]) + b > 0) == positive[i]).Count();
        Assert.Equal(dense.Count, right);
        Assert.True(Math.Abs(w[0]) > 5 * Math.Abs(w[1]), "the first feature decides");
        Assert.Equal(0, w[2]); // a feature no row has stays at zero
    }

    [Fact]
    public void Train_MatchesTheClosedFormSolutionOfAOneFeatureProblem()
    {
        // x = +1 (positive) and x = -1 (negative), bias feature 1, C large: the hard-margin solution
        // is w = 1, b = 0; the squared hinge with C = 1000 lands within 0.01 of it.
        var (w, b) = LinearSvm.Train(Rows([[1], [-1]]), [true, false], new LinearSvm.Options(1000, MaxIterations: 1000, Tolerance: 1e-6), new SeededRandom(3));
        Assert.InRange(w[0], 0.99, 1.01);
        Assert.InRange(b, -0.01, 0.01);
    }

    [Fact]
    public void Train_GivesAnExampleWithMoreWeightMoreSay()
    {
        // Two identical points with opposite labels: the heavier one wins the sign.
        var data = Rows([[1], [1]]);
        (double[] W, double B) Heavier(double[] weights) =>
            LinearSvm.Train(data, [true, false], new LinearSvm.Options(1, weights), new SeededRandom(4));
        var a = Heavier([4, 1]);
        var b = Heavier([1, 4]);
        Assert.True(a.W[0] + a.B > 0);
        Assert.True(b.W[0] + b.B < 0);
    }

    [Fact]
    public void SeededRandom_GivesMulberry32sStream()
    {
        // mulberry32(42) in JS: the first three numbers, as Node prints them.
        var random = new SeededRandom(42);
        Assert.Equal(0.6011037519201636, random.Next());
        Assert.Equal(0.44829055899754167, random.Next());
        Assert.Equal(0.8524657934904099, random.Next());
    }
}
