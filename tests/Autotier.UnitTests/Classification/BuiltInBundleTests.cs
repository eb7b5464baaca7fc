using Autotier.Adapters.Classification;
using Xunit;

namespace Autotier.UnitTests.Classification;

/// <summary>The on-disk cache of the built-in models: same predictions, trained once, never trusting a damaged file.</summary>
public sealed class BuiltInBundleTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("autotier-bundle-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static BuiltInBundle Trained() => new(BuiltInModel.Load(), BuiltInModel.DangerModel, BuiltInModel.Calibration);

    [Fact(Timeout = 120_000)]
    public async Task A_cached_bundle_loads_without_training_and_predicts_as_the_trained_one()
    {
        await Task.Yield();
        var path = Path.Combine(dir, "bundle.bin");
        var trainings = 0;
        BuiltInBundle Train() { trainings++; return Trained(); }

        var first = BuiltInBundle.LoadOrTrain(Train, path);
        var second = BuiltInBundle.LoadOrTrain(Train, path);

        Assert.Equal(1, trainings);
        Assert.NotSame(first.Category, second.Category);
        foreach (var t in BuiltInModel.Test.Take(40))
        {
            var text = BuiltInModel.TextOf(t);
            Assert.Equal(first.Category.Predict(text).Scores, second.Category.Predict(text).Scores);
            Assert.Equal(first.Danger.Predict(text).Scores, second.Danger.Predict(text).Scores);
        }
        Assert.Equal(first.Calibration.Scores, second.Calibration.Scores);
        Assert.Equal(first.Calibration.Accuracy, second.Calibration.Accuracy);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_damaged_cache_file_is_trained_over_and_replaced()
    {
        await Task.Yield();
        var path = Path.Combine(dir, "bundle.bin");
        BuiltInBundle.LoadOrTrain(Trained, path);
        var whole = await File.ReadAllBytesAsync(path);
        await File.WriteAllBytesAsync(path, whole[..(whole.Length / 2)]);
        var trainings = 0;

        BuiltInBundle.LoadOrTrain(() => { trainings++; return Trained(); }, path);

        Assert.Equal(1, trainings);
        Assert.Equal(whole, await File.ReadAllBytesAsync(path));
    }

    [Fact(Timeout = 120_000)]
    public async Task Writing_a_bundle_keeps_the_four_newest_of_other_builds_and_deletes_the_rest()
    {
        await Task.Yield();
        for (var i = 0; i < 7; i++)
        {
            var old = Path.Combine(dir, $"builtin-old{i}.bin");
            await File.WriteAllTextAsync(old, "x");
            File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddDays(-10 + i));
        }
        await File.WriteAllTextAsync(Path.Combine(dir, "notes.txt"), "not ours");

        BuiltInBundle.LoadOrTrain(Trained, Path.Combine(dir, "builtin-new.bin"));

        Assert.Equal(
            ["builtin-new.bin", "builtin-old3.bin", "builtin-old4.bin", "builtin-old5.bin", "builtin-old6.bin", "notes.txt"],
            Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_cache_is_per_user_and_named_by_what_the_models_depend_on()
    {
        var path = BuiltInBundle.CachePath();
        if (Environment.GetEnvironmentVariable("AUTOTIER_MODEL_CACHE") is { Length: > 0 }) return;
        Assert.NotNull(path);
        Assert.StartsWith(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), path, StringComparison.Ordinal);
        Assert.DoesNotContain(Path.GetTempPath(), path, StringComparison.Ordinal);
        Assert.Matches(@"builtin-[0-9a-f]{32}\.bin$", path);
    }
}
