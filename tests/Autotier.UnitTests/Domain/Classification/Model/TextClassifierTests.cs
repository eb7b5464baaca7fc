using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Autotier.Domain.Classification;
using Autotier.Domain.Classification.Model;
using Xunit;

namespace Autotier.UnitTests.Domain.Classification.Model;

/// <summary>Ported from tests/unit/domain/model/textClassifier.test.ts, plus the C# model file.</summary>
public sealed class TextClassifierTests
{
    private static readonly (string Text, string Label)[] Texts =
    [
        ("printer jam in tray two", "printer"),
        ("the printer is offline", "printer"),
        ("toner low on the printer", "printer"),
        ("printer prints blank pages", "printer"),
        ("forgot my password", "password"),
        ("password expired cannot sign in", "password"),
        ("reset my password please", "password"),
        ("locked out, password wrong", "password"),
    ];

    private static TextClassifier Train() =>
        TextClassifier.Train([.. Texts.Select(t => t.Text)], [.. Texts.Select(t => t.Label)], new TrainOptions(Dims: 1 << 12));

    [Fact]
    public void LearnsTheWords_AndToleratesATypoThroughCharacterNgrams()
    {
        var model = Train();
        Assert.Equal("printer", model.Predict("my printer is jammed").Label);
        Assert.Equal("password", model.Predict("pasword expird").Label);
        var p = model.Predict("printer offline again");
        Assert.InRange(p.Confidence, 0.5000001, 1);
        Assert.Equal(1, p.Scores.Values.Sum(), 9);
        Assert.Equal(["password", "printer"], model.Labels);
    }

    [Fact]
    public void IsReproducible_AndRoundTripsThroughItsFileFormat()
    {
        var model = Train();
        Assert.Equal(Train().Predict("toner").Scores, model.Predict("toner").Scores);
        var copy = ModelFile.Load(ModelFile.Save(model.WithMeta(new Dictionary<string, string> { ["note"] = "x" })));
        Assert.Equal(model.Predict("reset password").Scores, copy.Predict("reset password").Scores);
        foreach (var (text, _) in Texts) Assert.Equal(model.Predict(text), copy.Predict(text), ModelPredictionComparer.Instance);
        Assert.Equal("x", copy.Meta["note"]);
        Assert.Equal("svm+nbsvm", copy.Meta["learner"]);
        Assert.Equal("8", copy.Meta["trainedOn"]);
        Assert.Equal(model.Layout, copy.Layout);
    }

    [Fact]
    public void PredictsExactlyWhatTheWeighedVectorDottedWithTheWeightsGives()
    {
        const int dims = 1 << 10;
        var layout = new FeatureLayout(3, 1.5);
        var random = new SeededRandom(7);
        var idf = Enumerable.Range(0, dims).Select(_ => (float)(1 + (random.Next() * 4))).ToArray();
        var weights = Enumerable.Range(0, dims * 3).Select(_ => (random.Next() - 0.5) * 0.5).ToArray();
        double[] bias = [0.1, -0.2, 0.05];
        var model = TextClassifier.FromWeights(["a", "b", "c"], dims, layout, idf, (j, c) => weights[(j * 3) + c], bias, new Dictionary<string, string>());
        const string text = "my laptop will not connect to the vpn from home, the vpn says error 809";
        // The weighed vector by hand: sublinear TF x IDF, blocks normalised as the layout says.
        var counted = Features.Count(text, dims, layout);
        var norms = new double[3];
        var raw = counted.Buckets.Select((b, i) => (1 + Math.Log(counted.Counts[i])) * idf[b]).ToArray();
        for (var i = 0; i < raw.Length; i++) norms[Features.BlockOf(counted.Buckets[i], layout)] += raw[i] * raw[i];
        var total = Math.Sqrt(2 + (1.5 * 1.5));
        double[] scale = [1 / total / Math.Sqrt(norms[0]), 1 / total / Math.Sqrt(norms[1]), 1.5 / total / Math.Sqrt(norms[2])];
        var scores = new double[3];
        for (var c = 0; c < 3; c++)
        {
            scores[c] = bias[c];
            for (var i = 0; i < raw.Length; i++)
                scores[c] += weights[((int)counted.Buckets[i] * 3) + c] * raw[i] * scale[Features.BlockOf(counted.Buckets[i], layout)];
        }
        var exp = scores.Select(s => Math.Exp((s - scores.Max()) / 0.6)).ToArray();
        var p = model.Predict(text);
        // int16 storage rounds each weight and idf to 1/32767 of the largest.
        for (var c = 0; c < 3; c++) Assert.Equal(exp[c] / exp.Sum(), p.Scores[model.Labels[c]], 3);
    }

    [Fact]
    public void PredictsTheSameFromManyThreadsAtOnce()
    {
        // The app classifies tickets concurrently; the counting buffers are per thread.
        var model = Train();
        var texts = Enumerable.Range(0, 400).Select(i => $"{Texts[i % Texts.Length].Text} {new string('x', i % 37)} ticket {i}").ToArray();
        var alone = texts.Select(t => model.Predict(t).Scores.Values.ToArray()).ToArray();
        var together = new double[texts.Length][];
        Parallel.For(0, texts.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => together[i] = model.Predict(texts[i]).Scores.Values.ToArray());
        for (var i = 0; i < texts.Length; i++) Assert.Equal(alone[i], together[i]);
    }

    [Fact]
    public void Temperature_FlattensOrSharpensWithoutChangingTheLabel()
    {
        var model = Train();
        var p = model.Predict("printer offline");
        var flat = model.WithTemperature(5).Predict("printer offline");
        var sharp = model.WithTemperature(0.1).Predict("printer offline");
        Assert.Equal(p.Label, flat.Label);
        Assert.Equal(p.Label, sharp.Label);
        Assert.True(flat.Confidence < p.Confidence && p.Confidence < sharp.Confidence);
        Assert.Equal(5, ModelFile.Load(ModelFile.Save(model.WithTemperature(5))).Temperature);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.WithTemperature(0));
    }

    [Fact]
    public void RefusesWhatItCannotTrainOn()
    {
        Assert.Throws<ArgumentException>(() => TextClassifier.Train([], []));
        Assert.Contains("at least two labels", Assert.Throws<ArgumentException>(() => TextClassifier.Train(["a", "b"], ["x", "x"])).Message, StringComparison.Ordinal);
        Assert.Contains("power of two", Assert.Throws<ArgumentException>(() => TextClassifier.Train(["a", "b"], ["x", "y"], new TrainOptions(Dims: 1000))).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => TextClassifier.Train(["a", "b"], ["x", "y"], new TrainOptions(Layout: new FeatureLayout(1_000_000, 1))));
    }

    [Fact]
    public void FeatureCounter_GivesEachTextTheSameFeaturesWhateverWasCountedBefore()
    {
        // Counting reuses its table between texts: a long text first must not change a short one's features.
        string[] texts = ["printer offline", string.Join(' ', Enumerable.Range(0, 900).Select(i => $"w{i}")), "Gr\u00fc\u00dfe aus M\u00fcnchen", "vpn", ""];
        var alone = texts.Select(t => Features.Count(t, 1 << 16)).ToList();
        for (var round = 0; round < 3; round++)
            for (var i = texts.Length - 1; i >= 0; i--)
            {
                var again = Features.Count(texts[i], 1 << 16);
                Assert.True(alone[i].Buckets.SequenceEqual(again.Buckets), $"text {i}: buckets differ");
                Assert.True(alone[i].Counts.SequenceEqual(again.Counts), $"text {i}: counts differ");
            }
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3 }, "not gzip")]
    [InlineData(new byte[0], "not gzip")]
    public void Load_RefusesWhatIsNotGzip(byte[] bytes, string why) =>
        Assert.Contains(why, Assert.Throws<ModelFormatException>(() => ModelFile.Load(bytes)).Message, StringComparison.Ordinal);

    [Fact]
    public void Load_RefusesAForeignCorruptTruncatedOrNewerFile()
    {
        var good = ModelFile.Save(Train());
        var raw = Gunzip(good);
        string Why(byte[] rawFile) => Assert.Throws<ModelFormatException>(() => ModelFile.Load(Gzip(rawFile))).Message;

        Assert.Contains("unknown format", Why(Encoding.UTF8.GetBytes("hello, not a model at all")), StringComparison.Ordinal);
        Assert.Contains("truncated", Why(raw[..^3]), StringComparison.Ordinal);
        Assert.Contains("bytes past its end", Why([.. raw, 0, 0]), StringComparison.Ordinal);
        var newer = raw.ToArray();
        BinaryPrimitives.WriteUInt16LittleEndian(newer.AsSpan(4), 99);
        Assert.Contains("newer than this build reads", Why(newer), StringComparison.Ordinal);
        var corrupt = good.ToArray();
        corrupt[^12] ^= 0xff; // inside the deflate stream or its CRC
        Assert.Throws<ModelFormatException>(() => ModelFile.Load(corrupt));
        // A header that names an unsafe layout is refused, not used.
        var unsafeLayout = raw.ToArray();
        var weight = unsafeLayout.AsSpan().IndexOf("\"skipWeight\":1.4"u8) + "\"skipWeight\":".Length;
        "-14"u8.CopyTo(unsafeLayout.AsSpan(weight)); // same length, so the header length still holds
        Assert.Contains("feature layout", Why(unsafeLayout), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ReadsTheTypeScriptsFormat3()
    {
        var model = ModelFile.Load(Gzip(TypeScriptFile("autotier-text-classifier/3")));
        var p = model.Predict("anything");
        Assert.Equal("b", p.Label);
        Assert.Equal(0.75, p.Confidence, 5);
        Assert.Equal("3", model.Meta["trainedOn"]);
        Assert.Equal(TextClassifier.DefaultTemperature, model.Temperature);
        var older = TypeScriptFile("autotier-text-classifier/1");
        Assert.Contains("not supported", Assert.Throws<ModelFormatException>(() => ModelFile.Load(Gzip(older))).Message, StringComparison.Ordinal);
    }

    // A TS format-3 file: u32 header length, JSON header, int16 table (idf 1, weights 0), float32 bias (b's gives 0.75).
    private static byte[] TypeScriptFile(string magic)
    {
        const int dims = 16;
        var header = Encoding.UTF8.GetBytes("{\"magic\":\"" + magic + "\",\"labels\":[\"a\",\"b\"],\"dims\":16,\"layout\":{\"skipWindow\":0,\"skipWeight\":0},\"idfUnit\":1,\"weightUnit\":0.001,\"meta\":{\"trainedOn\":3,\"learner\":\"svm+nbsvm\"}}");
        var body = new byte[4 + header.Length + (dims * 3 * 2) + 8];
        BinaryPrimitives.WriteUInt32LittleEndian(body, (uint)header.Length);
        header.CopyTo(body, 4);
        var tableAt = 4 + header.Length;
        for (var j = 0; j < dims; j++) BinaryPrimitives.WriteInt16LittleEndian(body.AsSpan(tableAt + (j * 6)), 1); // idf 1
        BinaryPrimitives.WriteSingleLittleEndian(body.AsSpan(tableAt + (dims * 6) + 4), (float)Math.Log(3) * 0.6f);
        return body;
    }

    private static byte[] Gzip(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest)) gzip.Write(raw);
        return output.ToArray();
    }

    private static byte[] Gunzip(byte[] file)
    {
        using var gzip = new GZipStream(new MemoryStream(file), CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }

    private sealed class ModelPredictionComparer : IEqualityComparer<ModelPrediction>
    {
        public static readonly ModelPredictionComparer Instance = new();

        public bool Equals(ModelPrediction? x, ModelPrediction? y) =>
            x is not null && y is not null && x.Label == y.Label && x.Confidence == y.Confidence
            && x.Scores.Count == y.Scores.Count && x.Scores.All(p => y.Scores[p.Key] == p.Value);

        public int GetHashCode(ModelPrediction obj) => obj.Label.GetHashCode(StringComparison.Ordinal);
    }
}
