using Autotier.Adapters.Classification;
using Autotier.Domain.Classification;
using Autotier.LocalHost;

namespace Autotier.UnitTests.Classification;

/// <summary>
/// The MSP data for the evaluation tests: the built-in models exactly as the app trains them
/// (<see cref="BuiltInModel"/>), and data/msp-eval.csv, which nothing trains on, read from the repository.
/// </summary>
public static class MspData
{

    private static readonly Lazy<IReadOnlyList<LabelledTicket>> EvalSet = new(() =>
    {
        using var reader = new StreamReader(DataPath("msp-eval.csv"));
        return BuiltInModel.Read(reader);
    });

    public static string DataPath(string file) => Path.Combine(RepositoryRoot.Find(), "data", file);

    public static IReadOnlyList<LabelledTicket> Train => BuiltInModel.Train;

    public static IReadOnlyList<LabelledTicket> Test => BuiltInModel.Test;

    public static IReadOnlyList<LabelledTicket> Eval => EvalSet.Value;

    /// <summary>The whole classifier as the app runs it, at an automation threshold.</summary>
    public static ClassifierOptions Options(double threshold = 0.6) => BuiltInModel.Options(threshold);
}
