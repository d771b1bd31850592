using System.Globalization;
using System.Reflection;

namespace Experiments.Vision.Models;

/// <summary>What the catalog says about one model (from its <see cref="KnownValueAttribute"/> metadata).</summary>
/// <param name="Name">
/// Catalog name (timm's model name, or torchvision's for plain ResNet). A name with pretrained weights is the
/// architecture's name, a dot and the weights' tag, as in timm (<c>resnet20.cntk_in1k</c>).
/// </param>
/// <param name="Family">resnet, resnetd, resnext, convnext, vit, swin, regnet or mobilenet.</param>
/// <param name="Parameters">Parameters at 1000 classes and 3 input channels.</param>
/// <param name="InputSize">The one input size (square) the model takes, or null when it takes any size.</param>
/// <param name="PatchSize">Patch side of a ViT or a Swin, else null.</param>
/// <param name="Reference">
/// The implementation whose names and shapes the model follows: <c>timm</c> or <c>torchvision</c>; <c>cntk</c> for
/// CNTK's ImageNet ResNet, whose architecture is CNTK's and whose state-dict keys are torchvision's.
/// </param>
/// <param name="Normalization">Input statistics of the reference weights: <c>imagenet</c> (ImageNet mean/std) or <c>half</c> (0.5/0.5).</param>
/// <param name="MinInputSize">The smallest side the model takes, or null when any side works (ConvNeXt's unpadded stride-32 downsampling needs 32).</param>
/// <param name="ChannelsLastOnCpu">
/// Trains faster on the CPU with channels-last (NHWC) weights and inputs (metadata <c>cpu_layout=channels_last</c>): the
/// <see cref="Training.Learner"/> uses that layout for it by default. Measured on a 2-core AMD EPYC, batch 64, 32 px:
/// regnety_002 1.48–1.54× (its grouped convolutions), mobilenetv3_small_100 1.30× and mobilenetv3_large_100 1.46× (their
/// depthwise convolutions; the full pipeline 1.40× and 1.22×), resnext50_32x4d 2.1× (its 32-group convolutions, measured
/// with <c>EXPERIMENTS_ONEDNN=off</c>, the only way it trains on that VM); resnet18 1.03×, convnext_atto 1.02×, the 32 px
/// Swins (one patch convolution, the rest Linear) 0.85× — not worth the copies.
/// </param>
/// <param name="Weights">
/// The tag of the pretrained weights this name loads (<c>cntk_in1k</c> for <c>resnet20.cntk_in1k</c>), or null for an
/// architecture, which starts from its random initialisation.
/// </param>
/// <param name="WindowSize">
/// Attention window side of a Swin, else null. With <see cref="InputSize"/> and <see cref="PatchSize"/> it fixes the
/// tokens of every stage: the windows must tile them, which is why a Swin takes its one input size only.
/// </param>
public sealed record ModelInfo(string Name, string Family, long Parameters, int? InputSize, int? PatchSize, string Reference, string Normalization, int? MinInputSize = null,
    bool ChannelsLastOnCpu = false, string? Weights = null, int? WindowSize = null)
{
    /// <summary>The architecture's name: <see cref="Name"/> without the weights' tag.</summary>
    public string Architecture => Weights is null ? Name : Name[..Name.IndexOf('.', StringComparison.Ordinal)];
}

/// <summary>
/// The vision models an experiment can name. Each constant is a known value whose metadata the build-time analyzer
/// reads (<c>[Values("convnext_atto")] [KnownIn(typeof(ModelCatalog))]</c> is checked at build; <c>input_size</c>
/// constrains a <c>[ConstrainedBy("input_size")]</c> size parameter). <c>params</c> is the parameter count at 1000
/// classes, equal to the published count of the reference implementation of that name.
/// </summary>
/// <remarks>
/// Sources of the counts: torchvision's model documentation (exact integers, e.g. resnet18 11,689,512;
/// resnext50_32x4d 25,028,904; convnext_tiny 28,589,128; regnet_y_400mf 4,344,144 — the same network as timm's
/// regnety_004; mobilenet_v3_large 5,483,032 and mobilenet_v3_small 2,542,856 — timm's mobilenetv3_large/small_100;
/// swin_t 28,288,354 — timm's swin_tiny_patch4_window7_224; swin_v2_t 28,351,570 — timm's swinv2_tiny_window8_256 plus a
/// key bias timm does not have); timm's model cards (Params (M), one decimal: resnet26d
/// 16.0, resnet50d 25.6, resnext50_32x4d 25.0, convnext_atto 3.7, femto 5.2, pico 9.0, nano 15.6, vit_tiny_patch16_224
/// 5.7, vit_small_patch16_224 22.1, regnety_002 3.2, mobilenetv3_large_100 5.5, mobilenetv3_small_100 2.5,
/// swin_tiny_patch4_window7_224 28.3, swinv2_tiny_window8_256 28.3) with the exact integers counted from the architectures in timm's model files.
/// The <c>_patch4_32</c> ViTs are not timm models: timm's ViT-Ti/ViT-S with 4×4 patches of a 32×32 image (65 position
/// embeddings instead of 197, a 4×4 patch convolution instead of 16×16), so their counts are those of the
/// architecture; a timm <c>patch16_224</c> checkpoint does not fit them. Likewise <c>swin_tiny_patch2_window4_32</c>:
/// timm's Swin-T with 2×2 patches and 4×4 windows of a 32×32 image (smaller position tables, a 2×2 patch convolution),
/// and <c>swinv2_tiny_patch2_window4_32</c>, the same for Swin V2-T.
/// </remarks>
[KnownValues]
public static class ModelCatalog
{
    /// <summary>torchvision <c>resnet18</c>: 11,689,512 parameters (torchvision docs, ResNet18_Weights).</summary>
    [KnownValue("family=resnet", "params=11689512", "reference=torchvision", "normalization=imagenet")]
    public const string ResNet18 = "resnet18";

    /// <summary>torchvision <c>resnet34</c>: 21,797,672 parameters (torchvision docs, ResNet34_Weights).</summary>
    [KnownValue("family=resnet", "params=21797672", "reference=torchvision", "normalization=imagenet")]
    public const string ResNet34 = "resnet34";

    /// <summary>torchvision <c>resnet50</c>: 25,557,032 parameters (torchvision docs, ResNet50_Weights).</summary>
    [KnownValue("family=resnet", "params=25557032", "reference=torchvision", "normalization=imagenet")]
    public const string ResNet50 = "resnet50";

    /// <summary>
    /// CNTK's ImageNet ResNet (recipe <c>ResNet18_ImageNet1K</c>, Microsoft/CNTK
    /// <c>Examples/Image/Classification/ResNet</c>): torchvision's BasicBlock ResNet with blocks (2, 2, 2, 3), 16,410,152
    /// parameters (torchvision's resnet18 and one 512-channel block of 4,720,640). Untrained here; its ImageNet weights
    /// are <see cref="ResNet20CntkIn1k"/>.
    /// </summary>
    [KnownValue("family=resnet", "params=16410152", "reference=cntk", "normalization=imagenet")]
    public const string ResNet20 = "resnet20";

    /// <summary>
    /// <see cref="ResNet20"/> with CNTK's ImageNet-1k weights, from the NuGet package
    /// <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c> 0.24.0 (MIT), converted on first use
    /// (<see cref="Pretrained.PretrainedWeights"/>). A trial on it runs fastai's <c>fine_tune</c>.
    /// </summary>
    [KnownValue("family=resnet", "params=16410152", "reference=cntk", "normalization=imagenet", "weights=cntk_in1k")]
    public const string ResNet20CntkIn1k = "resnet20.cntk_in1k";

    /// <summary>timm <c>resnet26d</c>: 16,014,408 parameters (timm model card resnet26d.bt_in1k: 16.0 M).</summary>
    [KnownValue("family=resnetd", "params=16014408", "reference=timm", "normalization=imagenet")]
    public const string ResNet26d = "resnet26d";

    /// <summary>timm <c>resnet50d</c>: 25,576,264 parameters (timm model card resnet50d.a1_in1k: 25.6 M).</summary>
    [KnownValue("family=resnetd", "params=25576264", "reference=timm", "normalization=imagenet")]
    public const string ResNet50d = "resnet50d";

    /// <summary>
    /// torchvision <c>resnext50_32x4d</c>: 25,028,904 parameters (torchvision docs, ResNeXt50_32X4D_Weights; timm's
    /// <c>resnext50_32x4d</c> has the same module tree and keys, model card resnext50_32x4d.a2_in1k: 25.0 M). On a CPU that
    /// hides its cache topology, oneDNN dies with SIGFPE on its 32-group convolutions in training (batches of 2, 16 and 64
    /// at 32 px on this project's 2-core VM): it trains there with <c>EXPERIMENTS_ONEDNN=off</c> (see the README).
    /// </summary>
    [KnownValue("family=resnext", "params=25028904", "reference=torchvision", "normalization=imagenet", "cpu_layout=channels_last")]
    public const string ResNeXt50x32x4d = "resnext50_32x4d";

    /// <summary>timm <c>convnext_atto</c>: 3,695,520 parameters (timm model card convnext_atto.d2_in1k: 3.7 M).</summary>
    [KnownValue("family=convnext", "min_input_size=32", "params=3695520", "reference=timm", "normalization=imagenet")]
    public const string ConvNeXtAtto = "convnext_atto";

    /// <summary>timm <c>convnext_femto</c>: 5,217,784 parameters (timm model card convnext_femto.d1_in1k: 5.2 M).</summary>
    [KnownValue("family=convnext", "min_input_size=32", "params=5217784", "reference=timm", "normalization=imagenet")]
    public const string ConvNeXtFemto = "convnext_femto";

    /// <summary>timm <c>convnext_pico</c>: 9,045,672 parameters (timm model card convnext_pico.d1_in1k: 9.0 M).</summary>
    [KnownValue("family=convnext", "min_input_size=32", "params=9045672", "reference=timm", "normalization=imagenet")]
    public const string ConvNeXtPico = "convnext_pico";

    /// <summary>timm <c>convnext_nano</c>: 15,593,560 parameters (timm model card convnext_nano.d1h_in1k: 15.6 M).</summary>
    [KnownValue("family=convnext", "min_input_size=32", "params=15593560", "reference=timm", "normalization=imagenet")]
    public const string ConvNeXtNano = "convnext_nano";

    /// <summary>timm <c>convnext_tiny</c>: 28,589,128 parameters (torchvision docs ConvNeXt_Tiny_Weights; timm card 28.6 M).</summary>
    [KnownValue("family=convnext", "min_input_size=32", "params=28589128", "reference=timm", "normalization=imagenet")]
    public const string ConvNeXtTiny = "convnext_tiny";

    /// <summary>timm <c>vit_tiny_patch16_224</c>: 5,717,416 parameters (timm model card vit_tiny_patch16_224.augreg_in21k_ft_in1k: 5.7 M).</summary>
    [KnownValue("family=vit", "params=5717416", "input_size=224", "patch_size=16", "reference=timm", "normalization=half")]
    public const string ViTTinyPatch16x224 = "vit_tiny_patch16_224";

    /// <summary>timm <c>vit_small_patch16_224</c>: 22,050,664 parameters (timm model card vit_small_patch16_224.augreg_in21k_ft_in1k: 22.1 M).</summary>
    [KnownValue("family=vit", "params=22050664", "input_size=224", "patch_size=16", "reference=timm", "normalization=half")]
    public const string ViTSmallPatch16x224 = "vit_small_patch16_224";

    /// <summary>timm's ViT-Ti on 32×32 inputs in 4×4 patches (not a timm model name): 5,553,832 parameters.</summary>
    [KnownValue("family=vit", "params=5553832", "input_size=32", "patch_size=4", "reference=timm", "normalization=half")]
    public const string ViTTinyPatch4x32 = "vit_tiny_patch4_32";

    /// <summary>timm's ViT-S on 32×32 inputs in 4×4 patches (not a timm model name): 21,723,496 parameters.</summary>
    [KnownValue("family=vit", "params=21723496", "input_size=32", "patch_size=4", "reference=timm", "normalization=half")]
    public const string ViTSmallPatch4x32 = "vit_small_patch4_32";

    /// <summary>
    /// timm <c>swin_tiny_patch4_window7_224</c>: 28,288,354 parameters (torchvision docs Swin_T_Weights, the same network
    /// with torchvision's names; timm model card swin_tiny_patch4_window7_224.ms_in1k: 28.3 M). 224 px only: 56, 28, 14
    /// and 7 tokens a side in 7×7 windows.
    /// </summary>
    [KnownValue("family=swin", "params=28288354", "input_size=224", "patch_size=4", "window_size=7", "reference=timm", "normalization=imagenet")]
    public const string SwinTinyPatch4Window7x224 = "swin_tiny_patch4_window7_224";

    /// <summary>
    /// timm's Swin-T on 32×32 inputs in 2×2 patches and 4×4 windows (not a timm model name): 28,266,418 parameters. 32 px
    /// only: 16, 8, 4 and 2 tokens a side (the last two stages are one window each, as timm makes a stage no larger than
    /// its window).
    /// </summary>
    [KnownValue("family=swin", "params=28266418", "input_size=32", "patch_size=2", "window_size=4", "reference=timm", "normalization=imagenet")]
    public const string SwinTinyPatch2Window4x32 = "swin_tiny_patch2_window4_32";

    /// <summary>
    /// timm <c>swinv2_tiny_window8_256</c>: 28,347,154 parameters (torchvision docs Swin_V2_T_Weights: 28,351,570, the same
    /// network with a key bias in its qkv projection that it keeps at zero — 4,416 parameters, one per channel of each
    /// of the 12 blocks —, which timm does not have; timm model card swinv2_tiny_window8_256.ms_in1k: 28.3 M). 256 px
    /// only: 64, 32, 16 and 8 tokens a side in 8×8 windows.
    /// </summary>
    [KnownValue("family=swin", "params=28347154", "input_size=256", "patch_size=4", "window_size=8", "reference=timm", "normalization=imagenet")]
    public const string SwinV2TinyWindow8x256 = "swinv2_tiny_window8_256";

    /// <summary>
    /// timm's Swin V2-T on 32×32 inputs in 2×2 patches and 4×4 windows (not a timm model name): 28,343,698 parameters.
    /// 32 px only, the stages of <see cref="SwinTinyPatch2Window4x32"/>.
    /// </summary>
    [KnownValue("family=swin", "params=28343698", "input_size=32", "patch_size=2", "window_size=4", "reference=timm", "normalization=imagenet")]
    public const string SwinV2TinyPatch2Window4x32 = "swinv2_tiny_patch2_window4_32";

    /// <summary>timm <c>regnety_002</c>: 3,162,996 parameters (timm model card regnety_002.pycls_in1k: 3.2 M).</summary>
    [KnownValue("family=regnet", "params=3162996", "reference=timm", "normalization=imagenet", "cpu_layout=channels_last")]
    public const string RegNetY002 = "regnety_002";

    /// <summary>timm <c>regnety_004</c>: 4,344,144 parameters (torchvision docs RegNet_Y_400MF_Weights; timm card 4.3 M).</summary>
    [KnownValue("family=regnet", "params=4344144", "reference=timm", "normalization=imagenet", "cpu_layout=channels_last")]
    public const string RegNetY004 = "regnety_004";

    /// <summary>
    /// timm <c>mobilenetv3_large_100</c>: 5,483,032 parameters (torchvision docs MobileNet_V3_Large_Weights, the same
    /// network with torchvision's names; timm model card mobilenetv3_large_100.ra_in1k: 5.5 M).
    /// </summary>
    [KnownValue("family=mobilenet", "params=5483032", "reference=timm", "normalization=imagenet", "cpu_layout=channels_last")]
    public const string MobileNetV3Large100 = "mobilenetv3_large_100";

    /// <summary>
    /// timm <c>mobilenetv3_small_100</c>: 2,542,856 parameters (torchvision docs MobileNet_V3_Small_Weights, the same
    /// network with torchvision's names; timm model card mobilenetv3_small_100.lamb_in1k: 2.5 M).
    /// </summary>
    [KnownValue("family=mobilenet", "params=2542856", "reference=timm", "normalization=imagenet", "cpu_layout=channels_last")]
    public const string MobileNetV3Small100 = "mobilenetv3_small_100";

    private static readonly Dictionary<string, Func<int, int, ImageModel>> Factories = new(StringComparer.Ordinal)
    {
        [ResNet18] = (classes, channels) => new ResNet(ResNetConfig.ResNet18, classes, channels),
        [ResNet20] = (classes, channels) => new ResNet(ResNetConfig.ResNet20, classes, channels),
        [ResNet34] = (classes, channels) => new ResNet(ResNetConfig.ResNet34, classes, channels),
        [ResNet50] = (classes, channels) => new ResNet(ResNetConfig.ResNet50, classes, channels),
        [ResNet26d] = (classes, channels) => new ResNet(ResNetConfig.ResNet26d, classes, channels),
        [ResNet50d] = (classes, channels) => new ResNet(ResNetConfig.ResNet50d, classes, channels),
        [ResNeXt50x32x4d] = (classes, channels) => new ResNet(ResNetConfig.ResNeXt50x32x4d, classes, channels),
        [ConvNeXtAtto] = (classes, channels) => new ConvNeXt(ConvNeXtConfig.Atto, classes, channels),
        [ConvNeXtFemto] = (classes, channels) => new ConvNeXt(ConvNeXtConfig.Femto, classes, channels),
        [ConvNeXtPico] = (classes, channels) => new ConvNeXt(ConvNeXtConfig.Pico, classes, channels),
        [ConvNeXtNano] = (classes, channels) => new ConvNeXt(ConvNeXtConfig.Nano, classes, channels),
        [ConvNeXtTiny] = (classes, channels) => new ConvNeXt(ConvNeXtConfig.Tiny, classes, channels),
        [ViTTinyPatch16x224] = (classes, channels) => new VisionTransformer(VisionTransformerConfig.TinyPatch16x224, classes, channels),
        [ViTSmallPatch16x224] = (classes, channels) => new VisionTransformer(VisionTransformerConfig.SmallPatch16x224, classes, channels),
        [ViTTinyPatch4x32] = (classes, channels) => new VisionTransformer(VisionTransformerConfig.TinyPatch4x32, classes, channels),
        [ViTSmallPatch4x32] = (classes, channels) => new VisionTransformer(VisionTransformerConfig.SmallPatch4x32, classes, channels),
        [SwinTinyPatch4Window7x224] = (classes, channels) => new SwinTransformer(SwinTransformerConfig.TinyPatch4Window7x224, classes, channels),
        [SwinTinyPatch2Window4x32] = (classes, channels) => new SwinTransformer(SwinTransformerConfig.TinyPatch2Window4x32, classes, channels),
        [SwinV2TinyWindow8x256] = (classes, channels) => new SwinTransformerV2(SwinTransformerConfig.V2TinyWindow8x256, classes, channels),
        [SwinV2TinyPatch2Window4x32] = (classes, channels) => new SwinTransformerV2(SwinTransformerConfig.V2TinyPatch2Window4x32, classes, channels),
        [RegNetY002] = (classes, channels) => new RegNet(RegNetConfig.Y002, classes, channels),
        [RegNetY004] = (classes, channels) => new RegNet(RegNetConfig.Y004, classes, channels),
        [MobileNetV3Large100] = (classes, channels) => new MobileNetV3(MobileNetV3Config.Large100, classes, channels),
        [MobileNetV3Small100] = (classes, channels) => new MobileNetV3(MobileNetV3Config.Small100, classes, channels),
    };

    private static readonly Lazy<IReadOnlyList<ModelInfo>> Infos = new(ReadInfos);

    /// <summary>Every architecture of the catalog, in declaration order (without the names of pretrained weights).</summary>
    public static IReadOnlyList<ModelInfo> All => Infos.Value.Where(m => m.Weights is null).ToList();

    /// <summary>Every name that loads pretrained weights (<c>resnet20.cntk_in1k</c>), as timm's <c>list_models(pretrained=True)</c>.</summary>
    public static IReadOnlyList<ModelInfo> WithWeights => Infos.Value.Where(m => m.Weights is not null).ToList();

    /// <summary>What the catalog says about <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Not a catalog name (the message lists them).</exception>
    public static ModelInfo Describe(string name) => TryDescribe(name) ?? throw Unknown(name);

    /// <summary>What the catalog says about <paramref name="name"/>, or null when it is not a catalog model.</summary>
    public static ModelInfo? TryDescribe(string name) => Infos.Value.FirstOrDefault(m => m.Name == name);

    /// <summary>
    /// Creates <paramref name="name"/> as fastai's <c>vision_learner</c> would: the reference model without its
    /// classifier as body and a fresh fastai-style head for <paramref name="numClasses"/> outputs.
    /// </summary>
    public static VisionModel Create(string name, int numClasses, int inChannels = 3, ModelOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 1);
        var body = CreateReference(name, numClasses: 0, inChannels);
        var head = VisionHead.Create(body.NumFeatures, numClasses, pool: !body.BodyOutputIsPooled, options);
        return new VisionModel(name, body, head);
    }

    /// <summary>
    /// Creates <paramref name="name"/> in its reference form, with the reference implementation's own classifier
    /// (none when <paramref name="numClasses"/> is 0) and its state-dict keys, for reference checkpoints. A name with
    /// weights (<c>resnet20.cntk_in1k</c>) creates its architecture, freshly initialised: the weights are loaded by
    /// <see cref="Pretrained.PretrainedWeights"/>.
    /// </summary>
    public static ImageModel CreateReference(string name, int numClasses = 1000, int inChannels = 3)
    {
        ArgumentNullException.ThrowIfNull(name);
        var architecture = Describe(name).Architecture;
        TorchRuntime.EnsureLoaded();
        return Factories[architecture](numClasses, inChannels);
    }

    private static ArgumentException Unknown(string name)
    {
        var names = Infos.Value.Select(m => m.Name).ToList();
        var closest = names.MinBy(k => EditDistance(k, name));
        return new ArgumentException(
            $"'{name}' is not a model of the catalog (did you mean '{closest}'?). Known models: {string.Join(", ", names)}.",
            nameof(name));
    }

    private static IReadOnlyList<ModelInfo> ReadInfos()
    {
        var infos = new List<ModelInfo>();
        foreach (var field in typeof(ModelCatalog).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            if (!field.IsLiteral || field.GetRawConstantValue() is not string name || field.GetCustomAttribute<KnownValueAttribute>() is not { } known)
            {
                continue;
            }
            var metadata = known.Metadata.Select(m => m.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);
            int? Optional(string key) => metadata.TryGetValue(key, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : null;
            infos.Add(new ModelInfo(
                name,
                metadata["family"],
                long.Parse(metadata["params"], CultureInfo.InvariantCulture),
                Optional("input_size"),
                Optional("patch_size"),
                metadata["reference"],
                metadata["normalization"],
                Optional("min_input_size"),
                metadata.TryGetValue("cpu_layout", out var layout) && layout == "channels_last",
                metadata.GetValueOrDefault("weights"),
                Optional("window_size")));
        }
        return infos;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
            previous = current;
        }
        return previous[b.Length];
    }
}
