using Experiments.Benchmarks.Reporting;
using Experiments.Vision.Models;
using static TorchSharp.torch;

namespace Experiments.Benchmarks.Sections;

/// <summary>A model at one input size.</summary>
public sealed record ModelConfig(string Model, int Size)
{
    public string Id => $"{Model}@{Size}";

    /// <summary>The configurations of <paramref name="models"/> × <paramref name="sizes"/>: a model with one input size (a ViT) at that size only, once; sizes below a model's minimum left out.</summary>
    public static IReadOnlyList<ModelConfig> Expand(IEnumerable<string> models, IReadOnlyList<int> sizes)
    {
        var configs = new List<ModelConfig>();
        foreach (var model in models)
        {
            var info = ModelCatalog.Describe(model);
            if (info.InputSize is int fixedSize)
            {
                configs.Add(new ModelConfig(model, fixedSize));
                continue;
            }
            configs.AddRange(sizes.Where(s => s >= (info.MinInputSize ?? 1)).Select(s => new ModelConfig(model, s)));
        }
        return configs;
    }
}

/// <summary>
/// Issue 6 item 2: per catalog model and size, training images/s of a bare TorchSharp loop over pre-made tensors and of the
/// full pipeline (loader, item resize, batch augmentation, Learner step, validation, SQLite metrics), measured side by
/// side in interleaved rounds; their ratio; and the achieved FLOP rate as a fraction of the fp32 matmul rate.
/// </summary>
public static class TrainingSection
{
    public static void Run(RunContext context)
    {
        var options = context.Options;
        var settings = LoopSettings.FromOptions(options);
        double matmul = settings.Bf16 ? context.ReferenceMatmulBf16() : context.ReferenceMatmulFp32();
        double conv = context.ReferenceConv3x3Fp32();
        var configs = ModelConfig.Expand(options.Models, options.Sizes);
        RunReport.Progress($"training: {configs.Count} configurations ({string.Join(", ", configs.Select(c => c.Id))}), {settings.Name}, data: {TrainingData.Source}");

        var table = new ResultTable("training", $"Training throughput ({settings.Name}, batch {options.BatchSize}): bare loop vs full pipeline",
            "model", "px", "steps × rounds", "fwd GFLOP/img", "bare img/s", "pipeline img/s", "pipeline / bare",
            "bare spread", "pipeline spread", "bare GFLOP/s", "bare % of matmul", "pipeline % of matmul", "bare % of conv3x3", "epoch extra ms");
        var breakdown = new ResultTable("training-breakdown", "Where a training batch's time goes (ms per batch, median of the rounds)",
            "model", "px", "bare fwd+bwd", "bare step", "bare other", "pipeline prepare+fwd+bwd", "pipeline step", "pipeline other (loader wait, …)",
            "pipeline − bare");
        var flopsTable = new ResultTable("flops", "FLOPs per image (forward; training ≈ 3 × forward)",
            "model", "px", "conv GFLOP", "linear GFLOP", "attention GFLOP", "forward GFLOP", "training GFLOP", "params (M)");

        using var store = new TrainingStore([.. configs.Select(c => c.Id)]);
        foreach (var config in configs)
        {
            RunReport.Progress($"training {config.Id}");
            try
            {
                var flops = CountFlops(config);
                var (bare, pipeline, steps) = MeasureSideBySide(config, settings, store, options, RunReport.Progress);
                int rounds = bare.Rounds.Count;
                double ratio = pipeline.RatioTo(bare);
                var bareRate = bare.ImagesPerSecond;
                var pipelineRate = pipeline.ImagesPerSecond;
                double bareFlops = flops.Flops.Training * bareRate.Median / 1e9;
                double pipelineFlops = flops.Flops.Training * pipelineRate.Median / 1e9;
                table.Add(config.Model, config.Size, $"{steps} × {rounds}", flops.Flops.Forward / 1e9, bareRate.Median, pipelineRate.Median, ratio,
                    Percent(bareRate.RelativeSpread), Percent(pipelineRate.RelativeSpread), bareFlops,
                    Percent(bareFlops / matmul), Percent(pipelineFlops / matmul), Percent(bareFlops / conv),
                    Stats(pipeline, r => r.EpochExtraSeconds * 1000));
                int b = options.BatchSize;
                double barePerBatch = bare.MillisecondsPerBatch(r => r.Seconds, b), pipelinePerBatch = pipeline.MillisecondsPerBatch(r => r.Seconds, b);
                breakdown.Add(config.Model, config.Size,
                    bare.MillisecondsPerBatch(r => r.ComputeSeconds, b), bare.MillisecondsPerBatch(r => r.StepSeconds, b), bare.MillisecondsPerBatch(r => r.OtherSeconds, b),
                    pipeline.MillisecondsPerBatch(r => r.ComputeSeconds, b), pipeline.MillisecondsPerBatch(r => r.StepSeconds, b), pipeline.MillisecondsPerBatch(r => r.OtherSeconds, b),
                    pipelinePerBatch - barePerBatch);
                flopsTable.Add(config.Model, config.Size, flops.Flops.Convolution / 1e9, flops.Flops.Linear / 1e9, flops.Flops.Attention / 1e9,
                    flops.Flops.Forward / 1e9, flops.Flops.Training / 1e9, flops.Parameters / 1e6);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                RunReport.Progress($"training {config.Id} failed: {e}");
                table.Add(config.Model, config.Size, "failed", e.GetType().Name + ": " + e.Message.ReplaceLineEndings(" "), "", "", "", "", "", "", "", "", "", "");
            }
        }

        table.Note($"bare: TorchSharp loop over pre-made, normalised tensors (forward, cross-entropy, backward, AdamW step, zero_grad, loss.item); the step is the pipeline's own (AdamWOptimizer: fastai's groups, fused on the CPU), so the ratio measures the feeding. "
            + $"pipeline: ImageDataLoader over {TrainingData.Source} (grey; the 3-channel models get it as 3 channels from the normalisation) with item Resize (random crop; square to square draws nothing, so the loader keeps the resized items after the untimed round, as in a trial's later epochs) on one decoding thread at low priority (a vision trial's choice on the CPU), the Learner's step with fastai batch augmentation "
            + "and ImageNet normalisation, then per epoch one validation batch and the metrics written to a SQLite store. pipeline img/s counts the training batches "
            + "(FitResult.TrainImagesPerSecond: loader waits included); 'epoch extra ms' is the rest of each epoch (validation, metrics, store).");
        table.Note($"Rounds interleaved (bare, pipeline, then pipeline, bare, …) after one untimed round of each; img/s are medians over the rounds; pipeline / bare is the median of the per-round ratios; "
            + "spread = (max − min) / median. Steps per round fill ~" + options.RoundSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " s (at least " + options.MinSteps + ") unless --steps is given"
            + (options.MeasureSeconds > 0
                ? $"; at least {options.Rounds} rounds, more (up to {3 * options.Rounds}) until each loop has run ~{options.MeasureSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)} s: on this noisy kind of machine a fast model's per-round ratio varies most, and more pairs steady its median."
                : "."));
        table.Note($"GFLOP/s = training FLOPs per image (3 × the forward count of the FLOPs table) × img/s; % of matmul is that over the "
            + (settings.Bf16 ? $"bf16 matmul rate {matmul:0.#} GFLOP/s (training in bf16)." : $"fp32 reference rate {matmul:0.#} GFLOP/s (the better of torch.matmul and the same product as a 1×1 convolution, see the matmul table).")
            + $" % of conv3x3 is bare GFLOP/s over the fp32 3×3-convolution rate {conv:0.#} GFLOP/s: the better ceiling for convolution-heavy models on this CPU.");
        breakdown.Note("bare fwd+bwd: batch slice, forward, loss, backward; step: optimizer step and zero_grad; other: loss.item and the batch's scope. "
            + "pipeline prepare+fwd+bwd: from the Learner's BeforeBatch to BeforeStep (bytes → float, augmentation, normalisation, forward, loss, loss.item, backward); "
            + "step: BeforeStep → AfterStep; other: the rest of the training time (waiting for the loader, schedule, scope disposal).");
        context.Report.Add(table);
        context.Report.Add(breakdown);
        context.Report.Add(flopsTable);
    }

    /// <summary>FLOPs of one image at the config's size, on a fresh fp32 model (and its parameter count).</summary>
    public static (ModelFlops Flops, long Parameters) CountFlops(ModelConfig config)
    {
        using var model = ModelCatalog.Create(config.Model, numClasses: 10, inChannels: 3);
        return (FlopCounter.Count(model, 3, config.Size), model.parameters().Sum(p => p.numel()));
    }

    /// <summary>
    /// The bare loop and the pipeline of one configuration, measured in interleaved rounds of the same number of steps.
    /// The steps are chosen from a timed step of the bare loop after its warm-up.
    /// </summary>
    public static (MeasuredLoop Bare, MeasuredLoop Pipeline, int Steps) MeasureSideBySide(
        ModelConfig config, LoopSettings settings, TrainingStore store, BenchmarkOptions options, Action<string> progress)
    {
        using var bare = new BareLoop(config.Model, config.Size, options.BatchSize, settings);
        var (steps, stepSeconds) = ChooseSteps(bare, options);
        int rounds = RoundsFor(steps * stepSeconds, options);
        bare.UseData(TrainingData.Tensors(steps * options.BatchSize, config.Size));
        using var pipeline = new PipelineLoop(config.Model, config.Size, options.BatchSize, steps, settings, store, config.Id);
        var loops = new[] { new MeasuredLoop("bare", () => bare.Run(steps)), new MeasuredLoop("pipeline", pipeline.Run) };
        Interleaved.Run(loops, rounds, line => progress($"  {config.Id}: {line}"));
        return (loops[0], loops[1], steps);
    }

    /// <summary>Warms the loop up, times one step and returns the steps that fill a round (or --steps), with that step's time.</summary>
    public static (int Steps, double StepSeconds) ChooseSteps(BareLoop bare, BenchmarkOptions options)
    {
        bare.Run(Math.Max(1, options.WarmupSteps));
        double step = bare.Run(1).Seconds;
        int steps = options.Steps ?? Math.Clamp((int)Math.Ceiling(options.RoundSeconds / step), options.MinSteps, options.MaxSteps);
        return (steps, step);
    }

    /// <summary><see cref="BenchmarkOptions.Rounds"/>, or more (up to three times) for a loop whose rounds would not fill <see cref="BenchmarkOptions.MeasureSeconds"/>.</summary>
    public static int RoundsFor(double roundSeconds, BenchmarkOptions options)
    {
        if (options.MeasureSeconds <= 0 || roundSeconds <= 0)
        {
            return options.Rounds;
        }
        int wanted = (int)Math.Ceiling(options.MeasureSeconds / roundSeconds);
        return Math.Clamp(wanted, options.Rounds, 3 * options.Rounds);
    }

    public static string Percent(double fraction) => double.IsFinite(fraction) ? $"{fraction * 100:0.#}%" : "n/a";

    private static double Stats(MeasuredLoop loop, Func<RoundResult, double> value) =>
        Measurement.Stats.Of(loop.Rounds.Select(value).ToList()).Median;
}

/// <summary>Deconstruction of the pre-made tensors into <see cref="BareLoop.UseData"/>.</summary>
internal static class BareLoopExtensions
{
    public static void UseData(this BareLoop loop, (Tensor Images, Tensor Targets) data) => loop.UseData(data.Images, data.Targets);
}
