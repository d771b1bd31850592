using System.Reflection;
using Experiments.Vision.Models;
using TorchSharp;

namespace Experiments.Vision.Tests.Models;

public sealed class ModelCatalogTests
{
    /// <summary>
    /// Published parameter counts of the reference implementations at 1000 classes, 3 channels — written here
    /// independently of the catalog's metadata. Exact integers: torchvision's model documentation (num_params of
    /// ResNet18/34/50_Weights, ResNeXt50_32X4D_Weights, ConvNeXt_Tiny_Weights, RegNet_Y_400MF_Weights — the same network
    /// as timm's regnety_004 —, MobileNet_V3_Large/Small_Weights and Swin_T_Weights — the same networks as timm's
    /// mobilenetv3_large/small_100 and swin_tiny_patch4_window7_224, which make_reference.py's timm module trees
    /// reproduce output for output from torchvision's weights; Swin_V2_T_Weights, 28,351,570, is timm's
    /// swinv2_tiny_window8_256 with a key bias that torchvision keeps at zero: 4,416 parameters more, one per channel of
    /// each block — with that bias at zero the timm module tree reproduces torchvision's output). timm's model cards give "Params (M)" to one decimal
    /// (resnet26d.bt_in1k 16.0, resnet50d.a1_in1k 25.6, resnext50_32x4d.a2_in1k 25.0, convnext_atto.d2_in1k 3.7,
    /// convnext_femto.d1_in1k 5.2, convnext_pico.d1_in1k 9.0, convnext_nano.d1h_in1k 15.6,
    /// vit_tiny_patch16_224.augreg_in21k_ft_in1k 5.7, vit_small_patch16_224.augreg_in21k_ft_in1k 22.1,
    /// regnety_002.pycls_in1k 3.2, mobilenetv3_large_100.ra_in1k 5.5, mobilenetv3_small_100.lamb_in1k 2.5,
    /// swin_tiny_patch4_window7_224.ms_in1k 28.3, swinv2_tiny_window8_256.ms_in1k 28.3); the integers are counted from timm's architectures
    /// (Reference/make_reference.py prints them with PyTorch) and checked against those figures below. The patch4_32
    /// ViTs and swin(v2)_tiny_patch2_window4_32 are our variants (see ModelCatalog), counted the same way. resnet20 is CNTK's
    /// "ResNet18" ImageNet recipe, whose count 16,410,152 CNTK printed in microsoft/CNTK issue #2873 ("Training 16410152
    /// parameters in 68 parameter tensors"), where its maintainers agreed to call it ResNet20.
    /// </summary>
    private static readonly Dictionary<string, (long Count, double? CardMillions)> Published = new()
    {
        ["resnet18"] = (11_689_512, null),
        ["resnet20"] = (16_410_152, null),
        ["resnet34"] = (21_797_672, null),
        ["resnet50"] = (25_557_032, null),
        ["resnet26d"] = (16_014_408, 16.0),
        ["resnet50d"] = (25_576_264, 25.6),
        ["resnext50_32x4d"] = (25_028_904, 25.0),
        ["convnext_atto"] = (3_695_520, 3.7),
        ["convnext_femto"] = (5_217_784, 5.2),
        ["convnext_pico"] = (9_045_672, 9.0),
        ["convnext_nano"] = (15_593_560, 15.6),
        ["convnext_tiny"] = (28_589_128, 28.6),
        ["vit_tiny_patch16_224"] = (5_717_416, 5.7),
        ["vit_small_patch16_224"] = (22_050_664, 22.1),
        ["vit_tiny_patch4_32"] = (5_553_832, null),
        ["vit_small_patch4_32"] = (21_723_496, null),
        ["regnety_002"] = (3_162_996, 3.2),
        ["regnety_004"] = (4_344_144, 4.3),
        ["mobilenetv3_large_100"] = (5_483_032, 5.5),
        ["mobilenetv3_small_100"] = (2_542_856, 2.5),
        ["swin_tiny_patch4_window7_224"] = (28_288_354, 28.3),
        ["swin_tiny_patch2_window4_32"] = (28_266_418, null),
        ["swinv2_tiny_window8_256"] = (28_347_154, 28.3),
        ["swinv2_tiny_patch2_window4_32"] = (28_343_698, null),
    };

    public static TheoryData<string> Names => ModelFixtures.AllModelNames();

    [Fact]
    public void The_catalog_has_eight_families_and_every_name_has_a_published_count()
    {
        var all = ModelCatalog.All;
        Assert.Equal(24, all.Count);
        Assert.Equal(all.Count, all.Select(m => m.Name).Distinct().Count());
        Assert.Equal(["convnext", "mobilenet", "regnet", "resnet", "resnetd", "resnext", "swin", "vit"], all.Select(m => m.Family).Distinct().Order());
        Assert.Equal(Published.Keys.Order(), all.Select(m => m.Name).Order());
    }

    [Fact]
    public void The_catalog_is_a_known_set_the_analyzer_can_read()
    {
        // KnownSetReader takes the const string fields of a [KnownValues] class that carry [KnownValue("key=value", …)].
        var type = typeof(ModelCatalog);
        Assert.NotNull(type.GetCustomAttribute<KnownValuesAttribute>());
        var fields = type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.GetCustomAttribute<KnownValueAttribute>() is not null)
            .ToList();
        Assert.Equal(ModelCatalog.All.Count + ModelCatalog.WithWeights.Count, fields.Count);
        foreach (var field in fields)
        {
            var metadata = field.GetCustomAttribute<KnownValueAttribute>()!.Metadata;
            Assert.All(metadata, m => Assert.Matches("^[a-z_]+=[A-Za-z0-9_.-]+$", m));
            Assert.Contains(metadata, m => m.StartsWith("family=", StringComparison.Ordinal));
            Assert.Contains(metadata, m => m.StartsWith("params=", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Fixed_size_models_declare_input_and_patch_size_and_others_do_not()
    {
        foreach (var model in ModelCatalog.All)
        {
            if (model.Family is "vit" or "swin")
            {
                Assert.NotNull(model.InputSize);
                Assert.NotNull(model.PatchSize);
                Assert.Equal(0, model.InputSize!.Value % model.PatchSize!.Value);
                Assert.Equal(model.Family == "vit" ? "half" : "imagenet", model.Normalization);
                Assert.Equal(model.Family == "swin", model.WindowSize is not null);
            }
            else
            {
                Assert.Null(model.InputSize);
                Assert.Null(model.PatchSize);
                Assert.Null(model.WindowSize);
                Assert.Equal("imagenet", model.Normalization);
            }
        }
        Assert.Equal(224, ModelCatalog.Describe("vit_small_patch16_224").InputSize);
        // ConvNeXt's unpadded stride-32 downsampling needs 32 px; the others take any side.
        Assert.All(ModelCatalog.All, m => Assert.Equal(m.Family == "convnext" ? 32 : null, m.MinInputSize));
        Assert.Equal(32, ModelCatalog.Describe("vit_tiny_patch4_32").InputSize);
    }

    /// <summary>
    /// The build rejects a Swin at any size but its <c>input_size</c> (EXP008 through <c>[ConstrainedBy("input_size")]</c>),
    /// so that metadata must be the one size the model's windows tile: the metadata equals the model's configuration, its
    /// windows tile every stage at that size, and the model refuses another size.
    /// </summary>
    [Theory]
    [InlineData("swin_tiny_patch4_window7_224", new[] { 56, 28, 14, 7 }, new[] { 7, 7, 7, 7 })]
    [InlineData("swin_tiny_patch2_window4_32", new[] { 16, 8, 4, 2 }, new[] { 4, 4, 4, 2 })]
    [InlineData("swinv2_tiny_window8_256", new[] { 64, 32, 16, 8 }, new[] { 8, 8, 8, 8 })]
    [InlineData("swinv2_tiny_patch2_window4_32", new[] { 16, 8, 4, 2 }, new[] { 4, 4, 4, 2 })]
    public void A_swins_metadata_is_the_one_size_its_windows_tile(string name, int[] tokens, int[] windows)
    {
        var info = ModelCatalog.Describe(name);
        using var model = ModelCatalog.CreateReference(name, numClasses: 0);
        var (imageSize, patchSize, windowSize) = model switch
        {
            SwinTransformer v1 => (v1.ImageSize, v1.PatchSize, v1.WindowSize),
            SwinTransformerV2 v2 => (v2.ImageSize, v2.PatchSize, v2.WindowSize),
            _ => throw new InvalidOperationException($"{name} is not a Swin"),
        };
        var config = new SwinTransformerConfig(96, [2, 2, 6, 2], [3, 6, 12, 24], patchSize, windowSize, imageSize);

        Assert.Equal((info.InputSize, info.PatchSize, info.WindowSize), (imageSize, patchSize, windowSize));
        Assert.Null(config.TilingProblem());
        Assert.Equal(tokens, Enumerable.Range(0, 4).Select(config.Resolution));
        Assert.Equal(windows, Enumerable.Range(0, 4).Select(s => config.Window(s).Window));
        Assert.Contains("do not tile", (config with { ImageSize = config.ImageSize + 2 * config.PatchSize }).TilingProblem());
        using var scope = torch.NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => model.ForwardBody(torch.zeros(1, 3, 2 * config.ImageSize, 2 * config.ImageSize)));
        Assert.Contains($"(B, 3, {config.ImageSize}, {config.ImageSize})", error.Message);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Parameter_count_at_1000_classes_equals_the_published_count(string name)
    {
        using var model = ModelCatalog.CreateReference(name, numClasses: 1000);
        var (count, cardMillions) = Published[name];

        Assert.Equal(count, model.ParameterCount());
        Assert.Equal(count, ModelCatalog.Describe(name).Parameters);
        if (cardMillions is { } millions)
        {
            Assert.Equal(millions, Math.Round(count / 1e6, 1));
        }
    }

    [Fact]
    public void A_name_with_weights_is_its_architecture_and_a_tag_as_in_timm()
    {
        var pretrained = Assert.Single(ModelCatalog.WithWeights);

        Assert.Equal(("resnet20.cntk_in1k", "resnet20", "cntk_in1k"), (pretrained.Name, pretrained.Architecture, pretrained.Weights));
        Assert.Equal(ModelCatalog.Describe("resnet20") with { Name = pretrained.Name, Weights = pretrained.Weights }, pretrained);
        Assert.Null(ModelCatalog.Describe("resnet20").Weights);
        using var model = ModelCatalog.Create("resnet20.cntk_in1k", numClasses: 10);
        Assert.Equal("resnet20.cntk_in1k", model.ModelName);
        Assert.Equal(16_410_152 - 512 * 1000 - 1000, model.Body.ParameterCount());
    }

    [Fact]
    public void An_unknown_name_is_refused_with_a_suggestion_and_the_known_names()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelCatalog.Create("convnext_atoo", 10));
        Assert.Contains("'convnext_atoo' is not a model of the catalog", error.Message);
        Assert.Contains("did you mean 'convnext_atto'", error.Message);
        Assert.Contains("regnety_004", error.Message);
        Assert.Throws<ArgumentException>(() => ModelCatalog.Describe("resnet19"));
    }
}
