using Experiments.Vision.Data;
using Experiments.Vision.Inference;
using Experiments.Vision.Transforms;
using TorchSharp;
using static Experiments.Vision.Tests.Inference.InferenceFixtures;
using static TorchSharp.torch;

namespace Experiments.Vision.Tests.Inference;

public sealed class TtaTests
{
    public TtaTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void Combine_is_three_quarters_of_the_augmented_mean_plus_a_quarter_of_the_plain_pass()
    {
        using var scope = NewDisposeScope();
        float[][] augmented =
        [
            [0.6f, 0.3f, 0.1f, 0.2f, 0.2f, 0.6f],
            [0.5f, 0.4f, 0.1f, 0.1f, 0.3f, 0.6f],
            [0.7f, 0.2f, 0.1f, 0.3f, 0.3f, 0.4f],
            [0.2f, 0.2f, 0.6f, 0.2f, 0.1f, 0.7f],
        ];
        float[] plain = [0.1f, 0.8f, 0.1f, 0.9f, 0.05f, 0.05f];

        var combined = Tta.Combine([.. augmented.Select(a => tensor(a, [2, 3]))], tensor(plain, [2, 3]));

        var values = combined.data<float>().ToArray();
        double furthestFromMeanOfFive = 0;
        for (int i = 0; i < plain.Length; i++)
        {
            double mean = augmented.Average(a => (double)a[i]);
            Assert.Equal((0.75 * mean) + (0.25 * plain[i]), values[i], 6);
            double meanOfFive = (augmented.Sum(a => (double)a[i]) + plain[i]) / 5;
            furthestFromMeanOfFive = Math.Max(furthestFromMeanOfFive, Math.Abs(values[i] - meanOfFive));
        }
        Assert.True(furthestFromMeanOfFive > 0.01, "the result is the plain mean of the 5 passes");
        Assert.Equal([2L, 3L], combined.shape);
    }

    [Fact]
    public void Beta_weighs_the_plain_pass_from_none_to_all()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new[] { 0.2f, 0.8f }, [1, 2]);
        var b = tensor(new[] { 0.6f, 0.4f }, [1, 2]);
        var plain = tensor(new[] { 1f, 0f }, [1, 2]);

        AssertClose(tensor(new[] { 0.4f, 0.6f }, [1, 2]), Tta.Combine([a, b], plain, beta: 0));
        AssertClose(plain, Tta.Combine([a, b], plain, beta: 1));
        AssertClose(tensor(new[] { 0.7f, 0.3f }, [1, 2]), Tta.Combine([a, b], plain, beta: 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tta.Combine([a], plain, beta: 1.5));
        Assert.Throws<ArgumentException>(() => Tta.Combine([], plain));
        Assert.Throws<ArgumentException>(() => Tta.Combine([a, tensor(new[] { 1f }, [1, 1])], plain));
    }

    [Fact]
    public void Tta_is_n_augmented_training_mode_passes_and_one_plain_pass_combined()
    {
        // A small conv net is enough to check the wiring; the catalog models are exercised below.
        random.manual_seed(5);
        using var model = nn.Sequential(
            ("conv", nn.Conv2d(3, 4, 3, padding: 1)), ("pool", nn.AdaptiveAvgPool2d(1)), ("flatten", nn.Flatten()), ("fc", nn.Linear(4, 3)));
        var dataset = Shapes(10);
        // Random crops in training (40 → 32 px) and every augmentation: the augmented passes differ from the plain one.
        var loader = Loader(dataset, batchSize: 4);
        var options = new PredictOptions { Normalization = Normalization.ImageNet };

        using var tta = Tta.Predict(model, loader, new BatchAugmentation(AugmentationOptions.Default, seed: 9), n: 3, options: options);

        // The same passes by hand: a training-mode copy of the loader, epoch i for pass i, the same augmentation draws.
        var augmentation = new BatchAugmentation(AugmentationOptions.Default, seed: 9);
        var training = new ImageDataLoader(dataset, loader.Options with { Training = true, DropLast = false });
        var passes = Enumerable.Range(0, 3)
            .Select(epoch => Predictor.Run(model, training, epoch, augmentation, options, check: null, CancellationToken.None))
            .ToList();
        using var plain = Predictor.Predict(model, loader, options);
        using var expected = Combine(passes, plain);

        AssertClose(expected, tta.Probabilities);
        Assert.False(Same(plain.Probabilities, tta.Probabilities), "the augmented passes changed nothing");
        Assert.False(Same(passes[0].Probabilities, passes[1].Probabilities), "two augmented passes drew the same augmentations");
        Assert.Equal(Enumerable.Range(0, 10), tta.Indices);
        Assert.True(Same(plain.Targets!, tta.Targets!));
        Assert.Equal(plain.Classes, tta.Classes);
        passes.ForEach(p => p.Dispose());
    }

    [Fact]
    public void Tta_on_a_catalog_model_gives_softmax_probabilities_and_an_error_rate()
    {
        using var model = Model();
        var dataset = Shapes(12);

        using var predictions = Tta.Predict(model, Loader(dataset), new BatchAugmentation(seed: 1), n: 2,
            options: new PredictOptions { Normalization = Normalization.ImageNet });

        Assert.Equal(12, predictions.Count);
        Assert.False(predictions.IsMultiLabel);
        using var scope = NewDisposeScope();
        var probabilities = predictions.Probabilities;
        Assert.Equal([12L, 3L], probabilities.shape);
        Assert.True(probabilities.ge(0).all().item<bool>() && probabilities.le(1).all().item<bool>());
        AssertClose(ones(12), probabilities.sum(1), 1e-5);
        double errorRate = predictions.ErrorRate();
        Assert.InRange(errorRate, 0, 1);
        Assert.Equal(predictions.TargetLabels()!.Select(t => t[0]), Enumerable.Range(0, 12).Select(i => dataset.GetLabels(i)[0]));
        Assert.False(model.training);
    }

    [Fact]
    public void Tta_on_multi_label_data_gives_sigmoid_probabilities_and_one_minus_accuracy_multi()
    {
        using var model = Model(classes: 3, seed: 2);
        var dataset = Shapes(8, multiLabel: true);

        using var predictions = Tta.Predict(model, Loader(dataset), new BatchAugmentation(seed: 2), n: 2);

        Assert.True(predictions.IsMultiLabel);
        var values = predictions.ToArray();
        Assert.All(values, v => Assert.InRange(v, 0f, 1f));
        var targets = predictions.Targets!.data<float>().ToArray();
        double agree = values.Zip(targets, (p, t) => (p > 0.5) == (t != 0) ? 1.0 : 0.0).Average();
        Assert.Equal(1 - agree, predictions.ErrorRate(), 12);
    }

    [Fact]
    public void Without_batch_augmentation_the_passes_differ_by_their_random_crops_only()
    {
        using var model = Model();
        var dataset = Shapes(8);
        var squish = Loader(dataset, new Resize(32, ResizeMethod.Squish), batchSize: 4);
        // A square image cropped to a square target is the whole image: crop to 32 × 24 so the position can vary.
        var crop = Loader(dataset, new Resize(32, 24, ResizeMethod.Crop), batchSize: 4);

        using var squished = Tta.Predict(model, squish, augmentation: null, n: 2);
        using var squishedPlain = Predictor.Predict(model, squish);
        using var cropped = Tta.Predict(model, crop, augmentation: null, n: 2);
        using var croppedPlain = Predictor.Predict(model, crop);

        AssertClose(squishedPlain.Probabilities, squished.Probabilities, 1e-6);
        Assert.False(Same(croppedPlain.Probabilities, cropped.Probabilities), "random crops changed nothing");
    }

    [Fact]
    public void Tta_checks_its_arguments()
    {
        using var model = Model();
        var loader = Loader(Shapes(4));
        var augmentation = new BatchAugmentation(seed: 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => Tta.Predict(model, loader, augmentation, n: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tta.Predict(model, loader, augmentation, beta: -0.1));
    }

    /// <summary>0.75 · mean(augmented) + 0.25 · plain, written out.</summary>
    private static Tensor Combine(IReadOnlyList<Predictions> passes, Predictions plain)
    {
        using var scope = NewDisposeScope();
        var sum = zeros_like(plain.Probabilities, dtype: ScalarType.Float64);
        foreach (var pass in passes)
        {
            sum += pass.Probabilities.to_type(ScalarType.Float64);
        }
        var expected = (0.75 * sum / passes.Count) + (0.25 * plain.Probabilities.to_type(ScalarType.Float64));
        return expected.to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }
}
