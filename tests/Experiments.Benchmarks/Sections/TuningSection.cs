using Experiments.Benchmarks.Reporting;
using static TorchSharp.torch;

namespace Experiments.Benchmarks.Sections;

/// <summary>
/// Issue 6 item 3: what helps on this CPU — channels-last memory format, torch's thread count, bf16 (where the CPU has
/// it) in the bare loop, and the loader's decoding threads and the batch augmentation in the pipeline — each measured
/// against its baseline in one run, rounds interleaved, for <see cref="BenchmarkOptions.TuneModels"/> at
/// <see cref="BenchmarkOptions.TuneSize"/> px.
/// </summary>
public static class TuningSection
{
    public static void Run(RunContext context)
    {
        var options = context.Options;
        int defaultThreads = get_num_threads();
        var table = new ResultTable("tuning", $"Tuning, {options.TuneSize} px, batch {options.BatchSize}: variants against their baseline in one run",
            "model", "loop", "variant", "img/s", "ratio", "ratio against", "spread", "fwd+bwd ms/batch", "step ms/batch");
        bool first = true;
        foreach (var model in options.TuneModels)
        {
            var config = ModelConfig.Expand([model], [options.TuneSize]).FirstOrDefault();
            if (config is null)
            {
                table.Note($"{model}: does not take {options.TuneSize} px; skipped.");
                continue;
            }
            RunReport.Progress($"tuning {config.Id}");
            try
            {
                int steps = Measure(context, config, defaultThreads, table);
                if (first)
                {
                    // Once (the first model): settings a process fixes at start, in child processes.
                    RunReport.Progress($"tuning {config.Id}: process-level thread settings (child processes)");
                    ProcessVariants.Measure(config, steps, options, table);
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                RunReport.Progress($"tuning {config.Id} failed: {e}");
                table.Add(config.Model, "", "failed", e.GetType().Name + ": " + e.Message.ReplaceLineEndings(" "), "", "", "", "", "");
            }
            first = false;
        }
        table.Note($"Bare-loop variants are compared with the bare fp32 loop, pipeline variants with the plain pipeline (paired by round, median of the per-round ratios). "
            + $"torch threads by default: {defaultThreads} ({Environment.ProcessorCount} logical cores); the pipeline's loader decodes on 1 thread at low priority by default (what a vision trial does on the CPU).");
        table.Note("fp32 baseline: the optimizer step fused on the CPU (AdamWOptimizer: one SIMD pass per parameter over its memory); 'TorchSharp optim.AdamW step' is the same update as TorchSharp's "
            + "optimizer runs it, about ten tensor operations per parameter. bf16 weights cannot take the fused step, so those variants run TorchSharp's (channels-last ones can). ");
        table.Note("channels-last: 4-d weights and the input batch in NHWC order (TorchSharp 0.107 has no memory_format argument: permute → contiguous → permute back). "
            + "bf16: weights, activations and AdamW state in bfloat16 (no autocast in TorchSharp 0.107, so this is pure bf16 training — faster arithmetic, less precise updates). "
            + "mixed bf16: the Learner's MixedPrecision.Bf16 (MixedBf16Weights) — forward and backward in bf16 on a bf16 copy of the weights, fp32 master weights and AdamW state (the fused step), "
            + "the loss in fp32, norm layers fp32; its step time includes copying the gradients to the masters and the stepped masters back.");
        table.Note("fwd+bwd ms/batch: forward, loss and backward (the pipeline: with the batch's conversion, augmentation and normalisation); step ms/batch: optimizer step and zeroing (mixed bf16: with the copies); medians over the rounds.");
        if (!context.Machine.HasBf16)
        {
            table.Note("bf16: not supported by this CPU (no avx512_bf16 / amx_bf16); not measured.");
        }
        table.Note("'bare, own process' rows (first model only): the bare fp32 loop in a child process per variant, one round per child, children alternating: "
            + "OMP_WAIT_POLICY and torch.set_num_interop_threads can only be chosen before LibTorch starts. The inter-op pool serves inter-op parallelism "
            + "(TorchScript fork/wait), which eager TorchSharp training does not use; OMP_WAIT_POLICY=PASSIVE makes idle OpenMP threads sleep instead of spin, "
            + "which matters when the cores are shared (other processes, several workers).");
        context.Report.Add(table);
    }

    private static int Measure(RunContext context, ModelConfig config, int defaultThreads, ResultTable table)
    {
        var options = context.Options;
        // The baseline in the usual NCHW order: channels-last is a variant here, even for a model that uses it by default.
        var baseline = new LoopSettings("fp32", ChannelsLast: false);
        var bareVariants = new List<(LoopSettings Settings, int? Threads)>
        {
            (baseline, null),
            (baseline with { Name = "channels-last", ChannelsLast = true }, null),
            (baseline with { Name = "TorchSharp optim.AdamW step (not fused)", FusedStep = false }, null),
        };
        if (context.Machine.HasBf16)
        {
            bareVariants.Add((baseline with { Name = "bf16", Bf16 = true }, null));
            bareVariants.Add((baseline with { Name = "bf16 + channels-last", Bf16 = true, ChannelsLast = true }, null));
            bareVariants.Add((baseline with { Name = "mixed bf16", MixedBf16 = true }, null));
            bareVariants.Add((baseline with { Name = "mixed bf16 + channels-last", MixedBf16 = true, ChannelsLast = true }, null));
        }
        bareVariants.Add((baseline with { Name = "threads 1" }, 1));
        if (defaultThreads != Environment.ProcessorCount)
        {
            bareVariants.Add((baseline with { Name = $"threads {Environment.ProcessorCount}" }, Environment.ProcessorCount));
        }
        var pipelineVariants = new List<LoopSettings>
        {
            baseline with { Name = "pipeline" },
            baseline with { Name = $"decode threads {Environment.ProcessorCount}", DecodeThreads = Environment.ProcessorCount },
            baseline with { Name = "loader at normal priority", LowPriority = false },
            baseline with { Name = "channels-last", ChannelsLast = true },
            baseline with { Name = "3-channel data (grey converted to RGB when decoded)", RgbData = true },
            baseline with { Name = "no kept items (CacheBytes = 0: every epoch decodes and resizes)", KeepItems = false },
            baseline with { Name = "no batch augmentation", Augment = false },
            baseline with { Name = "no store (Context = null)", Store = false },
        };
        if (context.Machine.HasBf16)
        {
            pipelineVariants.Add(baseline with { Name = "mixed bf16 (MixedPrecision.Bf16)", MixedBf16 = true });
        }

        var disposables = new List<IDisposable>();
        try
        {
            var bares = bareVariants.Select(v =>
            {
                var loop = new BareLoop(config.Model, config.Size, options.BatchSize, v.Settings);
                disposables.Add(loop);
                return (Loop: loop, v.Settings, v.Threads);
            }).ToList();
            // The same number of steps for every variant (chosen from the baseline), so that each round does the same work.
            int steps = TrainingSection.ChooseSteps(bares[0].Loop, options).Steps;
            foreach (var (loop, _, _) in bares)
            {
                loop.UseData(TrainingData.Tensors(steps * options.BatchSize, config.Size));
            }
            var store = new TrainingStore([.. pipelineVariants.Select(v => $"{config.Id}/{v.Name}")]);
            disposables.Add(store);
            var pipelines = pipelineVariants.Select(v =>
            {
                var loop = new PipelineLoop(config.Model, config.Size, options.BatchSize, steps, v, store, $"{config.Id}/{v.Name}");
                disposables.Add(loop);
                return (Loop: loop, Settings: v);
            }).ToList();

            var measured = bares.Select(b => new MeasuredLoop("bare " + b.Settings.Name, () => b.Loop.Run(steps), b.Threads))
                .Concat(pipelines.Select(p => new MeasuredLoop(p.Settings.Name, p.Loop.Run)))
                .ToList();
            Interleaved.Run(measured, options.Rounds, line => RunReport.Progress($"  {config.Id}: {line}"));

            var bareBaseline = measured[0];
            var pipelineBaseline = measured[bares.Count];
            for (int i = 0; i < measured.Count; i++)
            {
                bool isBare = i < bares.Count;
                var loop = measured[i];
                var against = isBare ? bareBaseline : pipelineBaseline;
                bool isBaseline = ReferenceEquals(loop, against);
                string variant = isBare ? bares[i].Settings.Name : pipelines[i - bares.Count].Settings.Name;
                table.Add(config.Model, isBare ? "bare" : "pipeline", variant, loop.ImagesPerSecond.Median,
                    isBaseline ? (isBare ? 1.0 : loop.RatioTo(bareBaseline)) : loop.RatioTo(against),
                    isBaseline ? (isBare ? "(baseline)" : "bare fp32") : (isBare ? "bare fp32" : "pipeline"),
                    TrainingSection.Percent(loop.ImagesPerSecond.RelativeSpread),
                    loop.MillisecondsPerBatch(r => r.ComputeSeconds, options.BatchSize), loop.MillisecondsPerBatch(r => r.StepSeconds, options.BatchSize));
            }
            table.Note($"{config.Id}: {steps} steps × {options.Rounds} rounds per variant.");
            return steps;
        }
        finally
        {
            foreach (var disposable in Enumerable.Reverse(disposables))
            {
                disposable.Dispose();
            }
        }
    }
}
