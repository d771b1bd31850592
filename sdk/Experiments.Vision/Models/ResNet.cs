using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Experiments.Vision.Models;

// TorchSharp names a module's parameters, buffers and submodules after its fields, and those names are the state-dict
// keys (timm's, so that checkpoints and pretrained weights map one to one): module classes keep PyTorch's field names,
// not the repository's _camelCase.
#pragma warning disable IDE1006

/// <summary>Residual block type of a <see cref="ResNet"/>.</summary>
public enum ResNetBlock
{
    /// <summary>Two 3×3 convolutions (ResNet-18/34); expansion 1.</summary>
    Basic,

    /// <summary>1×1 → 3×3 (stride here, "ResNet v1.5") → 1×1 convolutions (ResNet-50, ResNet-D); expansion 4.</summary>
    Bottleneck,
}

/// <summary>Shape of a <see cref="ResNet"/>.</summary>
/// <param name="Block">Residual block type.</param>
/// <param name="Layers">Blocks per stage (layer1..layer4).</param>
/// <param name="DeepStem">
/// timm's <c>stem_type='deep'</c>: three 3×3 convolutions (in → 32 → 32 → 64) as <c>conv1.{0,1,3,4,6}</c> instead of one 7×7.
/// </param>
/// <param name="AverageDown">timm's <c>avg_down</c>: shortcut downsample as 2×2 average pool then 1×1 convolution (<c>downsample.{0,1,2}</c>).</param>
/// <param name="ZeroInitLastNorm">timm's <c>zero_init_last</c> (true for timm models, false for torchvision's).</param>
/// <param name="Groups">
/// Groups of the Bottleneck's 3×3 convolution (torchvision's <c>groups</c>, timm's <c>cardinality</c>): more than 1 is a ResNeXt.
/// </param>
/// <param name="WidthPerGroup">
/// Channels per group at the first stage (torchvision's <c>width_per_group</c>, timm's <c>base_width</c>): the
/// Bottleneck's inner width is <c>planes × WidthPerGroup / 64 × Groups</c>.
/// </param>
public sealed record ResNetConfig(ResNetBlock Block, int[] Layers, bool DeepStem = false, bool AverageDown = false, bool ZeroInitLastNorm = false,
    int Groups = 1, int WidthPerGroup = 64)
{
    /// <summary>torchvision <c>resnet18</c> (== timm <c>resnet18</c> keys).</summary>
    public static ResNetConfig ResNet18 { get; } = new(ResNetBlock.Basic, [2, 2, 2, 2]);

    /// <summary>
    /// CNTK's <c>ResNet18_ImageNet1K</c> network: BasicBlocks (2, 2, 2, 3) — one more block in the last stage than
    /// torchvision's resnet18, so 20 layers with weights counted the usual way (catalog name <c>resnet20</c>).
    /// </summary>
    public static ResNetConfig ResNet20 { get; } = new(ResNetBlock.Basic, [2, 2, 2, 3]);

    /// <summary>torchvision <c>resnet34</c>.</summary>
    public static ResNetConfig ResNet34 { get; } = new(ResNetBlock.Basic, [3, 4, 6, 3]);

    /// <summary>torchvision <c>resnet50</c>.</summary>
    public static ResNetConfig ResNet50 { get; } = new(ResNetBlock.Bottleneck, [3, 4, 6, 3]);

    /// <summary>timm <c>resnet26d</c>: Bottleneck (2,2,2,2), deep stem width 32, average-pool downsample.</summary>
    public static ResNetConfig ResNet26d { get; } = new(ResNetBlock.Bottleneck, [2, 2, 2, 2], DeepStem: true, AverageDown: true, ZeroInitLastNorm: true);

    /// <summary>timm <c>resnet50d</c>: Bottleneck (3,4,6,3), deep stem width 32, average-pool downsample.</summary>
    public static ResNetConfig ResNet50d { get; } = new(ResNetBlock.Bottleneck, [3, 4, 6, 3], DeepStem: true, AverageDown: true, ZeroInitLastNorm: true);

    /// <summary>
    /// torchvision <c>resnext50_32x4d</c> (== timm <c>resnext50_32x4d</c> keys): ResNet-50 with 32 groups of 4 channels in
    /// the first stage's 3×3 convolutions (inner width 128, 256, 512, 1024 — twice ResNet-50's).
    /// </summary>
    public static ResNetConfig ResNeXt50x32x4d { get; } = new(ResNetBlock.Bottleneck, [3, 4, 6, 3], Groups: 32, WidthPerGroup: 4);
}

/// <summary>
/// ResNet as torchvision's <c>ResNet</c> and timm's <c>timm/models/resnet.py</c> (same module names):
/// <c>conv1, bn1, layer1..layer4 (i.conv1, bn1, conv2, bn2[, conv3, bn3], 0.downsample), fc</c>. With
/// <see cref="ResNetConfig.DeepStem"/> and <see cref="ResNetConfig.AverageDown"/> it is timm's ResNet-D; with
/// <see cref="ResNetConfig.Groups"/> &gt; 1 a ResNeXt (grouped 3×3 convolutions in the Bottleneck).
/// </summary>
public sealed class ResNet : ImageModel
{
    private const int StemWidth = 32;

    private readonly Module<Tensor, Tensor> conv1;
    private readonly BatchNorm2d bn1;
    private readonly MaxPool2d maxpool;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential layer4;
    private readonly Module<Tensor, Tensor> fc;

    private readonly int numFeatures;

    public ResNet(ResNetConfig config, int numClasses = 1000, int inChannels = 3) : base(nameof(ResNet), numClasses, inChannels)
    {
        int expansion = config.Block == ResNetBlock.Basic ? 1 : 4;
        long inPlanes = 64;
        if (config.DeepStem)
        {
            conv1 = Sequential(
                Conv2d(inChannels, StemWidth, 3, stride: 2, padding: 1, bias: false),
                BatchNorm2d(StemWidth),
                ReLU(),
                Conv2d(StemWidth, StemWidth, 3, stride: 1, padding: 1, bias: false),
                BatchNorm2d(StemWidth),
                ReLU(),
                Conv2d(StemWidth, inPlanes, 3, stride: 1, padding: 1, bias: false));
        }
        else
        {
            conv1 = Conv2d(inChannels, inPlanes, 7, stride: 2, padding: 3, bias: false);
        }
        bn1 = BatchNorm2d(inPlanes);
        maxpool = MaxPool2d(3, stride: 2, padding: 1);

        layer1 = MakeLayer(config, expansion, ref inPlanes, 64, config.Layers[0], 1);
        layer2 = MakeLayer(config, expansion, ref inPlanes, 128, config.Layers[1], 2);
        layer3 = MakeLayer(config, expansion, ref inPlanes, 256, config.Layers[2], 2);
        layer4 = MakeLayer(config, expansion, ref inPlanes, 512, config.Layers[3], 2);
        numFeatures = (int)inPlanes;

        fc = numClasses > 0 ? Linear(numFeatures, numClasses) : Identity();
        RegisterComponents();
        Initialize(config.ZeroInitLastNorm);
    }

    public override int NumFeatures => numFeatures;

    public override IReadOnlyList<string> ClassifierKeyPrefixes { get; } = ["fc."];

    public override Tensor ForwardBody(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = maxpool.call(functional.relu(bn1.call(conv1.call(input))));
        x = layer4.call(layer3.call(layer2.call(layer1.call(x))));
        return x.MoveToOuterDisposeScope();
    }

    protected override Tensor ForwardHead(Tensor features) =>
        fc.call(functional.adaptive_avg_pool2d(features, 1).flatten(1));

    private static Sequential MakeLayer(ResNetConfig config, int expansion, ref long inPlanes, long planes, int blocks, long stride)
    {
        long outPlanes = planes * expansion;
        Module<Tensor, Tensor>? downsample = null;
        if (stride != 1 || inPlanes != outPlanes)
        {
            downsample = config.AverageDown
                ? Sequential(
                    stride == 1 ? Identity() : AvgPool2d(2, stride: stride, ceil_mode: true, count_include_pad: false),
                    Conv2d(inPlanes, outPlanes, 1, stride: 1, bias: false),
                    BatchNorm2d(outPlanes))
                : Sequential(
                    Conv2d(inPlanes, outPlanes, 1, stride: stride, bias: false),
                    BatchNorm2d(outPlanes));
        }

        var layer = Sequential();
        for (int i = 0; i < blocks; i++)
        {
            layer.append(config.Block == ResNetBlock.Basic
                ? new BasicBlock(inPlanes, planes, i == 0 ? stride : 1, i == 0 ? downsample : null)
                : new Bottleneck(inPlanes, planes, i == 0 ? stride : 1, i == 0 ? downsample : null, config.Groups, config.WidthPerGroup));
            inPlanes = outPlanes;
        }
        return layer;
    }

    /// <summary>torchvision / timm initialisation: convolutions Kaiming-normal (fan-out, ReLU), BatchNorm 1 and 0.</summary>
    private void Initialize(bool zeroInitLastNorm)
    {
        using var _ = no_grad();
        foreach (var (_, module) in named_modules())
        {
            if (module is Conv2d conv)
            {
                init.kaiming_normal_(conv.weight, mode: init.FanInOut.FanOut, nonlinearity: init.NonlinearityType.ReLU);
            }
        }
        Layers.ResetBatchNorm(this);
        if (zeroInitLastNorm)
        {
            foreach (var (_, module) in named_modules())
            {
                (module as BasicBlock)?.ZeroInitLastNorm();
                (module as Bottleneck)?.ZeroInitLastNorm();
            }
        }
    }

    private sealed class BasicBlock : Module<Tensor, Tensor>
    {
        private readonly Conv2d conv1;
        private readonly BatchNorm2d bn1;
        private readonly Conv2d conv2;
        private readonly BatchNorm2d bn2;
        private readonly Module<Tensor, Tensor>? downsample;
        private readonly long stride;

        public BasicBlock(long inPlanes, long planes, long stride, Module<Tensor, Tensor>? downsample) : base(nameof(BasicBlock))
        {
            this.stride = stride;
            conv1 = Conv2d(inPlanes, planes, 3, stride: stride, padding: 1, bias: false);
            bn1 = BatchNorm2d(planes);
            conv2 = Conv2d(planes, planes, 3, stride: 1, padding: 1, bias: false);
            bn2 = BatchNorm2d(planes);
            this.downsample = downsample;
            RegisterComponents();
        }

        public void ZeroInitLastNorm()
        {
            using var _ = no_grad();
            bn2.weight!.zero_();
        }

        public override Tensor forward(Tensor input)
        {
            // 3×3, padding 1: on a 1×1 map (the last stage at 32 px) only the kernel's centre meets the image.
            var x = functional.relu(bn1.call(stride == 1 ? Layers.ConvolveCropped(conv1, input, 1) : conv1.call(input)));
            x = bn2.call(Layers.ConvolveCropped(conv2, x, 1));
            var shortcut = downsample is null ? input : downsample.call(input);
            return functional.relu(Layers.Add(x, shortcut));
        }
    }

    private sealed class Bottleneck : Module<Tensor, Tensor>
    {
        private readonly Conv2d conv1;
        private readonly BatchNorm2d bn1;
        private readonly Conv2d conv2;
        private readonly BatchNorm2d bn2;
        private readonly Conv2d conv3;
        private readonly BatchNorm2d bn3;
        private readonly Module<Tensor, Tensor>? downsample;

        public Bottleneck(long inPlanes, long planes, long stride, Module<Tensor, Tensor>? downsample, int groups, int widthPerGroup)
            : base(nameof(Bottleneck))
        {
            // torchvision: width = int(planes * (base_width / 64.)) * groups (planes for ResNet-50, 2 × planes for ResNeXt-50 32×4d).
            long width = planes * widthPerGroup / 64 * groups;
            conv1 = Conv2d(inPlanes, width, 1, bias: false);
            bn1 = BatchNorm2d(width);
            conv2 = Conv2d(width, width, 3, stride: stride, padding: 1, groups: groups, bias: false);
            bn2 = BatchNorm2d(width);
            conv3 = Conv2d(width, planes * 4, 1, bias: false);
            bn3 = BatchNorm2d(planes * 4);
            this.downsample = downsample;
            RegisterComponents();
        }

        public void ZeroInitLastNorm()
        {
            using var _ = no_grad();
            bn3.weight!.zero_();
        }

        public override Tensor forward(Tensor input)
        {
            var x = functional.relu(bn1.call(conv1.call(input)));
            x = functional.relu(bn2.call(conv2.call(x)));
            x = bn3.call(conv3.call(x));
            var shortcut = downsample is null ? input : downsample.call(input);
            return functional.relu(Layers.Add(x, shortcut));
        }
    }
}
