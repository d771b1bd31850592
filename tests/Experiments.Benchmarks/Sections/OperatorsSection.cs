using System.Diagnostics;
using Experiments.Benchmarks.Measurement;
using Experiments.Benchmarks.Reporting;
using Experiments.Vision.Models;
using Experiments.Vision.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Experiments.Benchmarks.Sections;

/// <summary>
/// Where a training step of a model goes, per operator: the forward time of every module measured in place (forward
/// pre- and post-hooks around each module during real training steps), the backward time of every module measured in
/// isolation (the module called on a copy of its recorded input, then backward with a random output gradient: TorchSharp
/// 0.107 binds neither LibTorch's autograd profiler nor module backward hooks), each turned into own time (less the
/// modules under it) and summed by operator kind (<see cref="OperatorKinds"/>); with the step's plain forward, backward
/// and optimizer times (no hooks) for comparison, and the achieved GFLOP/s of each kind against the fp32 matmul reference.
/// </summary>
public static class OperatorsSection
{
    public static void Run(RunContext context)
    {
        var options = context.Options;
        double matmul = context.ReferenceMatmulFp32();
        var settings = new LoopSettings("fp32");
        var kinds = new ResultTable("operators", $"Training step by operator kind (fp32, batch {options.BatchSize}, own time per batch)",
            "model", "px", "kind", "modules", "fwd ms", "bwd ms", "share of step", "GFLOP", "GFLOP/s", "% of matmul");
        var leaves = new ResultTable("operators-leaves", "The 10 slowest leaf modules per model (forward + backward per batch)",
            "model", "px", "module", "kind", "input", "fwd ms", "bwd ms", "share of step", "GFLOP/s", "% of matmul");
        var steps = new ResultTable("operators-steps", "The plain training step (no hooks) against the sums of the per-module times",
            "model", "px", "layout", "fwd ms", "bwd ms", "optimizer ms", "step ms", "img/s", "hooked fwd / plain fwd", "isolated bwd / plain bwd");
        var layouts = OperatorVariants.NewLayoutTable(options.BatchSize);
        var layerNorms = OperatorVariants.NewLayerNormTable();
        foreach (var model in options.OperatorModels)
        {
            foreach (int size in options.OperatorSizes)
            {
                RunReport.Progress($"operators {model}@{size}");
                try
                {
                    var measured = Measure(model, size, options.BatchSize, options.OperatorRepeats, settings);
                    AddRows(measured, model, size, matmul, kinds, leaves, steps);
                    OperatorVariants.CompareLayouts(model, size, options, layouts);
                    OperatorVariants.CompareLayerNorms(model, size, options, layerNorms);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    RunReport.Progress($"operators {model}@{size} failed: {e}");
                    steps.Add(model, size, "failed", e.GetType().Name + ": " + e.Message.ReplaceLineEndings(" "), "", "", "", "", "", "");
                }
            }
        }
        kinds.Note("Own time: a module's time less that of the modules under it (composite modules keep what they compute themselves: "
            + "ConvNormAct/ConvBnAct and Mlp their activation, an SE module its pooling and gate, a block its residual add and layer scale). "
            + "fwd: measured in place, forward hooks around every module during " + options.OperatorRepeats + " training steps (median per module). "
            + "bwd: measured in isolation — TorchSharp 0.107 binds neither LibTorch's autograd profiler nor module backward hooks — each module "
            + "called on a copy of its recorded input (the same shape, layout and requires-grad), then backward with a random output gradient, "
            + "median of " + options.OperatorRepeats + " after one untimed. The kinds sum to the hooked forward plus the isolated backward of the whole model.");
        kinds.Note("share of step: (fwd + bwd) / the plain step (forward with loss, backward, AdamW step and zero_grad, no hooks: the operators-steps table); "
            + "the 'optimizer' row is the plain step's AdamW time, 'rest' the plain step less the kinds and the optimizer (negative when the "
            + "per-module sums exceed the plain step). GFLOP: convolution and linear products per batch, forward + backward (2 × forward, 1 × for "
            + $"the first layer, whose input needs no gradient); % of matmul: GFLOP/s over the fp32 reference {matmul:0.#} GFLOP/s (the training table's).");
        steps.Note("layout: the model's catalog layout on the CPU (channels-last for RegNetY, ResNeXt and MobileNetV3). fwd includes the loss; "
            + "optimizer: the fused AdamW step and zero_grad; medians of the plain steps, which ran before the hooked ones. hooked fwd / plain fwd: "
            + "the model's forward with hooks on every module over the plain one (the hooks' cost); isolated bwd / plain bwd: the sum the kinds use "
            + "over the plain backward.");
        context.Report.Add(kinds);
        context.Report.Add(leaves);
        layouts.Note("Two bare loops of the same model (the training section's: pre-made batches, forward, loss, backward, fused AdamW step), one with "
            + "4-d weights and inputs in channels-last order; one untimed round each, then rounds in alternating order. channels-last / NCHW: median of the "
            + "per-round ratios, with the lowest and highest; spread: (max − min) / median of each loop's rounds.");
        layerNorms.Note("For each input shape (and memory order) the model's LayerNorm2d modules see in its catalog layout: forward + backward (random output "
            + "gradient) of timm's permute → layer_norm → permute back against (x − mean) · rsqrt(var + eps) · weight + bias over dimension 1 "
            + "(var_mean), 20 runs per round, rounds alternating which goes first; ms = per batch for all modules of that shape (modules × the mean run).");
        context.Report.Add(steps);
        context.Report.Add(layouts);
        if (layerNorms.Rows.Count > 0)
        {
            context.Report.Add(layerNorms);
        }
    }

    /// <summary>What one model's measurement gives: the plain step's parts and every module's inclusive times.</summary>
    public sealed record Measured(bool ChannelsLast, double ForwardMs, double BackwardMs, double OptimizerMs, int BatchSize, IReadOnlyList<ModuleTiming> Modules)
    {
        public double StepMs => ForwardMs + BackwardMs + OptimizerMs;
    }

    public static void AddRows(Measured measured, string model, int size, double matmul, ResultTable kinds, ResultTable leaves, ResultTable steps)
    {
        var self = OperatorBreakdown.SelfTimes(measured.Modules);
        double step = measured.StepMs;
        var rows = OperatorBreakdown.ByKind(self);
        foreach (var row in rows)
        {
            kinds.Add(model, size, row.Kind, row.Modules, row.ForwardMs, row.BackwardMs, TrainingSection.Percent(row.TotalMs / step),
                row.Flops / 1e9, row.Gflops, TrainingSection.Percent(row.Gflops / matmul));
        }
        kinds.Add(model, size, "optimizer (AdamW step, zero_grad)", "", "", "", TrainingSection.Percent(measured.OptimizerMs / step), "", "", "");
        double rest = step - measured.OptimizerMs - rows.Sum(r => r.TotalMs);
        kinds.Add(model, size, "rest (loss; measurement difference)", "", "", "", TrainingSection.Percent(rest / step), "", "", "");
        double flops = rows.Sum(r => r.Flops);
        kinds.Add(model, size, "whole plain step", "", measured.ForwardMs, measured.BackwardMs, "100%", flops / 1e9, flops / (step / 1000) / 1e9,
            TrainingSection.Percent(flops / (step / 1000) / 1e9 / matmul));

        foreach (var leaf in OperatorBreakdown.TopLeaves(self, 10))
        {
            double gflops = leaf.Flops > 0 ? leaf.Flops / (leaf.TotalMs / 1000) / 1e9 : double.NaN;
            leaves.Add(model, size, leaf.Module.Path, leaf.Module.Kind, leaf.Module.InputShape, leaf.ForwardMs, leaf.BackwardMs,
                TrainingSection.Percent(leaf.TotalMs / step), gflops, TrainingSection.Percent(gflops / matmul));
        }
        var root = measured.Modules.Single(m => m.Path.Length == 0);
        steps.Add(model, size, measured.ChannelsLast ? "channels-last" : "NCHW", measured.ForwardMs, measured.BackwardMs, measured.OptimizerMs, step,
            measured.BatchSize / (step / 1000), root.ForwardMs / measured.ForwardMs, root.BackwardMs / measured.BackwardMs);
    }

    /// <summary>Plain steps, hooked steps, then every module's isolated backward.</summary>
    public static Measured Measure(string modelName, int size, int batchSize, int repeats, LoopSettings settings)
    {
        random.manual_seed(1);
        using var model = ModelCatalog.Create(modelName, numClasses: 10, inChannels: 3);
        bool channelsLast = Layout.ChannelsLastFor(modelName, settings);
        Layout.Apply(model, bf16: false, channelsLast);
        model.train();
        using var optimizer = new AdamWOptimizer(model, ParameterGroups.Of(model), new AdamWOptions { Fused = true });
        for (int g = 0; g < optimizer.GroupNames.Count; g++)
        {
            optimizer.SetLearningRate(g, 1e-3);
        }
        using var images = Layout.Input(randn(batchSize, 3, size, size), bf16: false, channelsLast);
        using var targets = randint(0, 10, [batchSize]);

        (double Forward, double Backward, double Optimizer) Step()
        {
            using var scope = NewDisposeScope();
            long t0 = Stopwatch.GetTimestamp();
            var loss = nn.functional.cross_entropy(model.call(images), targets);
            long t1 = Stopwatch.GetTimestamp();
            loss.backward();
            long t2 = Stopwatch.GetTimestamp();
            optimizer.Step();
            optimizer.ZeroGrad();
            long t3 = Stopwatch.GetTimestamp();
            _ = loss.item<float>();
            return (Ms(t1 - t0), Ms(t2 - t1), Ms(t3 - t2));
        }

        for (int i = 0; i < 3; i++)
        {
            Step();
        }
        var plain = Enumerable.Range(0, repeats).Select(_ => Step()).ToList();

        var recorder = new ForwardRecorder(model);
        try
        {
            for (int i = 0; i < repeats; i++)
            {
                recorder.BeginStep(record: i == 0);
                Step();
            }
        }
        finally
        {
            recorder.RemoveHooks();
        }

        var timings = new List<ModuleTiming>();
        foreach (var entry in recorder.Entries)
        {
            double backward = IsolatedBackward(entry, repeats, optimizer);
            timings.Add(new ModuleTiming(entry.Path, entry.Module.GetType().Name, entry.Kind, Measurement.Stats.Of(entry.ForwardMs).Median, backward,
                entry.ForwardFlops, entry.InputRequiresGrad ? 2 * entry.ForwardFlops : entry.ForwardFlops, string.Join("×", entry.Input!.shape)));
            entry.Input!.Dispose();
        }
        return new Measured(channelsLast, Median(plain.Select(p => p.Forward)), Median(plain.Select(p => p.Backward)), Median(plain.Select(p => p.Optimizer)),
            batchSize, timings);
    }

    /// <summary>Median time of the module's backward on its recorded input (one untimed run first); the gradients it leaves are zeroed.</summary>
    private static double IsolatedBackward(ForwardRecorder.Entry entry, int repeats, AdamWOptimizer optimizer)
    {
        var times = new List<double>();
        for (int r = 0; r <= repeats; r++)
        {
            using var scope = NewDisposeScope();
            var input = entry.Input!.detach();
            if (entry.InputRequiresGrad)
            {
                input.requires_grad_(true);
            }
            var output = entry.Module.call(input);
            if (!output.requires_grad)
            {
                // Nothing to differentiate (a module without parameters on an input that needs no gradient).
                return 0;
            }
            var gradient = randn_like(output);
            long t0 = Stopwatch.GetTimestamp();
            output.backward([gradient]);
            long t1 = Stopwatch.GetTimestamp();
            if (r > 0)
            {
                times.Add(Ms(t1 - t0));
            }
            optimizer.ZeroGrad();
        }
        return Measurement.Stats.Of(times).Median;
    }

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static double Median(IEnumerable<double> values) => Measurement.Stats.Of(values.ToList()).Median;

    /// <summary>Forward pre- and post-hooks on every module: inclusive forward times per step, and on the recording step each module's input and FLOPs.</summary>
    private sealed class ForwardRecorder
    {
        private readonly Dictionary<nn.Module, Entry> _entries = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<nn.Module, long> _started = new(ReferenceEqualityComparer.Instance);
        private readonly List<Action> _removers = [];
        private readonly List<Entry> _order = [];
        private bool _record;

        public ForwardRecorder(nn.Module<Tensor, Tensor> model)
        {
            var modules = new List<(string Path, nn.Module Module)> { ("", model) };
            modules.AddRange(model.named_modules().Where(m => m.name.Length > 0 && !ReferenceEquals(m.module, model)).Select(m => (m.name, m.module)));
            var types = modules.ToDictionary(m => m.Path, m => m.Module.GetType().Name, StringComparer.Ordinal);
            foreach (var (path, module) in modules)
            {
                if (module is not nn.Module<Tensor, Tensor> typed)
                {
                    continue;
                }
                string? parentType = OperatorBreakdown.ParentPath(path) is { } parent && types.TryGetValue(parent, out var t) ? t : null;
                ConvShape? conv = typed is Conv2d c
                    ? new ConvShape(c.weight.shape[1] * c.groups, c.weight.shape[0], c.groups, c.weight.shape[2], c.weight.shape[3])
                    : null;
                var entry = new Entry(path, typed, OperatorKinds.Classify(typed.GetType().Name, parentType, conv));
                _entries[typed] = entry;
                var pre = typed.register_forward_pre_hook((m, input) =>
                {
                    _started[m] = Stopwatch.GetTimestamp();
                    return input;
                });
                var post = typed.register_forward_hook((m, input, output) =>
                {
                    long end = Stopwatch.GetTimestamp();
                    var e = _entries[m];
                    e.ForwardMs.Add(Ms(end - _started[m]));
                    if (_record && e.Input is null)
                    {
                        e.Input = input.detach().clone().DetachFromDisposeScope();
                        e.InputRequiresGrad = input.requires_grad;
                        e.ForwardFlops = Flops(m, output);
                        _order.Add(e);
                    }
                    // The hook's own time is left out of the enclosing modules' times as far as it can be.
                    long hookTicks = Stopwatch.GetTimestamp() - end;
                    foreach (var key in _started.Keys.ToList())
                    {
                        _started[key] += hookTicks;
                    }
                    return output;
                });
                _removers.Add(pre.remove);
                _removers.Add(post.remove);
            }
        }

        /// <summary>The modules called in the recorded step, in the order their forward finished.</summary>
        public IReadOnlyList<Entry> Entries => _order;

        public void BeginStep(bool record) => _record = record;

        public void RemoveHooks()
        {
            foreach (var remove in _removers)
            {
                remove();
            }
        }

        /// <summary>Forward FLOPs of a module's own product for the whole batch (convolution or linear; 0 otherwise).</summary>
        private static double Flops(nn.Module module, Tensor output) => module switch
        {
            Conv2d c => 2.0 * c.weight.numel() * output.shape[^2] * output.shape[^1] * output.shape[0],
            Linear l => 2.0 * l.weight.shape[1] * output.numel(),
            _ => 0,
        };

        public sealed class Entry(string path, nn.Module<Tensor, Tensor> module, string kind)
        {
            public string Path { get; } = path;

            public nn.Module<Tensor, Tensor> Module { get; } = module;

            public string Kind { get; } = kind;

            public List<double> ForwardMs { get; } = [];

            public Tensor? Input { get; set; }

            public bool InputRequiresGrad { get; set; }

            public double ForwardFlops { get; set; }
        }
    }
}
