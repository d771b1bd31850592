using Experiments.Vision.Inference;
using Experiments.Vision.Models;
using Experiments.Vision.Transforms;
using Experiments.Vision.Trials;

namespace ResizeTtaExample;

/// <summary>
/// The paddy competition's comparisons at CPU scale: three small models × (squish, crop, pad to a square, and squish
/// to the rectangle of the images' aspect ratio) = 12 trials on <see cref="WideFashion"/>. Every trial trains from
/// scratch with fastai's batch augmentation, predicts the validation set plainly and with TTA (<c>error_rate</c> and
/// <c>tta_error_rate</c>), uses gradient accumulation when the configuration would not fit the memory budget
/// (<see cref="MemoryBudget"/>), and exports the model as <c>{arch}_{method}-{h}x{w}</c>.
/// <see cref="ResizeTtaEnsemble"/> then averages the best exports.
/// </summary>
[Experiment(Objective = MetricNames.ErrorRate, Goal = Goal.Minimize, ScoreConstant = 10)]
public partial class ResizeTta
{
    /// <summary>Images used (all 1,000 training images of the packaged Fashion-MNIST sample, on wide canvases), split 80 / 20 with seed 42.</summary>
    public const int Images = 1000;

    /// <summary>
    /// Images per optimizer step, whatever the accumulation: 32 rather than fastai's 64, so that the sample's 800
    /// training images still give 25 steps an epoch.
    /// </summary>
    public const int BatchSize = 32;

    /// <summary>Epochs of the one-cycle fit (150 optimizer steps in all).</summary>
    public const int Epochs = 6;

    /// <summary>The validation split: 20 %, fixed seed, so every trial and the ensemble validate on the same 200 images.</summary>
    public const double ValidFraction = 0.2;

    /// <inheritdoc cref="ValidFraction"/>
    public const int SplitSeed = 42;

    [Values("resnet18", "convnext_atto", "regnety_002"), KnownIn(typeof(ModelCatalog))]
    public partial string Arch { get; }

    /// <summary>
    /// The lesson's four runs per model: <c>squish</c>, <c>crop</c> and <c>pad</c> (zeros) to a 32 × 32 square, and
    /// <c>rect</c>: squish to the rectangle of the images' aspect ratio with both sides multiples of 32
    /// (<see cref="InputSizes"/>: 32 × 64), which only scales the wide images.
    /// </summary>
    [Values("squish", "crop", "pad", "rect")]
    public partial string Resize { get; }

    // On a thread of its own, as VisionTrial.RunAsync does: TorchSharp's dispose scopes are per thread.
    public Task<TrialResult> RunAsync(TrialContext context) => Task.Factory.StartNew(
        () => Run(context), context.Cancellation, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private TrialResult Run(TrialContext context)
    {
        var data = WideFashion.Open(Images);
        var (method, size) = Resize switch
        {
            "squish" => (ResizeMethod.Squish, "square"),
            "crop" => (ResizeMethod.Crop, "square"),
            "pad" => (ResizeMethod.Pad, "square"),
            "rect" => (ResizeMethod.Squish, "rect"),
            _ => throw new ArgumentException($"Unknown resize '{Resize}'."),
        };
        var (height, width) = InputSizes.Of(size, data);
        var plan = MemoryBudget.For(Arch, data.Classes.Count, data.Channels, height, width, BatchSize);
        context.ReportProgress(0, $"{Arch} {height}×{width}: {plan}");

        var outcome = VisionTrial.Run(context, new VisionTrialSettings
        {
            Dataset = "wide-fashion",
            Data = data,
            Architecture = Arch,
            Resize = method,
            PadMode = PadMode.Zeros,
            Height = height,
            Width = width,
            LearningRate = 5e-3,
            Epochs = Epochs,
            BatchSize = BatchSize,
            Accumulation = plan.Accumulation,
            ValidFraction = ValidFraction,
            SplitSeed = SplitSeed,
            Augmentation = AugmentationOptions.Default,
            Tta = true,
            Export = true,
            // {arch}_{method}-{h}x{w}: resnet18_pad-32x32, resnet18_squish-32x64 (rect), … in the trial's own folder;
            // a rerun replaces it.
            ExportDescription = $"{method.ToString().ToLowerInvariant()}-{height}x{width}",
            ExportCollision = ExportCollision.Overwrite,
        });

        // The report template sees the objective and the per-epoch metrics of each trial, not its other final metrics:
        // TTA (run after the last epoch) and the accumulation go in as metrics of the last epoch too, for its table.
        int lastEpoch = outcome.Fit.Epochs.Count;
        context.ReportEpoch(lastEpoch, VisionTrialMetricNames.TtaErrorRate, outcome.TtaErrorRate!.Value);
        context.ReportEpoch(lastEpoch, "accumulation", plan.Accumulation);

        return outcome.ToTrialResult()
            .With("input_height", height)
            .With("input_width", width)
            .With("accumulation", plan.Accumulation)
            .With("micro_batch", plan.MicroBatch)
            .With("memory_estimate", plan.EstimateBytes)
            .With("memory_estimate_full_batch", plan.FullBatchBytes)
            .With("memory_budget", MemoryBudget.BudgetBytes);
    }
}
