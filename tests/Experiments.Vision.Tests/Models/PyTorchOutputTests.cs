using Experiments.Vision.Checkpoints;
using Experiments.Vision.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Vision.Tests.Models;

/// <summary>
/// The same numbers as PyTorch: small configurations of the ConvNeXt (both MLP forms), ViT, RegNet, MobileNetV3, Swin and Swin V2 module trees,
/// with weights, BatchNorm statistics, an input and PyTorch's eval-mode output written by PyTorch to safetensors
/// (Reference/make_reference.py, Reference/pytorch-outputs/). Loading the PyTorch state dict by name and running the
/// input must give PyTorch's output. (The full-size catalog models were checked the same way once, all 16 within
/// 3e-6; their files are too large to keep.)
/// </summary>
public sealed class PyTorchOutputTests
{
    public static TheoryData<string> Cases => new() { "convnext_convmlp", "convnext_linear", "vit", "regnety", "mobilenetv3", "swin", "swinv2" };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Loading_pytorch_weights_gives_pytorchs_output(string name)
    {
        TorchRuntime.EnsureLoaded();
        using ImageModel model = name switch
        {
            "convnext_convmlp" => new ConvNeXt(new ConvNeXtConfig([1, 1, 2, 1], [8, 16, 24, 32], ConvMlp: true), numClasses: 10),
            "convnext_linear" => new ConvNeXt(new ConvNeXtConfig([1, 1, 2, 1], [8, 16, 24, 32], ConvMlp: false), numClasses: 10),
            "vit" => new VisionTransformer(new VisionTransformerConfig(EmbedDim: 32, Depth: 2, NumHeads: 2, PatchSize: 4, ImageSize: 16), numClasses: 10),
            "regnety" => new RegNet(new RegNetConfig([8, 16, 24, 32], [1, 2, 1, 1], GroupWidth: 8), numClasses: 10),
            "mobilenetv3" => new MobileNetV3(new MobileNetV3Config(
            [
                [new(MobileNetBlock.DepthwiseSeparable, 3, 1, 1, 16, SqueezeExcite: true, HardSwish: false)],
                [new(MobileNetBlock.InvertedResidual, 3, 2, 3, 24, SqueezeExcite: false, HardSwish: false),
                    new(MobileNetBlock.InvertedResidual, 5, 1, 2.5, 24, SqueezeExcite: true, HardSwish: true)],
                [new(MobileNetBlock.ConvBnAct, 1, 1, 1, 48, SqueezeExcite: false, HardSwish: true)],
            ], NumFeatures: 64), numClasses: 10),
            "swin" => new SwinTransformer(new SwinTransformerConfig(EmbedDim: 8, Depths: [2, 2, 1], NumHeads: [1, 2, 4], PatchSize: 2, WindowSize: 4, ImageSize: 32), numClasses: 10),
            "swinv2" => new SwinTransformerV2(new SwinTransformerConfig(EmbedDim: 8, Depths: [2, 2, 1], NumHeads: [1, 2, 4], PatchSize: 2, WindowSize: 4, ImageSize: 32), numClasses: 10),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        string path = Path.Combine(ModelFixtures.ReferenceFolder, "pytorch-outputs", name + ".safetensors");

        var result = ModelCheckpoint.Load(model, path, new CheckpointLoadOptions { IgnoredKeyPrefixes = ["input", "output"] });
        model.eval();
        var (io, _) = SafeTensors.Load(path);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var output = model.call(io["input"]);

        Assert.Equal(model.state_dict().Count, result.Loaded.Count);
        Assert.Equal(io["output"].shape, output.shape);
        double difference = (output - io["output"]).abs().max().item<float>();
        Assert.True(difference < 1e-5, $"largest difference from PyTorch: {difference}");
        foreach (var tensor in io.Values)
        {
            tensor.Dispose();
        }
    }
}
