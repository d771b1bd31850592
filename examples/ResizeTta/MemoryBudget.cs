using System.Globalization;
using Experiments.Vision.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ResizeTtaExample;

/// <summary>
/// Gradient accumulation for the configurations that would not fit: the lesson's "some of these ran out of memory, so
/// I added <c>accum=True</c>" as a rule. Every trial has the same memory budget; a configuration whose estimated training
/// memory at the full batch is over it splits the batch into micro-batches (<c>Accumulation</c> 2, 4 or 8: the loader
/// gives <c>BatchSize / Accumulation</c> images at a time and the optimizer still steps once per <c>BatchSize</c> images,
/// fastai's <c>GradientAccumulation(64)</c>).
/// </summary>
/// <remarks>
/// The estimate is deliberately simple and is computed from the model itself: weights, gradients and AdamW's two
/// moments (4 × 4 bytes per parameter), plus, per image of a micro-batch, every layer's output of one forward pass
/// (float32) — what autograd keeps for the backward pass. It is measured with forward hooks on a throw-away copy of the
/// model at the trial's input size, so bigger models and bigger inputs need more, as on a GPU.
/// </remarks>
public static class MemoryBudget
{
    /// <summary>The memory a trial may use, declared once for the sweep (the "GPU" of this example).</summary>
    public const long BudgetBytes = 200L * 1024 * 1024;

    /// <summary>Accumulation steps tried, smallest first.</summary>
    public static IReadOnlyList<int> Choices { get; } = [1, 2, 4, 8];

    /// <summary>The plan of one configuration.</summary>
    /// <param name="Accumulation">Micro-batches per optimizer step.</param>
    /// <param name="MicroBatch">Images per micro-batch (<c>BatchSize / Accumulation</c>).</param>
    /// <param name="EstimateBytes">Estimated training memory with that micro-batch.</param>
    /// <param name="FullBatchBytes">Estimated training memory without accumulation.</param>
    /// <param name="StateBytes">Weights, gradients and optimizer state.</param>
    /// <param name="ActivationBytesPerImage">Layer outputs of one image.</param>
    public sealed record Plan(int Accumulation, int MicroBatch, long EstimateBytes, long FullBatchBytes, long StateBytes, long ActivationBytesPerImage)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"accumulation {Accumulation} (micro-batch {MicroBatch}): ~{EstimateBytes / 1048576.0:0} MiB, full batch ~{FullBatchBytes / 1048576.0:0} MiB, budget {BudgetBytes / 1048576} MiB");
    }

    /// <summary>Picks the smallest accumulation whose estimate fits <paramref name="budget"/>.</summary>
    /// <exception cref="InvalidOperationException">Not even the largest accumulation fits.</exception>
    public static Plan For(string architecture, int classes, int channels, int height, int width, int batchSize, long budget = BudgetBytes)
    {
        var (state, perImage) = Measure(architecture, classes, channels, height, width);
        long Estimate(int microBatch) => state + (microBatch * perImage);
        foreach (int accumulation in Choices)
        {
            if (batchSize % accumulation != 0 || batchSize / accumulation < 2)
            {
                break;
            }
            int micro = batchSize / accumulation;
            if (Estimate(micro) <= budget)
            {
                return new Plan(accumulation, micro, Estimate(micro), Estimate(batchSize), state, perImage);
            }
        }
        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
            $"{architecture} at {height}×{width} needs ~{Estimate(2) / 1048576.0:0} MiB even with micro-batches of 2; the budget is {budget / 1048576} MiB."));
    }

    /// <summary>Parameter state (bytes) and layer outputs of one image (bytes), from one forward pass with hooks.</summary>
    private static (long State, long PerImage) Measure(string architecture, int classes, int channels, int height, int width)
    {
        using var scope = NewDisposeScope();
        using var model = ModelCatalog.Create(architecture, classes, channels);
        long parameters = model.parameters().Sum(p => p.numel());
        long outputs = 0;
        // The copy is thrown away after this pass, hooks and all.
        foreach (var module in model.modules())
        {
            if (module is nn.Module<Tensor, Tensor> leaf && !module.children().Any())
            {
                leaf.register_forward_hook((_, _, output) =>
                {
                    outputs += output.numel();
                    return output;
                });
            }
        }
        model.eval();
        using (no_grad())
        {
            model.call(zeros(1, channels, height, width));
        }
        return (parameters * 4 * sizeof(float), outputs * sizeof(float));
    }
}
