using System.Diagnostics;
using Experiments.Vision.Data;
using Experiments.Vision.Models;
using Experiments.Vision.Training;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Experiments.Vision.Tests.Training;

/// <summary>
/// One-off measurements, not checks: training throughput (images/s) of a small model at 32 px through the
/// <see cref="Learner"/> (loader, tensors, schedule, AdamW) next to a bare TorchSharp loop over pre-made tensors for the
/// same model and batch size — the ratio is what the pipeline costs. Runs only when asked:
/// <c>EXPERIMENTS_MEASURE_TRAINING=1 dotnet test tests/Experiments.Vision.Tests --filter FullyQualifiedName~TrainingThroughput --logger "console;verbosity=detailed"</c>
/// </summary>
public sealed class TrainingThroughput(ITestOutputHelper output)
{
    private const string Switch = "EXPERIMENTS_MEASURE_TRAINING";

    [MeasurementTheory]
    [InlineData("regnety_002", 64, 2)]
    [InlineData("convnext_atto", 64, 2)]
    [InlineData("resnet18", 64, 2)]
    public void Learner_against_a_bare_loop_at_32_px(string name, int batchSize, int epochs)
    {
        TorchRuntime.EnsureLoaded();
        const int count = 1024;
        var dataset = new ShapesDataset(count, 32, seed: 3);
        var validSet = new ShapesDataset(256, 32, seed: 3, part: DatasetPart.Test);
        output.WriteLine($"torch threads {get_num_threads()}, {Environment.ProcessorCount} cores");

        // Bare loop: the same images decoded once into one tensor, sliced per batch; forward, loss, backward, AdamW step.
        // Measured before and after the learner runs, so that warm-up and machine load show in the spread.
        double Bare()
        {
            random.manual_seed(1);
            using var model = ModelCatalog.Create(name, 3);
            model.train();
            using var images = new ImageDataLoader(dataset, new DataLoaderOptions { BatchSize = count }).Batches().First().ImagesToTensor();
            using var targets = tensor(Enumerable.Range(0, count).Select(i => (long)dataset.GetLabels(i)[0]).ToArray());
            using var optimizer = optim.AdamW(model.parameters(), lr: 1e-3, beta1: 0.9, beta2: 0.99, eps: 1e-5, weight_decay: 0.01);
            int batches = count / batchSize;
            void Epoch()
            {
                for (int b = 0; b < batches; b++)
                {
                    using var scope = NewDisposeScope();
                    var x = images.narrow(0, b * batchSize, batchSize);
                    var y = targets.narrow(0, b * batchSize, batchSize);
                    var loss = nn.functional.cross_entropy(model.call(x), y);
                    loss.backward();
                    optimizer.step();
                    optimizer.zero_grad();
                    _ = loss.item<float>();
                }
            }
            Epoch(); // warm-up
            var clock = Stopwatch.StartNew();
            for (int e = 0; e < epochs; e++)
            {
                Epoch();
            }
            return epochs * batches * batchSize / clock.Elapsed.TotalSeconds;
        }
        double bareBefore = Bare();

        // The learner: loader (decode + collate on other threads), bytes → float tensors, one-cycle schedule, AdamW with groups.
        // Once with the procedural images painted on the fly (as a trial would), once from images decoded beforehand.
        var cached = new CachedDataset(dataset);
        var results = new List<(string, FitResult)>();
        foreach (var (label, source) in new (string, IImageDataset)[] { ("painted on the fly", dataset), ("pre-decoded in memory", cached) })
        {
            random.manual_seed(1);
            using var model = ModelCatalog.Create(name, 3);
            var train = new ImageDataLoader(source, new DataLoaderOptions { BatchSize = batchSize, Training = true, Seed = 1 });
            var valid = new ImageDataLoader(validSet, new DataLoaderOptions { BatchSize = batchSize, Seed = 1 });
            using var learner = new Learner(model, train, valid);
            learner.Fit(1, 1e-3); // warm-up
            results.Add((label, learner.FitOneCycle(epochs, 1e-3)));
        }
        double bareAfter = Bare();
        double bare = (bareBefore + bareAfter) / 2;
        output.WriteLine($"{name}, batch {batchSize}, 32 px, {epochs} epoch(s) of {count}:");
        output.WriteLine($"  bare TorchSharp loop over pre-made tensors: {bareBefore:0} images/s before, {bareAfter:0} after the learner runs (mean {bare:0})");
        foreach (var (label, result) in results)
        {
            output.WriteLine($"  Learner, images {label}: {result.TrainImagesPerSecond:0} images/s in training batches (ratio {result.TrainImagesPerSecond / bare:0.00}); "
                + $"{result.TrainImages / result.FitTimeSeconds:0} training images/s of fit time incl. validation of 256");
            output.WriteLine($"    {result}");
        }
    }

    /// <summary>A dataset's items decoded once and kept in memory.</summary>
    private sealed class CachedDataset(IImageDataset source) : IImageDataset
    {
        private readonly ImageSample[] _items = Enumerable.Range(0, source.Count).AsParallel().AsOrdered().Select(source.Get).ToArray();

        public int Count => _items.Length;

        public IReadOnlyList<string> Classes => source.Classes;

        public bool IsMultiLabel => source.IsMultiLabel;

        public int Channels => source.Channels;

        public ImageSample Get(int index) => _items[index];

        public int[] GetLabels(int index) => _items[index].Labels;

        public string Describe(int index) => source.Describe(index);
    }

    /// <summary>
    /// Evidence for the training tests' choice of data: <see cref="ShapesDataset"/> is not learned from scratch in a
    /// couple of CPU epochs. Measured (this machine, 2 cores): resnet18 32 px, 2,000 images, 2 epochs, lr 1e-2 → 66 % error;
    /// 6,000 images × 2 epochs → 60–65 %; 10 epochs at a constant 1e-3 → 58 % with the training loss at 0.82 (memorising);
    /// regnety_002 3 epochs → 62 %; resnet18 at 64 px, 3 epochs of 1,000 → 68 %; convnext_atto → 69 %. Chance is 67 %.
    /// </summary>
    [MeasurementTheory]
    [InlineData("resnet18", 32, 2000, 2, 1e-2)]
    [InlineData("regnety_002", 32, 2000, 3, 1e-2)]
    public void Shapes_from_scratch(string name, int size, int count, int epochs, double lr)
    {
        TorchRuntime.EnsureLoaded();
        random.manual_seed(1);
        using var model = ModelCatalog.Create(name, 3);
        var (train, valid) = TrainingFixtures.ShapesLoaders(count, size, 32, seed: 1, validCount: 300);
        using var learner = new Learner(model, train, valid, new LearnerOptions { Seed = 1 });
        var result = learner.FineTune(epochs, lr);
        foreach (var e in result.Epochs)
        {
            output.WriteLine($"  {e}");
        }
        output.WriteLine($"{name} {size}px n={count} {epochs} ep lr {lr}: {result}");
    }

    private sealed class MeasurementTheoryAttribute : TheoryAttribute
    {
        public MeasurementTheoryAttribute()
        {
            if (Environment.GetEnvironmentVariable(Switch) != "1")
            {
                Skip = $"a measurement, not a check: set {Switch}=1 to run it";
            }
        }
    }
}
