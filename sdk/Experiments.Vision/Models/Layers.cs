using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Experiments.Vision.Models;

// TorchSharp names a module's parameters, buffers and submodules after its fields, and those names are the state-dict
// keys (timm's, so that checkpoints and pretrained weights map one to one): module classes keep PyTorch's field names,
// not the repository's _camelCase.
#pragma warning disable IDE1006

// Building blocks shared by the model families. Field names are PyTorch's (they become state-dict keys).

/// <summary>
/// LayerNorm over the channels of an NCHW tensor (timm <c>LayerNorm2d</c>): keys <c>weight</c>, <c>bias</c>.
/// </summary>
public sealed class LayerNorm2d : Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly long[] shape;
    private readonly double eps;

    public LayerNorm2d(long channels, double eps = 1e-6) : base(nameof(LayerNorm2d))
    {
        weight = new Parameter(ones(channels));
        bias = new Parameter(zeros(channels));
        shape = [channels];
        this.eps = eps;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = functional.layer_norm(input.permute(0, 2, 3, 1), shape, weight, bias, eps).permute(0, 3, 1, 2);
        return x.MoveToOuterDisposeScope();
    }
}

/// <summary>Convolution, BatchNorm and optionally ReLU (timm <c>ConvNormAct</c>): keys <c>conv</c>, <c>bn</c>.</summary>
public sealed class ConvNormAct : Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly BatchNorm2d bn;
    private readonly bool applyActivation;

    public ConvNormAct(long inChannels, long outChannels, long kernelSize, long stride = 1, long groups = 1, bool activation = true)
        : base(nameof(ConvNormAct))
    {
        conv = Conv2d(inChannels, outChannels, kernelSize, stride: stride, padding: Layers.SymmetricPadding(kernelSize, stride),
            groups: groups, bias: false);
        bn = BatchNorm2d(outChannels);
        applyActivation = activation;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        var x = bn.call(conv.call(input));
        return applyActivation ? functional.relu(x) : x;
    }
}

/// <summary>
/// Squeeze-and-excitation with 1×1 convolutions (timm <c>SEModule</c>): mean over H×W → <c>fc1</c> → ReLU →
/// <c>fc2</c> → sigmoid gate.
/// </summary>
public sealed class SqueezeExcite : Module<Tensor, Tensor>
{
    private readonly Conv2d fc1;
    private readonly Conv2d fc2;

    public SqueezeExcite(long channels, long reducedChannels) : base(nameof(SqueezeExcite))
    {
        fc1 = Conv2d(channels, reducedChannels, 1, bias: true);
        fc2 = Conv2d(reducedChannels, channels, 1, bias: true);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var se = input.mean([2, 3], keepdim: true);
        se = fc2.call(functional.relu(fc1.call(se)));
        return (input * functional.sigmoid(se)).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// Two-layer MLP with exact GELU (timm <c>Mlp</c>): <c>fc1</c>, <c>fc2</c> as <c>Linear</c> on the last dimension, or
/// as 1×1 convolutions on NCHW with <c>useConv</c> (timm <c>use_conv=True</c>).
/// </summary>
public sealed class Mlp : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> fc1;
    private readonly Module<Tensor, Tensor> fc2;

    public Mlp(long features, long hiddenFeatures, bool useConv = false) : base(nameof(Mlp))
    {
        fc1 = useConv ? Conv2d(features, hiddenFeatures, 1, bias: true) : Linear(features, hiddenFeatures, hasBias: true);
        fc2 = useConv ? Conv2d(hiddenFeatures, features, 1, bias: true) : Linear(hiddenFeatures, features, hasBias: true);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => fc2.call(functional.gelu(fc1.call(input)));
}

/// <summary>fastai's <c>AdaptiveConcatPool2d</c>: max pool and average pool to 1×1, concatenated (max first).</summary>
public sealed class AdaptiveConcatPool2d : Module<Tensor, Tensor>
{
    public AdaptiveConcatPool2d() : base(nameof(AdaptiveConcatPool2d))
    {
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = cat([functional.adaptive_max_pool2d(input, [1, 1]), functional.adaptive_avg_pool2d(input, 1)], 1);
        return x.MoveToOuterDisposeScope();
    }
}

internal static class Layers
{
    /// <summary>
    /// The alpha of <c>a.add(b, alpha)</c>, created once. <c>a + b</c> (and <c>a.add(b)</c>) in TorchSharp 0.107 converts 1 to a
    /// temporary <see cref="Scalar"/> that nothing keeps alive during the native call, so its finalizer can free it while
    /// libtorch still reads it (a rare crash under GC pressure); a static one lives as long as the process.
    /// </summary>
    public static readonly Scalar One = 1.ToScalar();

    /// <summary><c>a + b</c> without a temporary scalar (see <see cref="One"/>).</summary>
    public static Tensor Add(Tensor a, Tensor b) => a.add(b, One);

    /// <summary>
    /// A stride-1 convolution whose padding is its kernel's reach (<paramref name="reach"/> taps each side of the centre,
    /// a (2·reach + 1)² kernel, as every "same" convolution here). On a map of fewer than reach + 1 px a side only the
    /// kernel's central (2·side − 1) taps ever meet the image — the others multiply the zero padding — so it runs with
    /// that part of the kernel (a view of the weight: the other taps' gradients stay zero, as they are): the same values
    /// with up to (2·reach + 1)² times fewer products. The cropped call does not go through <c>conv.call</c>, so it runs
    /// no module hooks.
    /// </summary>
    public static Tensor ConvolveCropped(Conv2d conv, Tensor input, long reach)
    {
        long reachH = Math.Min(reach, input.shape[2] - 1), reachW = Math.Min(reach, input.shape[3] - 1);
        if (reachH == reach && reachW == reach)
        {
            return conv.call(input);
        }
        var weight = conv.weight.narrow(2, reach - reachH, (2 * reachH) + 1).narrow(3, reach - reachW, (2 * reachW) + 1);
        return functional.conv2d(input, weight, conv.bias, padding: [reachH, reachW], groups: conv.groups);
    }

    /// <summary>timm's symmetric padding for a convolution: <c>((stride - 1) + (kernel - 1)) / 2</c>.</summary>
    public static long SymmetricPadding(long kernelSize, long stride) => ((stride - 1) + (kernelSize - 1)) / 2;

    /// <summary>Sets a tensor's values without recording the operation for autograd.</summary>
    public static void Fill(Tensor tensor, double value)
    {
        using var _ = no_grad();
        tensor.fill_(value);
    }

    /// <summary>
    /// Fills <paramref name="values"/> from a normal distribution N(0, <paramref name="std"/>²) truncated to the absolute
    /// bounds [<paramref name="low"/>, <paramref name="high"/>], as PyTorch's <c>nn.init.trunc_normal_</c> (inverse-CDF
    /// method). TorchSharp 0.107's <c>init.trunc_normal_</c> fills the tensor with the value of <c>std</c> instead.
    /// </summary>
    public static void TruncatedNormal(Tensor values, double std, double low = -2, double high = 2)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        double NormalCdf(double x) => 0.5 * (1 + tensor(x / (std * Math.Sqrt(2)), ScalarType.Float64).erf().item<double>());
        double lower = NormalCdf(low), upper = NormalCdf(high);
        values.uniform_(2 * lower - 1, 2 * upper - 1);
        values.erfinv_();
        values.mul_(std * Math.Sqrt(2));
        values.clamp_(low, high);
    }

    /// <summary>The default initialisation of BatchNorm layers: weight 1, bias 0.</summary>
    public static void ResetBatchNorm(Module module)
    {
        foreach (var (_, child) in module.named_modules())
        {
            if (child is BatchNorm2d bn)
            {
                Fill(bn.weight!, 1);
                Fill(bn.bias!, 0);
            }
        }
    }
}
