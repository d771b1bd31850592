using Experiments.Vision.Data;
using Experiments.Vision.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Experiments.Vision.Tests.Training;

/// <summary>Small models and loaders for the training tests.</summary>
internal static class TrainingFixtures
{
    /// <summary>A VisionModel with a tiny body (conv → BN → ReLU → conv with bias → ReLU) and the fastai head: fast enough for schedule tests.</summary>
    public static VisionModel TinyVisionModel(int classes, int inChannels = 3, int width = 8)
    {
        TorchRuntime.EnsureLoaded();
        var body = new TinyBody(inChannels, width);
        return new VisionModel("tiny", body, VisionHead.Create(body.NumFeatures, classes, pool: true));
    }

    /// <summary>Shapes (single- or multi-label) split into training and validation loaders.</summary>
    public static (ImageDataLoader Train, ImageDataLoader Valid) ShapesLoaders(
        int count, int imageSize, int batchSize, int seed = 1, bool multiLabel = false, int validCount = 0, int? validBatchSize = null)
    {
        var train = new ShapesDataset(count, imageSize, seed, multiLabel);
        var valid = new ShapesDataset(validCount > 0 ? validCount : Math.Max(batchSize, count / 4), imageSize, seed, multiLabel, DatasetPart.Test);
        return (
            new ImageDataLoader(train, new DataLoaderOptions { BatchSize = batchSize, Training = true, Seed = seed, DecodeThreads = 1 }),
            new ImageDataLoader(valid, new DataLoaderOptions { BatchSize = validBatchSize ?? batchSize, Seed = seed, DecodeThreads = 1 }));
    }

    /// <summary>Copies of every parameter and buffer, by state-dict name.</summary>
    public static Dictionary<string, Tensor> Snapshot(Module module) =>
        module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone(), StringComparer.Ordinal);

    public static void Dispose(Dictionary<string, Tensor> snapshot)
    {
        foreach (var tensor in snapshot.Values)
        {
            tensor.Dispose();
        }
    }

    public static bool Same(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
    }

    public static double MaxAbsDifference(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return (a.to_type(ScalarType.Float64) - b.to_type(ScalarType.Float64)).abs().max().item<double>();
    }

    private sealed class TinyBody : ImageModel
    {
        // TorchSharp names components after their fields (the state-dict keys): PyTorch names, not _camelCase.
#pragma warning disable IDE1006
        private readonly Conv2d conv1;
        private readonly BatchNorm2d bn1;
        private readonly Conv2d conv2;
        private readonly int width;
#pragma warning restore IDE1006

        public TinyBody(int inChannels, int width) : base(nameof(TinyBody), 0, inChannels)
        {
            this.width = width;
            conv1 = Conv2d(inChannels, width, 3, padding: 1, bias: false);
            bn1 = BatchNorm2d(width);
            conv2 = Conv2d(width, 2 * width, 3, stride: 2, padding: 1, bias: true);
            RegisterComponents();
        }

        public override int NumFeatures => 2 * width;

        public override IReadOnlyList<string> ClassifierKeyPrefixes => [];

        public override Tensor ForwardBody(Tensor input)
        {
            using var scope = NewDisposeScope();
            var x = functional.relu(bn1.call(conv1.call(input)));
            return functional.relu(conv2.call(x)).MoveToOuterDisposeScope();
        }

        protected override Tensor ForwardHead(Tensor features) =>
            throw new NotSupportedException("The tiny body has no classifier of its own.");
    }
}
