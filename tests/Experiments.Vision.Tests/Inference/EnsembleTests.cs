using Experiments.Vision.Data;
using Experiments.Vision.Inference;
using Experiments.Vision.Models;
using Experiments.Vision.Tests.Support;
using Experiments.Vision.Transforms;
using TorchSharp;
using static Experiments.Vision.Tests.Inference.InferenceFixtures;
using static TorchSharp.torch;

namespace Experiments.Vision.Tests.Inference;

public sealed class EnsembleTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly ShapesDataset _dataset = Shapes(10);
    private readonly List<string> _paths = [];

    public EnsembleTests()
    {
        // Two models that differ in weights and in how they read images (crop 32 vs squish 32, other normalisation).
        using var first = Model(seed: 1, options: new ModelOptions { HiddenSize = 32 });
        using var second = Model(ModelCatalog.ConvNeXtAtto, seed: 2, options: new ModelOptions { HiddenSize = 32 });
        _paths.Add(ModelExport.Save(first, _temp.Path, "a", Metadata(_dataset)).MetadataPath);
        _paths.Add(ModelExport.Save(second, _temp.Path, "b", Metadata(_dataset, new Normalization([0.5], [0.25])) with { ResizeMethod = ResizeMethod.Squish }).MetadataPath);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void An_ensemble_of_two_models_predicts_the_mean_of_their_probabilities()
    {
        using var ensemble = Ensemble.Load(_paths);
        using var one = ensemble.Models[0].Predict(_dataset);
        using var two = ensemble.Models[1].Predict(_dataset);

        using var predictions = ensemble.Predict(_dataset);

        using var scope = NewDisposeScope();
        AssertClose((one.Probabilities + two.Probabilities) / 2, predictions.Probabilities, 1e-7);
        Assert.False(Same(one.Probabilities, two.Probabilities));
        Assert.True(Same(one.Targets!, predictions.Targets!));
        Assert.Equal(ClassificationMetrics.ErrorRate(predictions.Probabilities, one.Targets!), predictions.ErrorRate());
        Assert.Equal(Enumerable.Range(0, 10), predictions.Indices);
    }

    [Fact]
    public void An_ensemble_with_tta_averages_each_models_tta_probabilities()
    {
        using var ensemble = Ensemble.Load(_paths);
        var options = AugmentationOptions.Default;

        using var predictions = ensemble.PredictTta(_dataset, options, n: 2, seed: 4);

        using var one = ensemble.Models[0].PredictTta(_dataset, new BatchAugmentation(options, 4), n: 2);
        using var two = ensemble.Models[1].PredictTta(_dataset, new BatchAugmentation(options, 4), n: 2);
        using var plain = ensemble.Predict(_dataset);
        using var scope = NewDisposeScope();
        AssertClose((one.Probabilities + two.Probabilities) / 2, predictions.Probabilities, 1e-7);
        Assert.False(Same(plain.Probabilities, predictions.Probabilities));
        Assert.InRange(predictions.ErrorRate(), 0, 1);
    }

    [Fact]
    public void Models_with_other_classes_do_not_make_an_ensemble()
    {
        using var model = Model(seed: 3, options: new ModelOptions { HiddenSize = 32 });
        var other = ModelExport.Save(model, _temp.Path, "other", Metadata(_dataset) with { Classes = ["circle", "triangle", "square"] });

        var error = Assert.Throws<ArgumentException>(() => Ensemble.Load([_paths[0], other.MetadataPath]));

        Assert.Contains("same classes in the same order", error.Message);
    }

    [Fact]
    public void Average_refuses_predictions_of_different_items()
    {
        using var scope = NewDisposeScope();
        using var a = new Predictions(full(2, 3, 1f / 3), null, [0, 1], ["x", "y", "z"], false);
        using var b = new Predictions(full(2, 3, 1f / 3), null, [0, 2], ["x", "y", "z"], false);
        Assert.Throws<ArgumentException>(() => Ensemble.Average([a, b]));
    }

    [Fact]
    public void Ensemble_predictions_are_written_as_csv()
    {
        using var ensemble = Ensemble.Load(_paths);
        using var predictions = ensemble.Predict(_dataset);
        string path = _temp.Combine("out", "predictions.csv");

        PredictionsCsv.Write(path, predictions, _dataset);

        var rows = CsvText.Parse(File.ReadAllText(path));
        Assert.Equal(["index", "item", "predicted", "target", "prob_circle", "prob_square", "prob_triangle"], rows[0]);
        Assert.Equal(11, rows.Count);
        var labels = predictions.PredictedLabels();
        for (int n = 0; n < 10; n++)
        {
            var fields = rows[n + 1];
            Assert.Equal(n.ToString(), fields[0]);
            Assert.Equal(_dataset.Describe(n), fields[1]);
            Assert.Equal(ShapesDataset.ShapeNames[labels[n][0]], fields[2]);
            Assert.Equal(ShapesDataset.ShapeNames[_dataset.GetLabels(n)[0]], fields[3]);
            Assert.Equal(predictions.GetProbabilities(n), fields[4..].Select(f => float.Parse(f, System.Globalization.CultureInfo.InvariantCulture)));
        }
    }
}
