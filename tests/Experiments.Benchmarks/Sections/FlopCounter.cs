using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Experiments.Benchmarks.Sections;

/// <summary>Forward FLOPs of one image, by kind.</summary>
/// <param name="Convolution">2 · (Cin / groups) · Cout · kh · kw · Hout · Wout per convolution.</param>
/// <param name="Linear">2 · in · out per token per Linear layer.</param>
/// <param name="Attention">
/// The two matrix products of attention, Q·Kᵀ and softmax·V: 2 · 2 · N² · D per attention layer and window (N tokens of a
/// window — all of them for a ViT —, D width).
/// </param>
public sealed record ModelFlops(double Convolution, double Linear, double Attention)
{
    public double Forward => Convolution + Linear + Attention;

    /// <summary>Training ≈ 3 × forward: the backward pass computes the gradients of the inputs and of the weights, each as costly as the forward product.</summary>
    public double Training => 3 * Forward;
}

/// <summary>
/// Counts a model's multiply-add FLOPs analytically over its module tree: a forward hook on every <c>Conv2d</c> and
/// <c>Linear</c> (and on the ViT and Swin attention modules, whose products are functional calls) reads the shapes of one forward
/// pass of a single image in eval mode and applies the formulas of <see cref="ModelFlops"/>. Element-wise work
/// (normalisation, activations, residual adds, pooling, softmax) is not counted: it is a few percent of the products
/// and memory-bound, not a matmul-like rate.
/// </summary>
public static class FlopCounter
{
    public static ModelFlops Count(nn.Module<Tensor, Tensor> model, int channels, int size)
    {
        double conv = 0, linear = 0, attention = 0;
        var removers = new List<Action>();
        foreach (var (_, module) in model.named_modules())
        {
            switch (module)
            {
                case Conv2d c:
                    removers.Add(Hook(c, (_, output) =>
                        // weight: (Cout, Cin / groups, kh, kw) → 2 · numel · Hout · Wout
                        conv += 2.0 * c.weight.numel() * output.shape[^2] * output.shape[^1] / output.shape[0]));
                    break;
                case Linear l:
                    removers.Add(Hook(l, (_, output) =>
                    {
                        long outFeatures = l.weight.shape[0], inFeatures = l.weight.shape[1];
                        double tokens = (double)output.numel() / outFeatures / output.shape[0];
                        linear += 2.0 * inFeatures * outFeatures * tokens;
                    }));
                    break;
                case nn.Module<Tensor, Tensor> m when m.GetType().Name is "Attention" or "WindowAttention":
                    removers.Add(Hook(m, (input, _) =>
                    {
                        // (windows, tokens, width) for a Swin's one image; (1, tokens, width) for a ViT's.
                        long windows = input.shape[0], tokens = input.shape[1], width = input.shape[2];
                        attention += 2.0 * 2.0 * windows * tokens * tokens * width;
                    }));
                    break;
            }
        }
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var _ = no_grad();
            using var scope = NewDisposeScope();
            model.call(randn(1, channels, size, size));
        }
        finally
        {
            model.train(wasTraining);
            foreach (var remove in removers)
            {
                remove();
            }
        }
        return new ModelFlops(conv, linear, attention);
    }

    private static Action Hook(nn.Module<Tensor, Tensor> module, Action<Tensor, Tensor> onForward)
    {
        var remover = module.register_forward_hook((_, input, output) =>
        {
            onForward(input, output);
            return output;
        });
        return remover.remove;
    }
}
