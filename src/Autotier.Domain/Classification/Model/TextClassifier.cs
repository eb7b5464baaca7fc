using System.Globalization;

namespace Autotier.Domain.Classification.Model;

/// <summary>How <see cref="TextClassifier.Train"/> trains; the defaults are the TypeScript's.</summary>
/// <param name="C">The SVMs' misclassification cost.</param>
/// <param name="ClassWeightPower">Class weights (n / (classes * n_c)) ^ power: 0 none, 1 fully balanced.</param>
/// <param name="Dims">Hash buckets, a power of two.</param>
/// <param name="Layout">Which features (skip-grams or not); null for <see cref="Features.DefaultLayout"/>.</param>
/// <param name="MaxIterations">Passes of each SVM's solver at most.</param>
/// <param name="Seed">Seeds the solver's shuffles, so training is reproducible.</param>
/// <param name="Temperature">The softmax temperature the model predicts with (see <see cref="Calibration"/>).</param>
public sealed record TrainOptions(
    double C = 0.5,
    double ClassWeightPower = 0.5,
    int Dims = Features.DefaultDims,
    FeatureLayout? Layout = null,
    int MaxIterations = 30,
    uint Seed = 42,
    double Temperature = TextClassifier.DefaultTemperature);

/// <summary>
/// A linear text classifier, the port of src/domain/model/textClassifier.ts: one-vs-rest
/// squared-hinge SVMs (<see cref="LinearSvm"/>) on hashed TF-IDF word 1-2-grams, word skip-grams
/// and character 2-5-grams (<see cref="Features"/>), averaged with NB-SVM (Wang and Manning 2012:
/// the same SVMs on features scaled by each class's naive-Bayes log-count ratio). Both are linear
/// in the same features, so the average is one weight matrix: a prediction is one sparse dot
/// product per class. Class weights (square root of balanced) keep small classes from being
/// swallowed by large ones. Probabilities are a softmax of the scores at a temperature the model
/// carries (0.6 unless calibrated otherwise).
///
/// Kept by hand rather than trained by ML.NET because it measures better on the public corpus
/// than every ML.NET trainer tried (docs/classifier.md, "ML.NET"), and predicts without ML.NET's
/// per-call PredictionEngine overhead. Models trained elsewhere (ML.NET on the same features) are
/// loaded into the same table with <see cref="FromWeights"/>.
/// </summary>
public sealed class TextClassifier : ICategoryModel
{
    /// <summary>
    /// The TypeScript's temperature: chosen by 5-fold cross-validation on the public corpus
    /// (lowest log loss). <see cref="Calibration.FitTemperature"/> fits one for other data.
    /// </summary>
    public const double DefaultTemperature = 0.6;

    private readonly string[] labels;
    private readonly ModelTable table;
    private readonly float[] bias;

    internal TextClassifier(
        string[] labels,
        int dims,
        FeatureLayout layout,
        ModelTable table,
        float[] bias,
        double temperature,
        IReadOnlyDictionary<string, string> meta)
    {
        this.labels = labels;
        Dims = dims;
        Layout = layout;
        this.table = table;
        this.bias = bias;
        Temperature = temperature;
        Meta = meta;
    }

    public IReadOnlyList<string> Labels => labels;

    public int Dims { get; }

    public FeatureLayout Layout { get; }

    /// <summary>Scores are divided by this before the softmax: above 1 flattens, below sharpens.</summary>
    public double Temperature { get; }

    /// <summary>What the trainer recorded: trainedOn, learner, C, source, ... (strings, for the file's header).</summary>
    public IReadOnlyDictionary<string, string> Meta { get; }

    internal ModelTable Table => table;

    internal float[] Bias => bias;

    /// <summary>The same model predicting at another temperature (a calibration's result).</summary>
    public TextClassifier WithTemperature(double temperature)
    {
        if (!(double.IsFinite(temperature) && temperature > 0))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be a positive number.");
        return new TextClassifier(labels, Dims, Layout, table, bias, temperature, Meta);
    }

    /// <summary>The same model with more entries in its meta (the file's source, say).</summary>
    public TextClassifier WithMeta(IReadOnlyDictionary<string, string> extra)
    {
        ArgumentNullException.ThrowIfNull(extra);
        var meta = new Dictionary<string, string>(Meta, StringComparer.Ordinal);
        foreach (var (key, value) in extra) meta[key] = value;
        return new TextClassifier(labels, Dims, Layout, table, bias, Temperature, meta);
    }

    public static TextClassifier Train(IReadOnlyList<string> texts, IReadOnlyList<string> labels, TrainOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(labels);
        options ??= new TrainOptions();
        if (texts.Count == 0 || texts.Count != labels.Count)
            throw new ArgumentException("Training needs texts and labels of equal, non-zero length.", nameof(texts));
        var dims = options.Dims;
        if (dims <= 0 || (dims & (dims - 1)) != 0)
            throw new ArgumentException("dims must be a power of two.", nameof(options));
        var classes = labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (classes.Length < 2) throw new ArgumentException("Training needs at least two labels.", nameof(labels));
        var layout = options.Layout ?? Features.DefaultLayout;
        if (!Features.IsValidLayout(layout)) throw new ArgumentException("Not a valid feature layout.", nameof(options));

        var counted = CountAll(texts, dims, layout);
        var idf = InverseDocumentFrequency(counted, dims);
        var rows = Weigh(counted, idf, layout);

        var classIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var c = 0; c < classes.Length; c++) classIndex[classes[c]] = c;
        var target = labels.Select(l => classIndex[l]).ToArray();
        var perClass = new double[classes.Length];
        foreach (var y in target) perClass[y]++;
        var exampleWeights = target
            .Select(y => Math.Pow(texts.Count / (classes.Length * perClass[y]), options.ClassWeightPower))
            .ToArray();
        var random = new SeededRandom(options.Seed);
        var svmOptions = new LinearSvm.Options(options.C, exampleWeights, options.MaxIterations);

        var k = classes.Length;
        var svmWeights = new float[k * dims];
        var svmBias = new float[k];
        var nbWeights = new float[k * dims];
        var nbBias = new float[k];
        var scaled = new float[rows.Values.Length];
        var scaledRows = rows with { Values = scaled };
        for (var c = 0; c < k; c++)
        {
            var positive = target.Select(y => y == c).ToArray();
            var (w, b) = LinearSvm.Train(rows, positive, svmOptions, random);
            for (var j = 0; j < dims; j++) svmWeights[(c * dims) + j] = (float)w[j];
            svmBias[c] = (float)b;

            var ratio = LogCountRatio(rows, target, c, dims);
            for (var p = 0; p < scaled.Length; p++) scaled[p] = (float)((double)rows.Values[p] * ratio[rows.Indices[p]]);
            var (nw, nb) = LinearSvm.Train(scaledRows, positive, svmOptions, random);
            // w . (x * r) = (w * r) . x: NB-SVM folds into plain weights on the unscaled features.
            for (var j = 0; j < dims; j++) nbWeights[(c * dims) + j] = (float)(nw[j] * ratio[j]);
            nbBias[c] = (float)nb;
        }

        // Average the two after putting their scores on one scale (their spread on the training set).
        var svmSpread = ScoreSpread(rows, svmWeights, svmBias, k);
        var nbSpread = ScoreSpread(rows, nbWeights, nbBias, k);
        var packed = ModelTable.Pack(
            dims,
            k,
            j => idf[j],
            (j, c) => (svmWeights[(c * dims) + j] / svmSpread) + (nbWeights[(c * dims) + j] / nbSpread));
        var bias = new float[k];
        for (var c = 0; c < k; c++) bias[c] = (float)((svmBias[c] / svmSpread) + (nbBias[c] / nbSpread));
        var meta = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["trainedOn"] = texts.Count.ToString(CultureInfo.InvariantCulture),
            ["learner"] = "svm+nbsvm",
            ["C"] = options.C.ToString(CultureInfo.InvariantCulture),
            ["classWeightPower"] = options.ClassWeightPower.ToString(CultureInfo.InvariantCulture),
        };
        return new TextClassifier(classes, dims, layout, packed, bias, options.Temperature, meta);
    }

    /// <summary>
    /// A model from weights trained elsewhere on the same features (ML.NET on
    /// <see cref="FeatureRows"/>, say): weight(bucket, class) over the weighed vector, as
    /// <see cref="Train"/>'s own, so it predicts through the same table.
    /// </summary>
    public static TextClassifier FromWeights(
        IReadOnlyList<string> labels,
        int dims,
        FeatureLayout layout,
        float[] idf,
        Func<int, int, double> weight,
        IReadOnlyList<double> bias,
        IReadOnlyDictionary<string, string> meta,
        double temperature = DefaultTemperature)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(idf);
        ArgumentNullException.ThrowIfNull(bias);
        var packed = ModelTable.Pack(dims, labels.Count, j => idf[j], weight);
        return new TextClassifier([.. labels], dims, layout, packed, [.. bias.Select(b => (float)b)], temperature, meta);
    }

    /// <summary>
    /// The weighed feature vectors of the texts and the IDF they were weighed with, as training
    /// sees them: for other learners (ML.NET) to train on the same features.
    /// </summary>
    public static (SparseRows Rows, float[] Idf) Featurize(IReadOnlyList<string> texts, int dims, FeatureLayout layout)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(layout);
        var counted = CountAll(texts, dims, layout);
        var idf = InverseDocumentFrequency(counted, dims);
        return (Weigh(counted, idf, layout), idf);
    }

    public ModelPrediction Predict(string text)
    {
        var scores = new double[labels.Length];
        Probabilities(text, scores);
        return ModelPredictions.FromProbabilities(labels, scores);
    }

    /// <summary>Each label's probability, in <see cref="Labels"/> order.</summary>
    public void Probabilities(string text, Span<double> probabilities)
    {
        Scores(text, probabilities);
        Calibration.Softmax(probabilities, Temperature);
    }

    /// <summary>
    /// The decision values (before the softmax), in <see cref="Labels"/> order: what a calibration
    /// is fitted on.
    /// </summary>
    public void Scores(string text, Span<double> scores)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (scores.Length != labels.Length) throw new ArgumentException("One score per label.", nameof(scores));
        var counter = FeatureCounter.ForThisThread;
        counter.Count(text, Dims, Layout);
        table.Scores(scores, counter.Buckets.AsSpan(0, counter.Length), counter.Counts.AsSpan(0, counter.Length), bias, Layout);
    }

    // Most counts are small: a table spares a logarithm per feature (a text has hundreds), as the TS does.
    private static readonly double[] Sublinear = [.. Enumerable.Range(0, 256).Select(n => n == 0 ? 0 : 1 + Math.Log(n))];

    /// <summary>Sublinear term frequency, 1 + log(n).</summary>
    internal static double TermWeight(int n) => n < 256 ? Sublinear[n] : 1 + Math.Log(n);

    /// <summary>
    /// What each block's raw TF-IDF values are multiplied by, from the blocks' squared norms: words
    /// and characters to norm 1, skip-grams to SkipWeight, and the whole vector then to norm 1.
    /// </summary>
    internal static (double Words, double Chars, double Skips) BlockScales(ReadOnlySpan<double> squaredNorms, FeatureLayout layout)
    {
        var skipWeight = layout.SkipWindow > 0 ? layout.SkipWeight : 0;
        var total = Math.Sqrt(2 + (skipWeight * skipWeight));
        static double Scale(double squaredNorm, double weight, double total) =>
            squaredNorm > 0 ? weight / total / Math.Sqrt(squaredNorm) : 0;
        return (Scale(squaredNorms[0], 1, total), Scale(squaredNorms[1], 1, total), Scale(squaredNorms[2], skipWeight, total));
    }

    /// <summary>Every text's feature counts, as rows (the counts in Values for now).</summary>
    internal static CountedRows CountAll(IReadOnlyList<string> texts, int dims, FeatureLayout layout)
    {
        var rowStart = new int[texts.Count + 1];
        var indices = new List<int>(texts.Count * 64);
        var counts = new List<ushort>(texts.Count * 64);
        var counter = FeatureCounter.ForThisThread;
        for (var i = 0; i < texts.Count; i++)
        {
            counter.Count(texts[i], dims, layout);
            for (var p = 0; p < counter.Length; p++)
            {
                indices.Add((int)counter.Buckets[p]);
                counts.Add(counter.Counts[p]);
            }
            rowStart[i + 1] = indices.Count;
        }
        return new CountedRows(rowStart, [.. indices], [.. counts], dims);
    }

    /// <summary>Smoothed IDF, log((1 + n) / (1 + df)) + 1, from each text's features.</summary>
    internal static float[] InverseDocumentFrequency(CountedRows counted, int dims)
    {
        var df = new int[dims];
        foreach (var b in counted.Indices) df[b]++;
        var n = counted.RowStart.Length - 1;
        var idf = new float[dims];
        for (var b = 0; b < dims; b++) idf[b] = (float)(Math.Log((1.0 + n) / (1.0 + df[b])) + 1);
        return idf;
    }

    /// <summary>Sublinear TF times IDF, each block L2-normalised and weighted (<see cref="BlockScales"/>).</summary>
    internal static SparseRows Weigh(CountedRows counted, float[] idf, FeatureLayout layout)
    {
        var values = new float[counted.Indices.Length];
        Span<double> squaredNorms = stackalloc double[3];
        for (var i = 0; i < counted.RowStart.Length - 1; i++)
        {
            squaredNorms.Clear();
            var start = counted.RowStart[i];
            var end = counted.RowStart[i + 1];
            for (var p = start; p < end; p++)
            {
                var b = counted.Indices[p];
                var v = TermWeight(counted.Counts[p]) * idf[b];
                values[p] = (float)v;
                squaredNorms[Features.BlockOf((uint)b, layout)] += v * v;
            }
            var (words, chars, skips) = BlockScales(squaredNorms, layout);
            for (var p = start; p < end; p++)
            {
                var scale = Features.BlockOf((uint)counted.Indices[p], layout) switch { 0 => words, 1 => chars, _ => skips };
                values[p] = (float)(values[p] * scale);
            }
        }
        return new SparseRows(counted.RowStart, counted.Indices, values, counted.Dims);
    }

    /// <summary>
    /// log( p(feature present | class) / p(feature present | other classes) ), add-one smoothed over
    /// binary occurrence, as in NB-SVM.
    /// </summary>
    private static float[] LogCountRatio(SparseRows rows, int[] target, int c, int dims)
    {
        var inClass = new double[dims];
        var outside = new double[dims];
        Array.Fill(inClass, 1.0);
        Array.Fill(outside, 1.0);
        for (var i = 0; i < rows.Count; i++)
        {
            var counts = target[i] == c ? inClass : outside;
            for (var p = rows.RowStart[i]; p < rows.RowStart[i + 1]; p++) counts[rows.Indices[p]]++;
        }
        double inTotal = 0, outTotal = 0;
        for (var j = 0; j < dims; j++)
        {
            inTotal += inClass[j];
            outTotal += outside[j];
        }
        var ratio = new float[dims];
        for (var j = 0; j < dims; j++) ratio[j] = (float)Math.Log(inClass[j] / inTotal / (outside[j] / outTotal));
        return ratio;
    }

    /// <summary>Standard deviation of all decision values on the rows.</summary>
    private static double ScoreSpread(SparseRows rows, float[] weights, float[] bias, int k)
    {
        double sum = 0, sumSquares = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            for (var c = 0; c < k; c++)
            {
                double s = bias[c];
                var @base = c * rows.Dims;
                for (var p = rows.RowStart[i]; p < rows.RowStart[i + 1]; p++)
                    s += weights[@base + rows.Indices[p]] * (double)rows.Values[p];
                sum += s;
                sumSquares += s * s;
            }
        }
        double count = rows.Count * k;
        return Math.Sqrt(Math.Max((sumSquares / count) - Math.Pow(sum / count, 2), 1e-12));
    }
}

/// <summary>Feature counts of many texts: row i is Indices/Counts[RowStart[i] .. RowStart[i + 1]).</summary>
internal sealed record CountedRows(int[] RowStart, int[] Indices, ushort[] Counts, int Dims);
