using System.Security.Cryptography;
using Autotier.Adapters.Files;
using Autotier.Domain.Classification;
using Autotier.Domain.Classification.Model;

namespace Autotier.Adapters.Classification;

/// <summary>
/// The three built-in models together, and a cache of them on disk. Training them takes seconds of
/// CPU (twelve seeded trainings: the category and danger models and ten folds for the calibration),
/// and every process that classifies needs them: the Functions app, the local host, each CLI run,
/// each test process. Training is deterministic, so the result is cached in a file named by a hash
/// of everything it depends on (the embedded training data and the builds of the code that trains),
/// and a process that finds the file loads it in milliseconds. Any other build or data trains anew.
/// </summary>
/// <remarks>
/// The cache lives in the user's own local application data (<c>~/.local/share/autotier/models</c>
/// on Linux), not in the shared temporary directory: a file planted there by another user could
/// otherwise decide which tickets are automated. <c>AUTOTIER_MODEL_CACHE</c> names another folder,
/// or <c>off</c> turns the cache off. A file that does not read back whole is ignored and replaced.
/// </remarks>
public sealed record BuiltInBundle(TextClassifier Category, TextClassifier Danger, ConfidenceCalibration Calibration)
{
    private const string Magic = "autotier-builtin-models/1";

    /// <param name="train">Trains the bundle when no cached one reads back.</param>
    /// <param name="path">The cache file (<see cref="CachePath"/>), or null for none.</param>
    public static BuiltInBundle LoadOrTrain(Func<BuiltInBundle> train, string? path)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (path is not null && TryRead(path) is { } cached) return cached;
        var bundle = train();
        if (path is not null) TryWrite(path, bundle);
        return bundle;
    }

    /// <summary>Where this build's bundle is cached, or null when the cache is off.</summary>
    public static string? CachePath()
    {
        var setting = Environment.GetEnvironmentVariable("AUTOTIER_MODEL_CACHE");
        if (string.Equals(setting, "off", StringComparison.OrdinalIgnoreCase)) return null;
        var folder = string.IsNullOrWhiteSpace(setting)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "autotier", "models")
            : setting;
        return Path.Combine(folder, $"builtin-{Convert.ToHexStringLower(Key())[..32]}.bin");
    }

    private static byte[] Key()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var data in BuiltInModel.TrainingData()) hash.AppendData(data);
        // The code that trains: a rebuild of either assembly may train differently.
        foreach (var assembly in new[] { typeof(BuiltInModel).Assembly, typeof(TextClassifier).Assembly })
            hash.AppendData(assembly.ManifestModule.ModuleVersionId.ToByteArray());
        return hash.GetHashAndReset();
    }

    private static BuiltInBundle? TryRead(string path)
    {
        try
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            if (reader.ReadString() != Magic) return null;
            var category = ModelFile.Load(reader.ReadBytes(reader.ReadInt32()));
            var danger = ModelFile.Load(reader.ReadBytes(reader.ReadInt32()));
            var n = reader.ReadInt32();
            if (n is <= 0 or > 1_000_000) return null;
            var scores = new double[n];
            var accuracy = new double[n];
            for (var i = 0; i < n; i++) scores[i] = reader.ReadDouble();
            for (var i = 0; i < n; i++) accuracy[i] = reader.ReadDouble();
            return reader.BaseStream.Position == reader.BaseStream.Length
                ? new BuiltInBundle(category, danger, new ConfidenceCalibration(scores, accuracy))
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or EndOfStreamException or ModelFormatException or InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>Bundles of other builds kept besides this one (a developer's rebuilds would otherwise pile up).</summary>
    private const int OthersKept = 4;

    private static void Prune(string folder, string current)
    {
        var others = new DirectoryInfo(folder).GetFiles("builtin-*.bin")
            .Where(f => !string.Equals(f.FullName, Path.GetFullPath(current), StringComparison.Ordinal))
            .OrderByDescending(f => f.LastWriteTimeUtc)
            .Skip(OthersKept);
        foreach (var old in others) old.Delete();
    }

    private static void TryWrite(string path, BuiltInBundle bundle)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var bytes = new MemoryStream();
            using (var writer = new BinaryWriter(bytes, System.Text.Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                foreach (var model in new[] { bundle.Category, bundle.Danger })
                {
                    var file = ModelFile.Save(model);
                    writer.Write(file.Length);
                    writer.Write(file);
                }
                writer.Write(bundle.Calibration.Scores.Count);
                foreach (var s in bundle.Calibration.Scores) writer.Write(s);
                foreach (var a in bundle.Calibration.Accuracy) writer.Write(a);
            }
            // Whole, so a process reading at the same time never sees half a file.
            AtomicFile.Write(path, bytes.GetBuffer().AsSpan(0, (int)bytes.Length));
            Prune(Path.GetDirectoryName(path)!, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A cache that cannot be written costs the next process the training, nothing else.
        }
    }
}
