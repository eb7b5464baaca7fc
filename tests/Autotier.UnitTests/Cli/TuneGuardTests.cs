using Autotier.Cli.Commands;
using Autotier.Domain.Classification;
using Autotier.Domain.Classification.Model;
using Xunit;

namespace Autotier.UnitTests.Cli;

public sealed class TuneGuardTests
{
    private static List<TuningRow> History() =>
        [.. Enumerable.Range(0, 60).Select(i => new TuningRow(Routes.Auto, 0.99 - i * 0.01, Categories.PasswordReset, Categories.PasswordReset))];

    [Fact]
    public void A_held_out_dangerous_tickets_confidence_is_a_floor_the_threshold_stays_above()
    {
        var free = ClassifierTuneCommand.Tune(History(), 0.9, null);
        var guarded = ClassifierTuneCommand.Tune(History(), 0.9, 0.7);

        Assert.True(free.Threshold < 0.7);
        Assert.True(guarded.Threshold > 0.7, $"threshold {guarded.Threshold}");
        Assert.Equal(0.7, guarded.DangerousAbove);
        // The figures are the history's own: the stand-in row is not counted.
        Assert.Equal(60, guarded.N);
        Assert.Equal(guarded.Automated / 60.0, guarded.Coverage, 4);
    }
}
