using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Experiments.Vision.Models;

// TorchSharp names a module's parameters, buffers and submodules after its fields, and those names are the state-dict
// keys (timm's, so that checkpoints and pretrained weights map one to one): module classes keep PyTorch's field names,
// not the repository's _camelCase.
#pragma warning disable IDE1006

/// <summary>Shape of a <see cref="ConvNeXt"/> (timm <c>timm/models/convnext.py</c> model functions).</summary>
/// <param name="Depths">Blocks per stage.</param>
/// <param name="Dims">Channels per stage.</param>
/// <param name="ConvMlp">timm's <c>conv_mlp</c>: 1×1 convolutions and LayerNorm2d in the blocks instead of channels-last Linear and LayerNorm.</param>
public sealed record ConvNeXtConfig(int[] Depths, int[] Dims, bool ConvMlp)
{
    // timm: convnext_atto/femto/pico/nano pass conv_mlp=True; convnext_tiny does not (Linear MLP).
    public static ConvNeXtConfig Atto { get; } = new([2, 2, 6, 2], [40, 80, 160, 320], ConvMlp: true);

    public static ConvNeXtConfig Femto { get; } = new([2, 2, 6, 2], [48, 96, 192, 384], ConvMlp: true);

    public static ConvNeXtConfig Pico { get; } = new([2, 2, 6, 2], [64, 128, 256, 512], ConvMlp: true);

    public static ConvNeXtConfig Nano { get; } = new([2, 2, 8, 2], [80, 160, 320, 640], ConvMlp: true);

    public static ConvNeXtConfig Tiny { get; } = new([3, 3, 9, 3], [96, 192, 384, 768], ConvMlp: false);
}

/// <summary>
/// ConvNeXt as timm's <c>ConvNeXt</c> (patch stem, <c>head_norm_first=False</c>, layer scale 1e-6, LayerNorm eps 1e-6,
/// exact GELU): <c>stem.{0: conv 4×4/4, 1: LayerNorm2d}</c>, <c>stages.i.downsample.{0: LayerNorm2d, 1: conv 2×2/2}</c>
/// for i ≥ 1, <c>stages.i.blocks.j.{conv_dw, norm, mlp.fc1, mlp.fc2, gamma}</c>, <c>head.norm</c>, <c>head.fc</c>.
/// </summary>
public sealed class ConvNeXt : ImageModel
{
    private readonly Sequential stem;
    private readonly Sequential stages;
    private readonly NormClassifierHead head;

    private readonly int numFeatures;

    public ConvNeXt(ConvNeXtConfig config, int numClasses = 1000, int inChannels = 3) : base(nameof(ConvNeXt), numClasses, inChannels)
    {
        var dims = config.Dims;
        stem = Sequential(
            Conv2d(inChannels, dims[0], 4, stride: 4, bias: true),
            new LayerNorm2d(dims[0]));

        stages = Sequential();
        long previous = dims[0];
        for (int i = 0; i < 4; i++)
        {
            stages.append(new Stage(previous, dims[i], stride: i > 0 ? 2 : 1, config.Depths[i], config.ConvMlp));
            previous = dims[i];
        }
        numFeatures = dims[3];
        head = new NormClassifierHead(numFeatures, numClasses);
        RegisterComponents();
        Initialize();
    }

    public override int NumFeatures => numFeatures;

    public override IReadOnlyList<string> ClassifierKeyPrefixes { get; } = ["head.fc."];

    /// <summary>The smallest input side: the stem (4×4/4) and three 2×2/2 downsamplings have no padding (stride 32).</summary>
    public const int MinInputSize = 32;

    public override Tensor ForwardBody(Tensor input)
    {
        if (input.dim() != 4 || input.shape[2] < MinInputSize || input.shape[3] < MinInputSize)
        {
            throw new ArgumentException(
                $"ConvNeXt takes (B, C, H, W) images with H and W of at least {MinInputSize} px (its downsampling has stride 32 without padding); got ({string.Join(", ", input.shape)}).",
                nameof(input));
        }
        using var scope = NewDisposeScope();
        return stages.call(stem.call(input)).MoveToOuterDisposeScope();
    }

    protected override Tensor ForwardHead(Tensor features) => head.call(features);

    /// <summary>timm's <c>_init_weights</c>: convolution and Linear weights truncated-normal (std 0.02), biases zero.</summary>
    private void Initialize()
    {
        using var _ = no_grad();
        foreach (var (_, module) in named_modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    Layers.TruncatedNormal(conv.weight, std: 0.02);
                    conv.bias?.zero_();
                    break;
                case Linear linear:
                    Layers.TruncatedNormal(linear.weight, std: 0.02);
                    linear.bias?.zero_();
                    break;
            }
        }
    }

    private sealed class Stage : Module<Tensor, Tensor>
    {
        private readonly Module<Tensor, Tensor> downsample;
        private readonly Sequential blocks;

        public Stage(long inChannels, long outChannels, long stride, int depth, bool convMlp) : base("ConvNeXtStage")
        {
            downsample = inChannels != outChannels || stride > 1
                ? Sequential(new LayerNorm2d(inChannels), Conv2d(inChannels, outChannels, 2, stride: stride, bias: true))
                : Identity();
            blocks = Sequential();
            for (int i = 0; i < depth; i++)
            {
                blocks.append(new Block(outChannels, convMlp));
            }
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) => blocks.call(downsample.call(input));
    }

    private sealed class Block : Module<Tensor, Tensor>
    {
        private const double LayerScaleInit = 1e-6;

        /// <summary>Taps of the 7×7 depthwise kernel on each side of its centre (its padding).</summary>
        private const long KernelReach = 3;

        private readonly Conv2d conv_dw;
        private readonly Module<Tensor, Tensor> norm;
        private readonly Mlp mlp;
        private readonly Parameter gamma;
        private readonly bool convMlp;

        public Block(long channels, bool convMlp) : base("ConvNeXtBlock")
        {
            conv_dw = Conv2d(channels, channels, 7, stride: 1, padding: 3, groups: channels, bias: true);
            norm = convMlp ? new LayerNorm2d(channels) : LayerNorm(channels, eps: 1e-6);
            mlp = new Mlp(channels, 4 * channels, useConv: convMlp);
            gamma = new Parameter(full(channels, LayerScaleInit));
            this.convMlp = convMlp;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            // 7×7, padding 3: on the last stages' 1×1 and 2×2 maps (at 32 and 64 px) only the kernel's centre meets the image.
            var x = Layers.ConvolveCropped(conv_dw, input, KernelReach);
            if (convMlp)
            {
                x = mlp.call(norm.call(x));
            }
            else
            {
                x = mlp.call(norm.call(x.permute(0, 2, 3, 1))).permute(0, 3, 1, 2);
            }
            x = x * gamma.reshape(1, -1, 1, 1);
            return Layers.Add(x, input).MoveToOuterDisposeScope();
        }
    }

    /// <summary>timm's <c>NormMlpClassifierHead</c> (no hidden layer): average pool → <c>norm</c> → flatten → <c>fc</c>.</summary>
    private sealed class NormClassifierHead : Module<Tensor, Tensor>
    {
        private readonly LayerNorm2d norm;
        private readonly Module<Tensor, Tensor> fc;

        public NormClassifierHead(long features, int numClasses) : base("NormMlpClassifierHead")
        {
            norm = new LayerNorm2d(features);
            fc = numClasses > 0 ? Linear(features, numClasses) : Identity();
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) =>
            fc.call(norm.call(functional.adaptive_avg_pool2d(input, 1)).flatten(1));
    }
}
