using Experiments.Vision.Data;
using Experiments.Vision.Inference;
using Experiments.Vision.Models;
using Experiments.Vision.Tests.Models;
using Experiments.Vision.Transforms;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Vision.Tests.Inference;

/// <summary>Small data and models for the inference tests: 32 px catalog models with random weights, procedural shapes.</summary>
internal static class InferenceFixtures
{
    /// <summary>The smallest catalog model to run at 32 px (RegNetY-200MF).</summary>
    public const string SmallModel = ModelCatalog.RegNetY002;

    /// <summary>Procedural shapes at 40 px, so that the 32 px resize really crops.</summary>
    public static ShapesDataset Shapes(int count = 12, bool multiLabel = false, int seed = 3) => new(count, imageSize: 40, seed: seed, multiLabel: multiLabel);

    public static Resize Resize32 { get; } = new(32, ResizeMethod.Crop);

    /// <summary>A validation loader (dataset order, centre crops), two decoding threads.</summary>
    public static ImageDataLoader Loader(IImageDataset dataset, IItemTransform? transform = null, int batchSize = 8) =>
        new(dataset, new DataLoaderOptions { BatchSize = batchSize, ItemTransform = transform ?? Resize32, Seed = 11, DecodeThreads = 2 });

    /// <summary>
    /// A catalog model with random weights whose BatchNorm statistics have moved away from their initial values (one
    /// training-mode forward), in eval mode.
    /// </summary>
    public static VisionModel Model(string name = SmallModel, int classes = 3, int seed = 1, ModelOptions? options = null)
    {
        TorchRuntime.EnsureLoaded();
        random.manual_seed(seed);
        var model = ModelCatalog.Create(name, classes, 3, options);
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            model.train();
            model.call(rand(4, 3, 32, 32));
        }
        model.eval();
        return model;
    }

    public static ExportMetadata Metadata(IImageDataset dataset, Normalization? normalization = null) =>
        ExportMetadata.For(dataset, Resize32, normalization ?? Normalization.ImageNet) with
        {
            Metrics = new Dictionary<string, double> { ["error_rate"] = 0.25, ["valid_loss"] = double.NaN },
            Properties = new Dictionary<string, string> { ["dataset"] = "shapes" },
        };

    public static bool Same(Tensor a, Tensor b) => ModelFixtures.Same(a, b);

    public static void AssertClose(Tensor expected, Tensor actual, double tolerance = 1e-6)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var scope = NewDisposeScope();
        double difference = (expected.to_type(ScalarType.Float64) - actual.to_type(ScalarType.Float64)).abs().max().item<double>();
        Assert.True(difference <= tolerance, $"largest difference {difference} > {tolerance}");
    }
}
