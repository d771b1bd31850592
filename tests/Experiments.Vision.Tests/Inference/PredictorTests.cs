using Experiments.Vision.Data;
using Experiments.Vision.Inference;
using Experiments.Vision.Transforms;
using TorchSharp;
using static Experiments.Vision.Tests.Inference.InferenceFixtures;
using static TorchSharp.torch;

namespace Experiments.Vision.Tests.Inference;

public sealed class PredictorTests
{
    public PredictorTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void Single_label_error_rate_is_the_share_of_wrong_argmaxes()
    {
        using var scope = NewDisposeScope();
        var probabilities = tensor(new[] { 0.7f, 0.2f, 0.1f, 0.1f, 0.3f, 0.6f, 0.2f, 0.5f, 0.3f, 0.4f, 0.4f, 0.2f }, [4, 3]);
        var targets = tensor(new long[] { 0, 2, 0, 1 });

        // argmax 0, 2, 1, 0 (the first of a tie): two right, two wrong.
        Assert.Equal(0.5, ClassificationMetrics.ErrorRate(probabilities, targets), 12);
        using var predictions = new Predictions(probabilities.clone(), targets.clone(), [0, 1, 2, 3], ["a", "b", "c"], isMultiLabel: false);
        Assert.Equal(0.5, predictions.ErrorRate(), 12);
        Assert.Equal([[0], [2], [1], [0]], predictions.PredictedLabels());
    }

    [Fact]
    public void Multi_label_error_rate_is_one_minus_thresholded_accuracy_over_every_element()
    {
        using var scope = NewDisposeScope();
        var probabilities = tensor(new[] { 0.9f, 0.5f, 0.2f, 0.6f, 0.4f, 0.51f }, [2, 3]);
        var targets = tensor(new[] { 1f, 1f, 0f, 0f, 0f, 1f }, [2, 3]);

        // Predicted (p > 0.5): 1 0 0 / 1 0 1 against 1 1 0 / 0 0 1: four of six elements agree (0.5 is not above 0.5).
        Assert.Equal(4.0 / 6, ClassificationMetrics.AccuracyMulti(probabilities, targets), 12);
        using var predictions = new Predictions(probabilities.clone(), targets.clone(), [3, 7], ["a", "b", "c"], isMultiLabel: true);
        Assert.Equal(1 - (4.0 / 6), predictions.ErrorRate(), 12);
        Assert.Equal([[0], [0, 2]], predictions.PredictedLabels());
        Assert.Equal([[0, 1], [2]], predictions.TargetLabels());
        Assert.Equal(1 - (5.0 / 6), ClassificationMetrics.MultiLabelErrorRate(probabilities, targets, threshold: 0.45), 12);
    }

    [Fact]
    public void Predict_gives_softmax_rows_in_dataset_order_and_restores_the_training_mode()
    {
        using var model = Model();
        model.train();
        var dataset = Shapes(10);

        using var predictions = Predictor.Predict(model, Loader(dataset, batchSize: 4), new PredictOptions { Normalization = Normalization.ImageNet });

        Assert.True(model.training);
        Assert.Equal(Enumerable.Range(0, 10), predictions.Indices);
        Assert.Equal(ShapesDataset.ShapeNames, predictions.Classes);
        using var scope = NewDisposeScope();
        AssertClose(ones(10), predictions.Probabilities.sum(1), 1e-5);

        // The same logits by hand, in eval mode: normalised centre crops, softmax.
        model.eval();
        var images = stack(Enumerable.Range(0, 10).Select(i => ImageTensor(Resize32.Apply(dataset.Get(i).Image, new Random(0), training: false))).ToArray());
        using (no_grad())
        {
            AssertClose(model.call(Normalization.ImageNet.Normalize(images)).softmax(1), predictions.Probabilities, 1e-5);
        }
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)dataset.GetLabels(i)[0]), predictions.Targets!.data<long>().ToArray());
    }

    [Fact]
    public void A_shuffled_loader_gives_the_same_rows_put_back_in_dataset_order()
    {
        using var model = Model();
        var dataset = Shapes(10);
        var squish = new Resize(32, ResizeMethod.Squish);
        using var ordered = Predictor.Predict(model, Loader(dataset, squish, batchSize: 5));
        var shuffled = new ImageDataLoader(dataset, Loader(dataset, squish, batchSize: 5).Options with { Training = true, DropLast = false });
        Assert.NotEqual(Enumerable.Range(0, 10), shuffled.EpochOrder(0));

        using var predictions = Predictor.Predict(model, shuffled);

        Assert.Equal(Enumerable.Range(0, 10), predictions.Indices);
        AssertClose(ordered.Probabilities, predictions.Probabilities, 1e-6);
        Assert.True(Same(ordered.Targets!, predictions.Targets!));
    }

    [Fact]
    public void Unlabelled_items_give_predictions_without_targets()
    {
        using var model = Model();
        var images = Enumerable.Range(0, 3).Select(i => Shapes(3).Get(i).Image).ToList();
        var dataset = new ImageListDataset(images, ShapesDataset.ShapeNames, multiLabel: false);

        using var predictions = Predictor.Predict(model, Loader(dataset));

        Assert.Equal(3, predictions.Count);
        Assert.Null(predictions.Targets);
        Assert.Null(predictions.TargetLabels());
        Assert.Throws<InvalidOperationException>(() => predictions.ErrorRate());
    }

    [Fact]
    public void An_empty_dataset_gives_empty_predictions()
    {
        using var model = Model();
        using var predictions = Predictor.Predict(model, Loader(Shapes(0)));
        Assert.Equal(0, predictions.Count);
        Assert.Equal([0L, 3L], predictions.Probabilities.shape);
        Assert.True(double.IsNaN(predictions.ErrorRate()));
    }

    private static Tensor ImageTensor(ImageData image)
    {
        var chw = new float[image.Pixels.Length];
        int plane = image.Width * image.Height;
        for (int p = 0; p < plane; p++)
        {
            for (int c = 0; c < image.Channels; c++)
            {
                chw[(c * plane) + p] = image.Pixels[(p * image.Channels) + c] / 255f;
            }
        }
        return tensor(chw, [image.Channels, image.Height, image.Width]);
    }
}
