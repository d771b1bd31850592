using System.Diagnostics;
using Experiments.Benchmarks.Reporting;
using Experiments.Vision.Data;
using Experiments.Vision.Models;
using Experiments.Vision.Training;
using Experiments.Vision.Transforms;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Benchmarks.Sections;

/// <summary>
/// Issue 6 item 2: memory stays flat over a long fit. One <see cref="Learner"/> trains <see cref="BenchmarkOptions.MemoryEpochs"/>
/// epochs through the full pipeline; after every epoch the process's resident set, its peak since the fit began, the
/// live TorchSharp tensors and the managed heap are read. Flat means the values after the last epoch are those after the first.
/// </summary>
public static class MemorySection
{
    public static void Run(RunContext context)
    {
        var options = context.Options;
        var table = new ResultTable("memory", $"Memory over a long fit: {options.MemoryEpochs} epochs through the full pipeline, batch {options.BatchSize}",
            "model", "px", "after epoch", "peak RSS MB (since the fit began)", "RSS MB", "live tensors", "managed heap MB", "gen2 GCs", "GC pause ms per epoch");
        foreach (var config in ModelConfig.Expand(options.MemoryModels, [32]))
        {
            RunReport.Progress($"memory {config.Id}: {options.MemoryEpochs} epochs of {options.MemoryBatches} batches");
            try
            {
                var samples = Measure(config, options);
                var shown = new SortedSet<int> { 1, 2, 5, 10, 20, 50, 100, options.MemoryEpochs };
                foreach (var sample in samples.Where(s => shown.Contains(s.Epoch)))
                {
                    table.Add(config.Model, config.Size, sample.Epoch, sample.PeakBytes / 1e6, sample.ResidentBytes / 1e6, sample.LiveTensors,
                        sample.ManagedBytes / 1e6, sample.Gen2Collections, sample.PauseMilliseconds / sample.Epoch);
                }
                var first = samples[0];
                var last = samples[^1];
                table.Note($"{config.Id}: peak RSS after epoch {last.Epoch} / after epoch 1 = {last.PeakBytes / (double)first.PeakBytes:0.000}; "
                    + $"RSS {last.ResidentBytes / (double)first.ResidentBytes:0.000}; live tensors {first.LiveTensors} → {last.LiveTensors}.");
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                RunReport.Progress($"memory {config.Id} failed: {e}");
                table.Add(config.Model, config.Size, "failed", e.GetType().Name + ": " + e.Message.ReplaceLineEndings(" "), "", "", "", "", "");
            }
        }
        table.Note("One Learner.Fit over all epochs (Fashion-MNIST subset, item Resize, batch augmentation, ImageNet normalisation, AdamW, one validation batch per epoch). "
            + "peak RSS: the process's high-water mark (VmHWM), reset when the fit began (after a compacting GC and malloc_trim); RSS: resident now; "
            + "live tensors: TorchSharp tensors not yet disposed on the training thread; managed heap: GC.GetTotalMemory after the epoch; "
            + "GC pause: the time the .NET GC paused the process since the fit began, per epoch (the Learner collects fully once per epoch, after validation).");
        context.Report.Add(table);
    }

    private static List<Sample> Measure(ModelConfig config, BenchmarkOptions options)
    {
        random.manual_seed(1);
        using var model = ModelCatalog.Create(config.Model, numClasses: 10, inChannels: 3);
        var train = new ImageDataLoader(TrainingData.TrainSubset(options.MemoryBatches * options.BatchSize), new DataLoaderOptions
        {
            BatchSize = options.BatchSize,
            Training = true,
            Seed = 1,
            ItemTransform = new Resize(config.Size),
            DecodeThreads = 1,
        });
        var valid = new ImageDataLoader(TrainingData.ValidSubset(options.BatchSize), new DataLoaderOptions
        {
            BatchSize = options.BatchSize,
            ItemTransform = new Resize(config.Size),
            DecodeThreads = 1,
        });
        var sampler = new EpochSampler();
        using var learner = new Learner(model, train, valid, new LearnerOptions
        {
            Augmentation = new BatchAugmentation(AugmentationOptions.Default, seed: 1),
            Normalization = Normalization.ImageNet,
            Callbacks = [sampler],
        });
        learner.FitOneCycle(options.MemoryEpochs, 1e-3);
        return sampler.Samples;
    }

    private sealed record Sample(int Epoch, long PeakBytes, long ResidentBytes, long LiveTensors, long ManagedBytes, int Gen2Collections, double PauseMilliseconds);

    private sealed class EpochSampler : LearnerCallback
    {
        private TimeSpan? _pauseAtStart;

        public List<Sample> Samples { get; } = [];

        // From the first batch: the compacting collection that resets the peak at the start of the fit is not the fit's.
        public override void BeforeBatch(Learner learner, TrainingBatchInfo batch) => _pauseAtStart ??= GC.GetTotalPauseDuration();

        public override void AfterEpoch(Learner learner, EpochMetrics metrics)
        {
            using var process = Process.GetCurrentProcess();
            process.Refresh();
            Samples.Add(new Sample(metrics.Epoch, process.PeakWorkingSet64, process.WorkingSet64,
                DisposeScopeManager.Statistics.ThreadTotalLiveCount, GC.GetTotalMemory(forceFullCollection: false), GC.CollectionCount(2),
                (GC.GetTotalPauseDuration() - (_pauseAtStart ?? TimeSpan.Zero)).TotalMilliseconds));
        }
    }
}
