using Experiments.Vision.Data;
using Experiments.Vision.Inference;
using Experiments.Vision.Tests.Data;
using Experiments.Vision.Tests.Training;
using Experiments.Vision.Training;
using Experiments.Vision.Transforms;
using static TorchSharp.torch;

namespace Experiments.Vision.Tests.Transforms;

/// <summary>
/// A grey batch for a 3-channel model is made 3 channels at normalisation, after the augmentation: the same numbers as
/// the grey images converted to RGB when decoded, for a batch, a whole fit and predictions.
/// </summary>
[Collection(SerialTorchCollection.Name)]
public sealed class ModelInputTests
{
    public ModelInputTests() => TorchRuntime.EnsureLoaded();

    private static ImageDataLoader Loader(int channels, DatasetPart part, int count, bool training) =>
        new(new SubsetDataset(FashionMnistDataset.OpenSample(part, channels), Enumerable.Range(0, count)),
            new DataLoaderOptions { BatchSize = 16, Training = training, Seed = 4, DecodeThreads = 1 });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_grey_batch_gives_the_tensor_of_its_RGB_copy(bool channelsLast)
    {
        using var scope = NewDisposeScope();
        using var grey = Loader(1, DatasetPart.Train, 16, training: true).Batches().Single();
        using var rgb = Loader(3, DatasetPart.Train, 16, training: true).Batches().Single();
        Assert.Equal((1, 3), (grey.Channels, rgb.Channels));

        var fromGrey = ModelInput.Prepare(grey, CPU, new BatchAugmentation(AugmentationOptions.Default, seed: 9), Normalization.ImageNet, 3, channelsLast);
        var fromRgb = ModelInput.Prepare(rgb, CPU, new BatchAugmentation(AugmentationOptions.Default, seed: 9), Normalization.ImageNet, 3, channelsLast);

        Assert.Equal([16L, 3, 28, 28], fromGrey.shape);
        Assert.True(TrainingFixtures.Same(fromRgb, fromGrey));
        Assert.Equal(channelsLast, !fromGrey.is_contiguous());
        // Normalised per channel: the three channels differ although the image is grey.
        Assert.False(TrainingFixtures.Same(fromGrey[.., 0], fromGrey[.., 1]));
    }

    [Fact]
    public void Without_normalisation_a_grey_batch_is_repeated_to_the_model_channels()
    {
        using var scope = NewDisposeScope();
        using var grey = Loader(1, DatasetPart.Test, 16, training: false).Batches().Single();

        var input = ModelInput.Prepare(grey, CPU, augmentation: null, normalization: null, channels: 3, channelsLast: false);
        var plain = grey.ImagesToTensor();

        Assert.Equal([16L, 3, 28, 28], input.shape);
        Assert.True(TrainingFixtures.Same(plain.expand(-1, 3, -1, -1), input));
        // A grey model keeps grey batches.
        Assert.Equal(1, ModelInput.Prepare(grey, CPU, null, null, channels: 1, channelsLast: false).shape[1]);
    }

    [Fact]
    public void Statistics_for_other_channels_than_the_model_takes_are_an_error_naming_both()
    {
        using var grey = Loader(1, DatasetPart.Test, 16, training: false).Batches().Single();

        var error = Assert.Throws<ArgumentException>(() => ModelInput.Prepare(grey, CPU, null, Normalization.ImageNet, channels: 1, channelsLast: false));

        Assert.Contains("3 channels", error.Message, StringComparison.Ordinal);
        Assert.Contains("takes 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fit_and_predictions_on_grey_data_equal_those_on_its_RGB_copy()
    {
        random.manual_seed(31);
        using var greyModel = TrainingFixtures.TinyVisionModel(10, inChannels: 3);
        using var rgbModel = TrainingFixtures.TinyVisionModel(10, inChannels: 3);
        rgbModel.load_state_dict(greyModel.state_dict());
        // Bit-identical fits need one thread count: the automatic one follows the machine's load.
        LearnerOptions Options() => new()
        {
            Seed = 5,
            Augmentation = new BatchAugmentation(AugmentationOptions.Default, seed: 2),
            Normalization = Normalization.ImageNet,
            Threads = 1,
        };

        using var onGrey = new Learner(greyModel, Loader(1, DatasetPart.Train, 64, training: true), Loader(1, DatasetPart.Test, 32, training: false), Options());
        using var onRgb = new Learner(rgbModel, Loader(3, DatasetPart.Train, 64, training: true), Loader(3, DatasetPart.Test, 32, training: false), Options());
        var grey = onGrey.FitOneCycle(2, 1e-2);
        var rgb = onRgb.FitOneCycle(2, 1e-2);

        Assert.Equal(rgb.Epochs.Select(e => (e.TrainLoss, e.ValidLoss, e.ErrorRate)), grey.Epochs.Select(e => (e.TrainLoss, e.ValidLoss, e.ErrorRate)));
        var greyWeights = TrainingFixtures.Snapshot(greyModel);
        var rgbWeights = TrainingFixtures.Snapshot(rgbModel);
        Assert.All(rgbWeights, kv => Assert.True(TrainingFixtures.Same(kv.Value, greyWeights[kv.Key]), kv.Key));

        var options = new PredictOptions { Normalization = Normalization.ImageNet };
        using var greyPredictions = Predictor.Predict(greyModel, Loader(1, DatasetPart.Test, 32, training: false), options);
        using var rgbPredictions = Predictor.Predict(rgbModel, Loader(3, DatasetPart.Test, 32, training: false), options);
        Assert.True(TrainingFixtures.Same(rgbPredictions.Probabilities, greyPredictions.Probabilities));
        TrainingFixtures.Dispose(greyWeights);
        TrainingFixtures.Dispose(rgbWeights);
    }
}
