using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Experiments.Vision.Models;

// TorchSharp names a module's parameters, buffers and submodules after its fields, and those names are the state-dict
// keys (timm's, so that checkpoints and pretrained weights map one to one): module classes keep PyTorch's field names,
// not the repository's _camelCase.
#pragma warning disable IDE1006

/// <summary>Shape of a <see cref="RegNet"/> (RegNet-Y: squeeze-excitation ratio 0.25, bottleneck ratio 1, stem 32).</summary>
/// <param name="Widths">Output channels per stage (s1..s4), as timm's <c>generate_regnet</c> quantises them.</param>
/// <param name="Depths">Blocks per stage.</param>
/// <param name="GroupWidth">Channels per group of the 3×3 convolution.</param>
public sealed record RegNetConfig(int[] Widths, int[] Depths, int GroupWidth)
{
    /// <summary>timm <c>regnety_002</c> (RegNetY-200MF: w0=24, wa=36.44, wm=2.49, depth 13, group 8).</summary>
    public static RegNetConfig Y002 { get; } = new([24, 56, 152, 368], [1, 1, 4, 7], 8);

    /// <summary>timm <c>regnety_004</c> (RegNetY-400MF: w0=48, wa=27.89, wm=2.09, depth 16, group 8).</summary>
    public static RegNetConfig Y004 { get; } = new([48, 104, 208, 440], [1, 3, 6, 6], 8);
}

/// <summary>
/// RegNet-Y as timm's <c>RegNet</c> (<c>timm/models/regnet.py</c>): <c>stem.{conv,bn}</c>,
/// <c>s1..s4.bK.{conv1,conv2,conv3}.{conv,bn}</c>, squeeze-excitation <c>bK.se.{fc1,fc2}</c> after conv2 with
/// round(0.25 × block input) channels, shortcut <c>bK.downsample.{conv,bn}</c> (1×1, stride 2) on each stage's first
/// block, <c>head.fc</c>.
/// </summary>
public sealed class RegNet : ImageModel
{
    private const int StemWidth = 32;
    private const double SeRatio = 0.25;

    private readonly ConvNormAct stem;
    private readonly Stage s1;
    private readonly Stage s2;
    private readonly Stage s3;
    private readonly Stage s4;
    private readonly ClassifierHead head;

    private readonly int numFeatures;

    public RegNet(RegNetConfig config, int numClasses = 1000, int inChannels = 3) : base(nameof(RegNet), numClasses, inChannels)
    {
        stem = new ConvNormAct(inChannels, StemWidth, 3, stride: 2);
        var w = config.Widths;
        var d = config.Depths;
        s1 = new Stage(StemWidth, w[0], d[0], config.GroupWidth);
        s2 = new Stage(w[0], w[1], d[1], config.GroupWidth);
        s3 = new Stage(w[1], w[2], d[2], config.GroupWidth);
        s4 = new Stage(w[2], w[3], d[3], config.GroupWidth);
        numFeatures = w[3];
        head = new ClassifierHead(numFeatures, numClasses);
        RegisterComponents();
        Initialize();
    }

    public override int NumFeatures => numFeatures;

    public override IReadOnlyList<string> ClassifierKeyPrefixes { get; } = ["head.fc."];

    public override Tensor ForwardBody(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = s4.call(s3.call(s2.call(s1.call(stem.call(input)))));
        return x.MoveToOuterDisposeScope();
    }

    protected override Tensor ForwardHead(Tensor features) => head.call(features);

    /// <summary>
    /// timm's <c>_init_weights</c>: convolutions normal(0, √(2 / fan-out)) with fan-out = k·k·out / groups, Linear
    /// normal(0, 0.01) with zero bias, BatchNorm 1 and 0, and the last BatchNorm of each block zero (<c>zero_init_last</c>).
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
                    init.normal_(linear.weight, 0, 0.01);
                    linear.bias?.zero_();
                    break;
            }
        }
        Layers.ResetBatchNorm(this);
        foreach (var (_, module) in named_modules())
        {
            (module as Bottleneck)?.ZeroInitLastNorm();
        }
    }

    /// <summary>timm's <c>RegStage</c>: blocks registered as <c>b1</c>, <c>b2</c>, ….</summary>
    private sealed class Stage : Module<Tensor, Tensor>
    {
        private readonly List<Bottleneck> blocks = [];

        public Stage(long inChannels, long outChannels, int depth, int groupWidth) : base("RegStage")
        {
            for (int i = 0; i < depth; i++)
            {
                var block = new Bottleneck(i == 0 ? inChannels : outChannels, outChannels, i == 0 ? 2 : 1, groupWidth);
                register_module($"b{i + 1}", block);
                blocks.Add(block);
            }
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            var x = input;
            foreach (var block in blocks)
            {
                x = block.call(x);
            }
            return x;
        }
    }

    private sealed class Bottleneck : Module<Tensor, Tensor>
    {
        private readonly ConvNormAct conv1;
        private readonly ConvNormAct conv2;
        private readonly SqueezeExcite se;
        private readonly ConvNormAct conv3;
        private readonly Module<Tensor, Tensor>? downsample;

        public Bottleneck(long inChannels, long outChannels, long stride, int groupWidth) : base("RegNetBottleneck")
        {
            long bottleneck = outChannels; // bottle_ratio 1
            conv1 = new ConvNormAct(inChannels, bottleneck, 1);
            conv2 = new ConvNormAct(bottleneck, bottleneck, 3, stride: stride, groups: bottleneck / groupWidth);
            se = new SqueezeExcite(bottleneck, (long)Math.Round(inChannels * SeRatio, MidpointRounding.ToEven));
            conv3 = new ConvNormAct(bottleneck, outChannels, 1, activation: false);
            if (inChannels != outChannels || stride != 1)
            {
                downsample = new ConvNormAct(inChannels, outChannels, 1, stride: stride, activation: false);
            }
            RegisterComponents();
        }

        public void ZeroInitLastNorm()
        {
            foreach (var (name, parameter) in conv3.named_parameters())
            {
                if (name == "bn.weight")
                {
                    parameter.zero_();
                }
            }
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var x = conv3.call(se.call(conv2.call(conv1.call(input))));
            var shortcut = downsample is null ? input : downsample.call(input);
            return functional.relu(Layers.Add(x, shortcut)).MoveToOuterDisposeScope();
        }
    }

    /// <summary>timm's <c>ClassifierHead</c>: global average pool → <c>fc</c>.</summary>
    private sealed class ClassifierHead : Module<Tensor, Tensor>
    {
        private readonly Module<Tensor, Tensor> fc;

        public ClassifierHead(long features, int numClasses) : base(nameof(ClassifierHead))
        {
            fc = numClasses > 0 ? Linear(features, numClasses) : Identity();
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) => fc.call(functional.adaptive_avg_pool2d(input, 1).flatten(1));
    }
}
