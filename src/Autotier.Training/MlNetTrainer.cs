using System.Globalization;
using Autotier.Domain.Classification;
using Autotier.Domain.Classification.Model;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms.Text;

namespace Autotier.Training;

/// <summary>
/// ML.NET's linear multiclass trainers, on two kinds of features: the ported ones (the same
/// hashed, block-normalised TF-IDF vectors <see cref="TextClassifier"/> trains on; names ending
/// in "-ported") and ML.NET's own FeaturizeText (word 1-2-grams and character 1-4-grams, TF-IDF,
/// L2; names ending in "-text", the settings that measured best of those tried). Kept to compare
/// (docs/classifier.md has the table): none beat the hand-written trainer.
///
/// A model trained on the ported features is a weight matrix over the same buckets, so its weights
/// are taken out into the <see cref="TextClassifier"/> table and it predicts without ML.NET: a
/// PredictionEngine call costs about 35 us of overhead, more than the whole prediction of the
/// table (under 50 us), and the Functions app does not carry ML.NET. A FeaturizeText model can
/// only predict through ML.NET (<see cref="MlNetTextModel"/>); it is for measuring, not saving.
/// </summary>
public sealed class MlNetTrainer(string name, FeatureLayout layout, uint seed) : IModelTrainer
{
    public const string SdcaPorted = "mlnet-sdca-ported";
    public const string LbfgsPorted = "mlnet-lbfgs-ported";
    public const string PerceptronPorted = "mlnet-perceptron-ported";
    public const string SvmPorted = "mlnet-svm-ported";
    public const string SdcaText = "mlnet-sdca-text";
    public const string LbfgsText = "mlnet-lbfgs-text";
    public const string PerceptronText = "mlnet-perceptron-text";
    public const string SvmText = "mlnet-svm-text";

    public string Name => name;

    private bool Ported => name.EndsWith("-ported", StringComparison.Ordinal);

    // Maximum-entropy scores are log-probabilities already (temperature 1); margins of one-vs-rest
    // linear models are not, and get the hand-written model's temperature until calibrated.
    private bool MaximumEntropy => name.Contains("sdca", StringComparison.Ordinal) || name.Contains("lbfgs", StringComparison.Ordinal);

    public ICategoryModel Train(IReadOnlyList<string> texts, IReadOnlyList<string> labels, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(labels);
        var classes = labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (classes.Length < 2) throw new DataException("training needs at least two labels");
        var ml = new MLContext((int)seed);
        cancellationToken.ThrowIfCancellationRequested();
        return Ported ? TrainPorted(ml, texts, labels, classes) : TrainText(ml, texts, labels, classes);
    }

    private TextClassifier TrainPorted(MLContext ml, IReadOnlyList<string> texts, IReadOnlyList<string> labels, string[] classes)
    {
        var dims = Features.DefaultDims;
        var (rows, idf) = TextClassifier.Featurize(texts, dims, layout);
        var data = new List<VectorRow>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var start = rows.RowStart[i];
            var length = rows.RowStart[i + 1] - start;
            var indices = rows.Indices.AsSpan(start, length).ToArray();
            var values = rows.Values.AsSpan(start, length).ToArray();
            // VBuffer wants its indices in ascending order.
            Array.Sort(indices, values);
            data.Add(new VectorRow { Label = labels[i], Features = new VBuffer<float>(dims, length, values, indices) });
        }
        var schema = SchemaDefinition.Create(typeof(VectorRow));
        schema[nameof(VectorRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dims);
        // Cached, so the trainers can shuffle: the rows may come grouped by label (a stratified
        // split's are), and SDCA over them in that order stalled at 0.41 on the public corpus.
        var view = ml.Data.Cache(ml.Data.LoadFromEnumerable(data, schema));
        var (weights, bias) = MaximumEntropy
            ? ExtractWeights(Trainer(ml).Fit(LabelKeys(ml, classes).Fit(view).Transform(view)), classes.Length, dims)
            : OneVersusRest(ml, data, classes, dims);
        var meta = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["trainedOn"] = texts.Count.ToString(CultureInfo.InvariantCulture),
            ["learner"] = name,
        };
        return TextClassifier.FromWeights(
            classes, dims, layout, idf, (j, c) => weights[c][j], bias, meta,
            MaximumEntropy ? 1.0 : TextClassifier.DefaultTemperature);
    }

    private MlNetTextModel TrainText(MLContext ml, IReadOnlyList<string> texts, IReadOnlyList<string> labels, string[] classes)
    {
        var data = texts.Select((t, i) => new TextRow { Text = t, Label = labels[i] }).ToList();
        var view = ml.Data.LoadFromEnumerable(data);
        var featurize = ml.Transforms.Text.FeaturizeText("Features", new TextFeaturizingEstimator.Options
        {
            WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = 2, UseAllLengths = true, Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf },
            CharFeatureExtractor = new WordBagEstimator.Options { NgramLength = 4, UseAllLengths = false, Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf },
            Norm = TextFeaturizingEstimator.NormFunction.L2,
            CaseMode = TextNormalizingEstimator.CaseMode.Lower,
            KeepPunctuations = false,
            KeepDiacritics = false,
            KeepNumbers = true,
        }, nameof(TextRow.Text));
        var transformer = LabelKeys(ml, classes).Append(featurize).AppendCacheCheckpoint(ml).Append(Trainer(ml)).Fit(view);
        return new MlNetTextModel(ml, transformer, classes, MaximumEntropy);
    }

    /// <summary>
    /// The label as a key whose order is the model's (sorted) labels, so score i is labels[i]: the
    /// key order is given, not left to ML.NET's order of first appearance.
    /// </summary>
    private static Microsoft.ML.Transforms.ValueToKeyMappingEstimator LabelKeys(MLContext ml, string[] classes) =>
        ml.Transforms.Conversion.MapValueToKey("Label", "Label", keyData: ml.Data.LoadFromEnumerable(classes.Select(c => new KeyRow { Label = c })));

    private IEstimator<ITransformer> Trainer(MLContext ml)
    {
        var multi = ml.MulticlassClassification.Trainers;
        var binary = ml.BinaryClassification.Trainers;
        // One thread: the figures are comparable with the hand-written trainer's, which uses one,
        // and SDCA is only reproducible single-threaded. Regularisation as measured best.
        return name switch
        {
            SdcaPorted or SdcaText => multi.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
            {
                NumberOfThreads = 1,
                L2Regularization = 3e-6f,
                L1Regularization = 0,
            }),
            LbfgsPorted or LbfgsText => multi.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                NumberOfThreads = 1,
                L1Regularization = 0,
                L2Regularization = 1e-4f,
                MaximumNumberOfIterations = 200,
            }),
            PerceptronPorted or PerceptronText => multi.OneVersusAll(binary.AveragedPerceptron(numberOfIterations: 10), useProbabilities: false),
            SvmPorted or SvmText => multi.OneVersusAll(binary.LinearSvm(new LinearSvmTrainer.Options { NumberOfIterations = 30, Lambda = 1e-5f }), useProbabilities: false),
            _ => throw new DataException($"unknown trainer {name}"),
        };
    }

    /// <summary>Per class its weights over the buckets, and its bias, from the trained predictor.</summary>
    private static (float[][] Weights, double[] Bias) ExtractWeights(ITransformer transformer, int k, int dims)
    {
        var model = ((ISingleFeaturePredictionTransformer<object>)transformer).Model;
        var weights = new float[k][];
        var bias = new double[k];
        switch (model)
        {
            case MaximumEntropyModelParameters maxent:
            {
                VBuffer<float>[] perClass = [];
                maxent.GetWeights(ref perClass, out _);
                var biases = maxent.GetBiases().ToArray();
                for (var c = 0; c < k; c++)
                {
                    weights[c] = Dense(perClass[c], dims);
                    bias[c] = biases[c];
                }
                break;
            }
            default:
                throw new InvalidOperationException($"cannot take the weights out of {model.GetType().Name}");
        }
        return (weights, bias);
    }

    private static float[] Dense(VBuffer<float> vector, int dims)
    {
        var dense = new float[dims];
        vector.CopyTo(dense);
        return dense;
    }

    /// <summary>
    /// One binary linear model per class, each class against the rest, as ML.NET's OneVersusAll
    /// does (whose sub-models it does not expose to take their weights from).
    /// </summary>
    private (float[][] Weights, double[] Bias) OneVersusRest(MLContext ml, List<VectorRow> data, string[] classes, int dims)
    {
        var k = classes.Length;
        var weights = new float[k][];
        var bias = new double[k];
        var schema = SchemaDefinition.Create(typeof(BinaryRow));
        schema[nameof(BinaryRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dims);
        for (var c = 0; c < k; c++)
        {
            var label = classes[c];
            var view = ml.Data.LoadFromEnumerable(data.Select(r => new BinaryRow { Label = r.Label == label, Features = r.Features }), schema);
            var cached = ml.Data.Cache(view);
            var linear = name == PerceptronPorted
                ? ml.BinaryClassification.Trainers.AveragedPerceptron(numberOfIterations: 10).Fit(cached).Model
                : ml.BinaryClassification.Trainers.LinearSvm(new LinearSvmTrainer.Options { NumberOfIterations = 30, Lambda = 1e-5f }).Fit(cached).Model;
            weights[c] = Dense(linear.Weights, dims);
            bias[c] = linear.Bias;
        }
        return (weights, bias);
    }

    private static float[] Dense(IReadOnlyList<float> vector, int dims)
    {
        var dense = new float[dims];
        for (var j = 0; j < Math.Min(dims, vector.Count); j++) dense[j] = vector[j];
        return dense;
    }

    private sealed class KeyRow
    {
        public string Label { get; set; } = "";
    }

    private sealed class VectorRow
    {
        public string Label { get; set; } = "";

        public VBuffer<float> Features { get; set; }
    }

    private sealed class BinaryRow
    {
        public bool Label { get; set; }

        public VBuffer<float> Features { get; set; }
    }

    internal sealed class TextRow
    {
        public string Text { get; set; } = "";

        public string Label { get; set; } = "";
    }
}

/// <summary>
/// A model of ML.NET's FeaturizeText and a linear trainer, predicting through a PredictionEngine
/// (one per thread: an engine is not thread-safe). For measuring only: see <see cref="MlNetTrainer"/>.
/// </summary>
public sealed class MlNetTextModel : ICategoryModel, IDisposable
{
    private readonly ThreadLocal<PredictionEngine<MlNetTrainer.TextRow, ScoreRow>> engines;
    private readonly string[] labels;
    private readonly bool probabilities;

    internal MlNetTextModel(MLContext ml, ITransformer transformer, string[] labels, bool probabilities)
    {
        this.labels = labels;
        this.probabilities = probabilities;
        engines = new ThreadLocal<PredictionEngine<MlNetTrainer.TextRow, ScoreRow>>(
            () => ml.Model.CreatePredictionEngine<MlNetTrainer.TextRow, ScoreRow>(transformer));
    }

    public IReadOnlyList<string> Labels => labels;

    public ModelPrediction Predict(string text)
    {
        var scores = engines.Value!.Predict(new MlNetTrainer.TextRow { Text = text }).Score;
        var p = new double[labels.Length];
        for (var c = 0; c < p.Length; c++) p[c] = scores[c];
        // Maximum-entropy scores come out as probabilities; one-vs-rest margins need the softmax.
        if (!probabilities) Calibration.Softmax(p, TextClassifier.DefaultTemperature);
        return ModelPredictions.FromProbabilities(labels, p);
    }

    public void Dispose() => engines.Dispose();

    private sealed class ScoreRow
    {
        public float[] Score { get; set; } = [];
    }
}
