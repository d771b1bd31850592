using System.Diagnostics;
using Experiments.Benchmarks.Measurement;
using Experiments.Benchmarks.Reporting;
using Experiments.Vision.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Benchmarks.Sections;

/// <summary>
/// The operators section's comparisons of what could be changed, each measured as a ratio in interleaved rounds:
/// the whole training step in NCHW against channels-last (the layout the depthwise and grouped convolutions run in),
/// and LayerNorm over the channels of an NCHW tensor as timm writes it (permute, layer_norm, permute back) against the
/// same normalisation written channel-wise (mean and variance over dimension 1), forward + backward on the shapes the
/// model's <see cref="LayerNorm2d"/> modules see.
/// </summary>
public static class OperatorVariants
{
    public static ResultTable NewLayoutTable(int batchSize) =>
        new("operators-layout", $"Training step (bare loop, fp32, batch {batchSize}): NCHW against channels-last, interleaved rounds",
            "model", "px", "catalog layout", "steps × rounds", "NCHW img/s", "channels-last img/s", "channels-last / NCHW", "round ratios min–max", "NCHW spread", "channels-last spread");

    public static ResultTable NewLayerNormTable() =>
        new("operators-layernorm", "LayerNorm2d forward + backward: permute + layer_norm (timm's) against a channel-wise formulation, interleaved rounds",
            "model", "px", "input", "modules", "permute ms", "channel-wise ms", "channel-wise / permute", "round ratios min–max");

    /// <summary>Bare loops of the model in both layouts, in interleaved rounds.</summary>
    public static void CompareLayouts(string model, int size, BenchmarkOptions options, ResultTable table)
    {
        using var nchw = new BareLoop(model, size, options.BatchSize, new LoopSettings("NCHW", ChannelsLast: false));
        using var channelsLast = new BareLoop(model, size, options.BatchSize, new LoopSettings("channels-last", ChannelsLast: true));
        var (steps, _) = TrainingSection.ChooseSteps(nchw, options);
        channelsLast.Run(Math.Max(1, options.WarmupSteps));
        var loops = new[] { new MeasuredLoop("NCHW", () => nchw.Run(steps)), new MeasuredLoop("channels-last", () => channelsLast.Run(steps)) };
        Interleaved.Run(loops, options.Rounds, line => RunReport.Progress($"  {model}@{size} layout: {line}"));
        var ratios = Stats.Of(loops[1].Rounds.Zip(loops[0].Rounds, (a, b) => a.ImagesPerSecond / b.ImagesPerSecond).ToList());
        table.Add(model, size, ModelCatalog.Describe(model).ChannelsLastOnCpu ? "channels-last" : "NCHW", $"{steps} × {options.Rounds}",
            loops[0].ImagesPerSecond.Median, loops[1].ImagesPerSecond.Median, ratios.Median, $"{ResultTable.FormatDouble(ratios.Min)}–{ResultTable.FormatDouble(ratios.Max)}",
            TrainingSection.Percent(loops[0].ImagesPerSecond.RelativeSpread), TrainingSection.Percent(loops[1].ImagesPerSecond.RelativeSpread));
    }

    /// <summary>For each input shape the model's LayerNorm2d modules see (in its catalog layout), both formulations timed in interleaved rounds.</summary>
    public static void CompareLayerNorms(string model, int size, BenchmarkOptions options, ResultTable table)
    {
        var shapes = LayerNormInputs(model, size, options.BatchSize);
        foreach (var ((shape, channelsLast), count) in shapes)
        {
            using var input = Layout.Input(randn(shape), bf16: false, channelsLast && shape.Length == 4);
            long channels = shape[1];
            using var weight = ones(channels).requires_grad_(true);
            using var bias = zeros(channels).requires_grad_(true);
            var permute = new List<double>();
            var channelWise = new List<double>();
            int reps = 20;
            for (int round = -1; round < options.Rounds; round++)
            {
                // Alternate which goes first; round -1 is the untimed warm-up.
                bool permuteFirst = round % 2 == 0;
                double a = permuteFirst ? Time(() => Permuted(input, weight, bias), reps) : 0;
                double b = Time(() => ChannelWise(input, weight, bias), reps);
                if (!permuteFirst)
                {
                    a = Time(() => Permuted(input, weight, bias), reps);
                }
                if (round >= 0)
                {
                    permute.Add(a);
                    channelWise.Add(b);
                }
            }
            var ratios = Stats.Of(channelWise.Zip(permute, (c, p) => c / p).ToList());
            table.Add(model, size, string.Join("×", shape) + (channelsLast ? " (channels-last)" : ""), count,
                count * Stats.Of(permute).Median, count * Stats.Of(channelWise).Median, ratios.Median,
                $"{ResultTable.FormatDouble(ratios.Min)}–{ResultTable.FormatDouble(ratios.Max)}");
        }
    }

    /// <summary>timm's LayerNorm2d: layer_norm over the last dimension of the NHWC view.</summary>
    public static Tensor Permuted(Tensor x, Tensor weight, Tensor bias) =>
        nn.functional.layer_norm(x.permute(0, 2, 3, 1), [x.shape[1]], weight, bias, 1e-6).permute(0, 3, 1, 2);

    /// <summary>The same normalisation over dimension 1 of the NCHW tensor, without the permutes.</summary>
    public static Tensor ChannelWise(Tensor x, Tensor weight, Tensor bias)
    {
        var (variance, mean) = var_mean(x, [1L], unbiased: false, keepdim: true);
        return (x - mean) * (variance + 1e-6).rsqrt() * weight.reshape(1, -1, 1, 1) + bias.reshape(1, -1, 1, 1);
    }

    /// <summary>Mean ms of forward + backward (random output gradient) over <paramref name="reps"/> runs.</summary>
    private static double Time(Func<Tensor> forward, int reps)
    {
        long ticks = 0;
        for (int i = 0; i < reps; i++)
        {
            using var scope = NewDisposeScope();
            var x = forward();
            var gradient = randn_like(x);
            long t0 = Stopwatch.GetTimestamp();
            using (var _ = NewDisposeScope())
            {
                var y = forward();
                y.backward([gradient]);
            }
            ticks += Stopwatch.GetTimestamp() - t0;
        }
        return ticks * 1000.0 / Stopwatch.Frequency / reps;
    }

    /// <summary>Input shapes of the model's LayerNorm2d modules in a training forward, with how many modules see each.</summary>
    private static IReadOnlyList<KeyValuePair<(long[] Shape, bool ChannelsLast), int>> LayerNormInputs(string model, int size, int batchSize)
    {
        using var network = ModelCatalog.Create(model, numClasses: 10, inChannels: 3);
        bool channelsLast = ModelCatalog.Describe(model).ChannelsLastOnCpu;
        Layout.Apply(network, bf16: false, channelsLast);
        var counts = new Dictionary<string, (long[] Shape, bool ChannelsLast, int Count)>(StringComparer.Ordinal);
        var removers = new List<Action>();
        foreach (var (_, module) in network.named_modules())
        {
            if (module is LayerNorm2d norm)
            {
                var handle = norm.register_forward_hook((_, input, output) =>
                {
                    // Channels-last when the channel stride is 1 (NHWC order in memory).
                    bool inputChannelsLast = input.dim() == 4 && input.stride(1) == 1 && input.shape[1] > 1;
                    string key = string.Join("×", input.shape) + inputChannelsLast;
                    counts[key] = counts.TryGetValue(key, out var c) ? c with { Count = c.Count + 1 } : (input.shape, inputChannelsLast, 1);
                    return output;
                });
                removers.Add(handle.remove);
            }
        }
        try
        {
            using var scope = NewDisposeScope();
            network.train();
            network.call(Layout.Input(randn(batchSize, 3, size, size), bf16: false, channelsLast));
        }
        finally
        {
            removers.ForEach(r => r());
        }
        return [.. counts.Values.Select(c => new KeyValuePair<(long[], bool), int>((c.Shape, c.ChannelsLast), c.Count))];
    }
}
