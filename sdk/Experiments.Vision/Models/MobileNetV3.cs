using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Experiments.Vision.Models;

// TorchSharp names a module's parameters, buffers and submodules after its fields, and those names are the state-dict
// keys (timm's, so that checkpoints and pretrained weights map one to one): module classes keep PyTorch's field names,
// not the repository's _camelCase.
#pragma warning disable IDE1006

/// <summary>Block type of a <see cref="MobileNetV3"/> stage (timm's block string prefix).</summary>
public enum MobileNetBlock
{
    /// <summary><c>ds</c>: depthwise-separable (timm <c>DepthwiseSeparableConv</c>): depthwise k×k, [SE,] pointwise 1×1.</summary>
    DepthwiseSeparable,

    /// <summary><c>ir</c>: inverted residual (timm <c>InvertedResidual</c>): 1×1 expansion, depthwise k×k, [SE,] 1×1 projection.</summary>
    InvertedResidual,

    /// <summary><c>cn</c>: convolution, BatchNorm, activation (timm <c>ConvBnAct</c>).</summary>
    ConvBnAct,
}

/// <summary>One block of a <see cref="MobileNetV3"/> (one repeat of a timm block string such as <c>ir_r3_k5_s2_e3_c40_se0.25_nre</c>).</summary>
/// <param name="Type">Block type.</param>
/// <param name="Kernel">Depthwise kernel side (the convolution's for <see cref="MobileNetBlock.ConvBnAct"/>).</param>
/// <param name="Stride">Stride of the depthwise convolution.</param>
/// <param name="Expansion">Expansion ratio of an inverted residual (timm <c>e</c>): inner width make_divisible(in × ratio, 8).</param>
/// <param name="OutChannels">Output channels (timm <c>c</c>).</param>
/// <param name="SqueezeExcite">Squeeze-and-excitation at ratio 0.25 of the inner width (timm <c>se0.25</c>).</param>
/// <param name="HardSwish">Hard-swish activation; false: ReLU (timm <c>nre</c>).</param>
public sealed record MobileNetBlockSpec(MobileNetBlock Type, int Kernel, int Stride, double Expansion, int OutChannels, bool SqueezeExcite, bool HardSwish);

/// <summary>Shape of a <see cref="MobileNetV3"/> (timm <c>_gen_mobilenet_v3</c> at channel multiplier 1.0).</summary>
/// <param name="Stages">Blocks per stage (<c>blocks.i.j</c>).</param>
/// <param name="NumFeatures">Output channels of <c>conv_head</c>, the 1×1 convolution after pooling.</param>
public sealed record MobileNetV3Config(MobileNetBlockSpec[][] Stages, int NumFeatures)
{
    public const int StemSize = 16;

    private static MobileNetBlockSpec Ds(int k, int s, int c, bool se, bool hs) => new(MobileNetBlock.DepthwiseSeparable, k, s, 1, c, se, hs);

    private static MobileNetBlockSpec Ir(int k, int s, double e, int c, bool se, bool hs) => new(MobileNetBlock.InvertedResidual, k, s, e, c, se, hs);

    private static MobileNetBlockSpec Cn(int c) => new(MobileNetBlock.ConvBnAct, 1, 1, 1, c, false, true);

    /// <summary>The block repeated <paramref name="repeats"/> times, the stride on the first only (timm's <c>r</c>).</summary>
    private static IEnumerable<MobileNetBlockSpec> Repeat(MobileNetBlockSpec block, int repeats) =>
        Enumerable.Range(0, repeats).Select(i => i == 0 ? block : block with { Stride = 1 });

    /// <summary>
    /// timm <c>mobilenetv3_large_100</c>: <c>ds_r1_k3_s1_e1_c16_nre</c>; <c>ir_r1_k3_s2_e4_c24_nre, ir_r1_k3_s1_e3_c24_nre</c>;
    /// <c>ir_r3_k5_s2_e3_c40_se0.25_nre</c>; <c>ir_r1_k3_s2_e6_c80, ir_r1_k3_s1_e2.5_c80, ir_r2_k3_s1_e2.3_c80</c>;
    /// <c>ir_r2_k3_s1_e6_c112_se0.25</c>; <c>ir_r3_k5_s2_e6_c160_se0.25</c>; <c>cn_r1_k1_s1_c960</c>; head 1280.
    /// </summary>
    public static MobileNetV3Config Large100 { get; } = new(
    [
        [Ds(3, 1, 16, se: false, hs: false)],
        [Ir(3, 2, 4, 24, se: false, hs: false), Ir(3, 1, 3, 24, se: false, hs: false)],
        [.. Repeat(Ir(5, 2, 3, 40, se: true, hs: false), 3)],
        [Ir(3, 2, 6, 80, se: false, hs: true), Ir(3, 1, 2.5, 80, se: false, hs: true), .. Repeat(Ir(3, 1, 2.3, 80, se: false, hs: true), 2)],
        [.. Repeat(Ir(3, 1, 6, 112, se: true, hs: true), 2)],
        [.. Repeat(Ir(5, 2, 6, 160, se: true, hs: true), 3)],
        [Cn(960)],
    ], NumFeatures: 1280);

    /// <summary>
    /// timm <c>mobilenetv3_small_100</c>: <c>ds_r1_k3_s2_e1_c16_se0.25_nre</c>; <c>ir_r1_k3_s2_e4.5_c24_nre, ir_r1_k3_s1_e3.67_c24_nre</c>;
    /// <c>ir_r1_k5_s2_e4_c40_se0.25, ir_r2_k5_s1_e6_c40_se0.25</c>; <c>ir_r2_k5_s1_e3_c48_se0.25</c>;
    /// <c>ir_r3_k5_s2_e6_c96_se0.25</c>; <c>cn_r1_k1_s1_c576</c>; head 1024.
    /// </summary>
    public static MobileNetV3Config Small100 { get; } = new(
    [
        [Ds(3, 2, 16, se: true, hs: false)],
        [Ir(3, 2, 4.5, 24, se: false, hs: false), Ir(3, 1, 3.67, 24, se: false, hs: false)],
        [Ir(5, 2, 4, 40, se: true, hs: true), .. Repeat(Ir(5, 1, 6, 40, se: true, hs: true), 2)],
        [.. Repeat(Ir(5, 1, 3, 48, se: true, hs: true), 2)],
        [.. Repeat(Ir(5, 2, 6, 96, se: true, hs: true), 3)],
        [Cn(576)],
    ], NumFeatures: 1024);
}

/// <summary>
/// MobileNetV3 as timm's <c>MobileNetV3</c> (<c>timm/models/mobilenetv3.py</c>, blocks from <c>_efficientnet_blocks.py</c>):
/// <c>conv_stem</c> (3×3/2) and <c>bn1</c> with hard-swish, <c>blocks.i.j</c> — depthwise-separable
/// <c>{conv_dw, bn1, [se,] conv_pw, bn2}</c>, inverted residual <c>{conv_pw, bn1, conv_dw, bn2, [se,] conv_pwl, bn3}</c>,
/// the last <c>{conv, bn1}</c> — squeeze-excite <c>se.{conv_reduce, conv_expand}</c> (ReLU, hard-sigmoid gate), then the
/// "efficient head": global average pool, <c>conv_head</c> (1×1 with bias), hard-swish, <c>classifier</c>. BatchNorm eps
/// 1e-5 (timm's default, not TensorFlow's). As timm's <c>forward_features</c> (fastai's body), <see cref="ForwardBody"/>
/// stops after the blocks: <c>conv_head</c> belongs to the reference head and is unused in a <see cref="VisionModel"/>.
/// </summary>
public sealed class MobileNetV3 : ImageModel
{
    private readonly Conv2d conv_stem;
    private readonly BatchNorm2d bn1;
    private readonly Sequential blocks;
    private readonly Conv2d conv_head;
    private readonly Module<Tensor, Tensor> classifier;

    private readonly int numFeatures;

    public MobileNetV3(MobileNetV3Config config, int numClasses = 1000, int inChannels = 3) : base(nameof(MobileNetV3), numClasses, inChannels)
    {
        conv_stem = Conv2d(inChannels, MobileNetV3Config.StemSize, 3, stride: 2, padding: 1, bias: false);
        bn1 = BatchNorm2d(MobileNetV3Config.StemSize);
        blocks = Sequential();
        long channels = MobileNetV3Config.StemSize;
        foreach (var stage in config.Stages)
        {
            var sequence = Sequential();
            foreach (var spec in stage)
            {
                sequence.append(spec.Type switch
                {
                    MobileNetBlock.DepthwiseSeparable => new DepthwiseSeparableConv(channels, spec),
                    MobileNetBlock.InvertedResidual => new InvertedResidual(channels, spec),
                    _ => new ConvBnAct(channels, spec),
                });
                channels = spec.OutChannels;
            }
            blocks.append(sequence);
        }
        numFeatures = (int)channels;
        conv_head = Conv2d(channels, config.NumFeatures, 1, bias: true);
        classifier = numClasses > 0 ? Linear(config.NumFeatures, numClasses) : Identity();
        RegisterComponents();
        Initialize();
    }

    /// <summary>Channels of the last block (960 for large, 576 for small): what fastai's head pools.</summary>
    public override int NumFeatures => numFeatures;

    public override IReadOnlyList<string> ClassifierKeyPrefixes { get; } = ["classifier."];

    public override Tensor ForwardBody(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = functional.hardswish(bn1.call(conv_stem.call(input)));
        return blocks.call(x).MoveToOuterDisposeScope();
    }

    protected override Tensor ForwardHead(Tensor features)
    {
        using var scope = NewDisposeScope();
        var x = functional.hardswish(conv_head.call(functional.adaptive_avg_pool2d(features, 1)));
        return classifier.call(x.flatten(1)).MoveToOuterDisposeScope();
    }

    /// <summary>timm's <c>make_divisible(v, 8)</c>: the nearest multiple of 8 (at least 8), raised by 8 when that loses more than 10 %.</summary>
    internal static long MakeDivisible(double value, int divisor = 8)
    {
        long rounded = Math.Max(divisor, (long)(value + divisor / 2.0) / divisor * divisor);
        return rounded < 0.9 * value ? rounded + divisor : rounded;
    }

    /// <summary>
    /// timm's <c>efficientnet_init_weights</c> (<c>_init_weight_goog</c>): convolutions normal(0, √(2 / fan-out)) with
    /// fan-out = k·k·out / groups and zero bias, BatchNorm 1 and 0, Linear uniform(±1/√out) with zero bias.
    /// </summary>
    private void Initialize()
    {
        using var _ = no_grad();
        foreach (var (_, module) in named_modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    var shape = conv.weight.shape; // (out, in / groups, k, k)
                    long fanOut = shape[0] * shape[2] * shape[3] / conv.groups;
                    init.normal_(conv.weight, 0, Math.Sqrt(2.0 / fanOut));
                    conv.bias?.zero_();
                    break;
                case Linear linear:
                    double range = 1.0 / Math.Sqrt(linear.weight.shape[0]);
                    init.uniform_(linear.weight, -range, range);
                    linear.bias?.zero_();
                    break;
            }
        }
        Layers.ResetBatchNorm(this);
    }

    private static Tensor Activate(Tensor x, bool hardSwish) => hardSwish ? functional.hardswish(x) : functional.relu(x);

    /// <summary>timm's <c>SqueezeExcite</c> of the EfficientNet family: mean → <c>conv_reduce</c> → ReLU → <c>conv_expand</c> → hard-sigmoid gate.</summary>
    private sealed class SqueezeExcite : Module<Tensor, Tensor>
    {
        private readonly Conv2d conv_reduce;
        private readonly Conv2d conv_expand;

        public SqueezeExcite(long channels) : base(nameof(SqueezeExcite))
        {
            long reduced = MakeDivisible(channels * 0.25);
            conv_reduce = Conv2d(channels, reduced, 1, bias: true);
            conv_expand = Conv2d(reduced, channels, 1, bias: true);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var se = conv_expand.call(functional.relu(conv_reduce.call(input.mean([2, 3], keepdim: true))));
            return (input * functional.hardsigmoid(se)).MoveToOuterDisposeScope();
        }
    }

    private sealed class DepthwiseSeparableConv : Module<Tensor, Tensor>
    {
        private readonly Conv2d conv_dw;
        private readonly BatchNorm2d bn1;
        private readonly SqueezeExcite? se;
        private readonly Conv2d conv_pw;
        private readonly BatchNorm2d bn2;
        private readonly bool hardSwish;
        private readonly bool hasSkip;

        public DepthwiseSeparableConv(long inChannels, MobileNetBlockSpec spec) : base(nameof(DepthwiseSeparableConv))
        {
            conv_dw = Conv2d(inChannels, inChannels, spec.Kernel, stride: spec.Stride, padding: Layers.SymmetricPadding(spec.Kernel, spec.Stride),
                groups: inChannels, bias: false);
            bn1 = BatchNorm2d(inChannels);
            se = spec.SqueezeExcite ? new SqueezeExcite(inChannels) : null;
            conv_pw = Conv2d(inChannels, spec.OutChannels, 1, bias: false);
            bn2 = BatchNorm2d(spec.OutChannels);
            hardSwish = spec.HardSwish;
            hasSkip = spec.Stride == 1 && inChannels == spec.OutChannels;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var x = Activate(bn1.call(conv_dw.call(input)), hardSwish);
            if (se is not null)
            {
                x = se.call(x);
            }
            x = bn2.call(conv_pw.call(x));
            return (hasSkip ? Layers.Add(x, input) : x).MoveToOuterDisposeScope();
        }
    }

    private sealed class InvertedResidual : Module<Tensor, Tensor>
    {
        private readonly Conv2d conv_pw;
        private readonly BatchNorm2d bn1;
        private readonly Conv2d conv_dw;
        private readonly BatchNorm2d bn2;
        private readonly SqueezeExcite? se;
        private readonly Conv2d conv_pwl;
        private readonly BatchNorm2d bn3;
        private readonly bool hardSwish;
        private readonly bool hasSkip;

        public InvertedResidual(long inChannels, MobileNetBlockSpec spec) : base(nameof(InvertedResidual))
        {
            long mid = MakeDivisible(inChannels * spec.Expansion);
            conv_pw = Conv2d(inChannels, mid, 1, bias: false);
            bn1 = BatchNorm2d(mid);
            conv_dw = Conv2d(mid, mid, spec.Kernel, stride: spec.Stride, padding: Layers.SymmetricPadding(spec.Kernel, spec.Stride), groups: mid, bias: false);
            bn2 = BatchNorm2d(mid);
            se = spec.SqueezeExcite ? new SqueezeExcite(mid) : null;
            conv_pwl = Conv2d(mid, spec.OutChannels, 1, bias: false);
            bn3 = BatchNorm2d(spec.OutChannels);
            hardSwish = spec.HardSwish;
            hasSkip = spec.Stride == 1 && inChannels == spec.OutChannels;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var x = Activate(bn1.call(conv_pw.call(input)), hardSwish);
            x = Activate(bn2.call(conv_dw.call(x)), hardSwish);
            if (se is not null)
            {
                x = se.call(x);
            }
            x = bn3.call(conv_pwl.call(x));
            return (hasSkip ? Layers.Add(x, input) : x).MoveToOuterDisposeScope();
        }
    }

    private sealed class ConvBnAct : Module<Tensor, Tensor>
    {
        private readonly Conv2d conv;
        private readonly BatchNorm2d bn1;
        private readonly bool hardSwish;

        public ConvBnAct(long inChannels, MobileNetBlockSpec spec) : base(nameof(ConvBnAct))
        {
            conv = Conv2d(inChannels, spec.OutChannels, spec.Kernel, stride: spec.Stride, padding: Layers.SymmetricPadding(spec.Kernel, spec.Stride), bias: false);
            bn1 = BatchNorm2d(spec.OutChannels);
            hardSwish = spec.HardSwish;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) => Activate(bn1.call(conv.call(input)), hardSwish);
    }
}
