using Experiments.Vision.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Vision.Tests.Training;

/// <summary>
/// fastai's GradientAccumulation: k batches of B with <c>n_acc = k·B</c> give the gradient and the update of one batch
/// of k·B — for a model without BatchNorm. With BatchNorm they differ (each micro-batch is normalised by its own
/// statistics), which the second test shows.
/// </summary>
[Collection(SerialTorchCollection.Name)]
public sealed class GradientAccumulationTests
{
    private const int MicroBatch = 4;
    private const int Accumulation = 4;
    private const int Items = MicroBatch * Accumulation;

    [Fact]
    public void Four_accumulated_batches_of_4_give_the_step_of_one_batch_of_16_without_batch_norm()
    {
        var (bigGradients, bigWeights, bigResult) = OneEpoch(batchSize: Items, accumulation: null, NoBatchNorm);
        var (smallGradients, smallWeights, smallResult) = OneEpoch(batchSize: MicroBatch, accumulation: Items, NoBatchNorm);
        try
        {
            Assert.Equal(1, bigResult.OptimizerSteps);
            Assert.Equal(1, smallResult.OptimizerSteps);
            Assert.Equal(bigResult.TrainImages, smallResult.TrainImages);
            foreach (var (name, gradient) in bigGradients)
            {
                double scale = gradient.abs().max().item<float>();
                Assert.True(scale > 0, $"no gradient for {name}");
                double difference = TrainingFixtures.MaxAbsDifference(gradient, smallGradients[name]);
                Assert.True(difference <= 1e-5 * scale, $"gradient of {name} differs by {difference} (scale {scale})");
            }
            foreach (var (name, weight) in bigWeights)
            {
                double difference = TrainingFixtures.MaxAbsDifference(weight, smallWeights[name]);
                Assert.True(difference <= 1e-6, $"{name} differs by {difference} after the step");
            }
        }
        finally
        {
            TrainingFixtures.Dispose(bigGradients);
            TrainingFixtures.Dispose(smallGradients);
            TrainingFixtures.Dispose(bigWeights);
            TrainingFixtures.Dispose(smallWeights);
        }

        // Without accumulation the small batches step every batch.
        var (g, w, plain) = OneEpoch(batchSize: MicroBatch, accumulation: null, NoBatchNorm);
        TrainingFixtures.Dispose(g);
        TrainingFixtures.Dispose(w);
        Assert.Equal(Accumulation, plain.OptimizerSteps);
    }

    [Fact]
    public void With_batch_norm_the_accumulated_gradient_differs_from_the_big_batch()
    {
        var (bigGradients, bigWeights, _) = OneEpoch(batchSize: Items, accumulation: null, () => TrainingFixtures.TinyVisionModel(3));
        var (smallGradients, smallWeights, _) = OneEpoch(batchSize: MicroBatch, accumulation: Items, () => TrainingFixtures.TinyVisionModel(3));
        try
        {
            double difference = TrainingFixtures.MaxAbsDifference(bigGradients["body.conv1.weight"], smallGradients["body.conv1.weight"]);
            double scale = bigGradients["body.conv1.weight"].abs().max().item<float>();
            Assert.True(difference > 1e-3 * scale, $"BatchNorm made no difference ({difference} of {scale})");
        }
        finally
        {
            TrainingFixtures.Dispose(bigGradients);
            TrainingFixtures.Dispose(smallGradients);
            TrainingFixtures.Dispose(bigWeights);
            TrainingFixtures.Dispose(smallWeights);
        }
    }

    /// <summary>One epoch of a fresh, identically initialised model at a constant learning rate; the gradients at the (last) step and the weights after it.</summary>
    private static (Dictionary<string, Tensor> Gradients, Dictionary<string, Tensor> Weights, FitResult Result) OneEpoch(
        int batchSize, int? accumulation, Func<nn.Module<Tensor, Tensor>> create)
    {
        TorchRuntime.EnsureLoaded();
        random.manual_seed(11);
        using var model = create();
        var (train, valid) = TrainingFixtures.ShapesLoaders(Items, 8, batchSize, seed: 2, validCount: 4);
        var capture = new GradientCapture(model);
        using var learner = new Learner(model, train, valid, new LearnerOptions { AccumulationSamples = accumulation, Callbacks = [capture] });
        var result = learner.Fit(1, 1e-2);
        var weights = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone(), StringComparer.Ordinal);
        return (capture.Gradients, weights, result);
    }

    private static nn.Module<Tensor, Tensor> NoBatchNorm() => nn.Sequential(
        ("conv", nn.Conv2d(3, 4, 3, padding: 1)),
        ("relu", nn.ReLU()),
        ("pool", nn.AdaptiveAvgPool2d(2)),
        ("flatten", nn.Flatten()),
        ("fc", nn.Linear(16, 3)));

    private sealed class GradientCapture(nn.Module model) : LearnerCallback
    {
        public Dictionary<string, Tensor> Gradients { get; private set; } = new(StringComparer.Ordinal);

        public override void BeforeStep(Learner learner)
        {
            TrainingFixtures.Dispose(Gradients);
            Gradients = model.named_parameters()
                .Where(p => p.parameter.grad is not null)
                // Copies that outlive the learner's per-batch dispose scope.
                .ToDictionary(p => p.name, p => p.parameter.grad!.detach().clone().DetachFromDisposeScope(), StringComparer.Ordinal);
        }
    }
}
