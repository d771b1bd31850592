using Experiments.Vision.Checkpoints;
using Experiments.Vision.Models;
using Experiments.Vision.Pretrained;
using Experiments.Vision.Tests.Support;
using Experiments.Vision.Tests.Training;
using Experiments.Vision.Transforms;
using Microsoft.ML.OnnxRuntime;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Experiments.Vision.Tests.Pretrained;

/// <summary>
/// The ImageNet ResNet of <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c> converted to <c>resnet20</c>, against ONNX
/// Runtime running the package's own graphs on the same 224 px images: the exported network's input through both
/// (the mapping), and raw images through the preprocessing graph and the network vs ImageNet-normalised RGB through
/// the folded weights (what trials use).
/// </summary>
[Collection(SerialTorchCollection.Name)]
public sealed class CntkResNetTests : IDisposable
{
    private const int Side = 224;
    private readonly TempDirectory _temp = new();
    private readonly ITestOutputHelper _output;

    public CntkResNetTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => _temp.Dispose();

    private static CntkResNetFiles Package => CntkResNetPackage.Locate(ModelCatalog.ResNet20CntkIn1k);

    /// <summary>Four fixed RGB images on the 0–255 scale, [4, 3, 224, 224]: smooth colour fields of different scales (photographs are mostly smooth) and one of noise.</summary>
    private static Tensor Images()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(20261204);
        var images = new List<Tensor>();
        foreach (int cells in new[] { 2, 7, 28, 224 })
        {
            var field = rand([1, 3, cells, cells], generator: generator) * 255;
            images.Add(cells == Side ? field : nn.functional.interpolate(field, [Side, Side], mode: InterpolationMode.Bilinear, align_corners: false));
        }
        return cat(images, 0).clamp(0, 255).MoveToOuterDisposeScope();
    }

    /// <summary>Runs one ONNX graph on each image in turn (the exports take a batch of 1).</summary>
    private static Tensor RunOnnx(string path, Tensor batch)
    {
        using var session = new InferenceSession(path);
        string input = session.InputMetadata.Keys.Single();
        var outputs = new List<Tensor>();
        for (long i = 0; i < batch.shape[0]; i++)
        {
            using var image = batch[i].unsqueeze(0).contiguous();
            var values = image.data<float>().ToArray();
            var onnxInput = new DenseTensor(values, image.shape.Select(d => (int)d).ToArray());
            using var results = session.Run([NamedOnnxValue.CreateFromTensor(input, onnxInput)]);
            var output = results.Single().AsTensor<float>();
            outputs.Add(tensor(output.ToArray(), output.Dimensions.ToArray().Select(d => (long)d).ToArray()));
        }
        return cat(outputs, 0);
    }

    /// <summary>resnet20's body with <paramref name="state"/> loaded strictly (through a safetensors file, as trials load it), in eval mode.</summary>
    private ImageModel Body(IReadOnlyDictionary<string, Tensor> state)
    {
        string path = _temp.Combine(Guid.NewGuid().ToString("N") + ".safetensors");
        SafeTensors.Save(path, state);
        var body = ModelCatalog.CreateReference(ModelCatalog.ResNet20, numClasses: 0);
        ModelCheckpoint.Load(body, path);
        body.eval();
        return body;
    }

    private static Tensor Features(ImageModel body, Tensor input)
    {
        using var _ = no_grad();
        return body.ForwardBody(input).mean([2, 3]);
    }

    [Fact]
    public void The_converted_network_computes_what_onnx_runtime_computes_from_the_exported_input()
    {
        using var scope = NewDisposeScope();
        var files = Package;
        var preprocessed = RunOnnx(files.Preprocess, Images());
        var expected = RunOnnx(files.Network, preprocessed).flatten(1);
        var state = CntkResNetConverter.ReadNetwork(files.Network, ResNetConfig.ResNet20);
        using var body = Body(state);
        CntkResNetConverter.Dispose(state);

        var actual = Features(body, preprocessed);

        Assert.Equal([4L, 512L], actual.shape);
        double maxAbs = (actual - expected).abs().max().item<float>();
        double largest = expected.abs().max().item<float>();
        Assert.True(largest > 1, $"features as large as {largest}: the images should excite the network");
        _output.WriteLine($"exact path: max |TorchSharp − ONNX Runtime| = {maxAbs:E2}, features up to {largest:F2}");
        Assert.True(maxAbs <= 1e-4, $"max |TorchSharp − ONNX Runtime| = {maxAbs:E2} over features up to {largest:F2}");
    }

    [Fact]
    public void The_folded_weights_on_imagenet_normalised_rgb_give_the_original_pipelines_features()
    {
        using var scope = NewDisposeScope();
        var files = Package;
        var images = Images();
        var expected = RunOnnx(files.Network, RunOnnx(files.Preprocess, images)).flatten(1);
        var exact = CntkResNetConverter.ReadNetwork(files.Network, ResNetConfig.ResNet20);
        var folded = CntkResNetConverter.FoldImageNetNormalization(exact, CntkResNetConverter.ReadMeanImage(files.Preprocess));
        using var body = Body(folded);
        CntkResNetConverter.Dispose(exact);
        CntkResNetConverter.Dispose(folded);
        var imagenet = Normalization.ImageNet;
        var normalised = (images / 255 - tensor(imagenet.Mean.Select(m => (float)m).ToArray()).view(1, 3, 1, 1))
            / tensor(imagenet.Std.Select(s => (float)s).ToArray()).view(1, 3, 1, 1);

        var actual = Features(body, normalised);

        // Not exact: the preprocessing subtracts a per-pixel mean image, the fold its channel means (see CntkResNetConverter).
        var cosine = nn.functional.cosine_similarity(actual, expected, dim: 1);
        double worst = cosine.min().item<float>();
        _output.WriteLine($"folded path: cosine per image {string.Join(", ", cosine.data<float>().ToArray().Select(c => c.ToString("F5")))}; " +
            $"max abs {(actual - expected).abs().max().item<float>():F3}");
        Assert.True(worst >= 0.998, $"worst cosine {worst:F5} per image: {string.Join(", ", cosine.data<float>().ToArray().Select(c => c.ToString("F5")))}");
    }

    [Fact]
    public void The_weights_are_converted_once_into_the_cache_and_load_into_the_models_body()
    {
        string cache = _temp.Combine("cache");

        string path = PretrainedWeights.Resolve(ModelCatalog.ResNet20CntkIn1k, cache);
        var written = File.GetLastWriteTimeUtc(path);
        string again = PretrainedWeights.Resolve(ModelCatalog.ResNet20CntkIn1k, cache);

        Assert.Equal(Path.Combine(cache, "resnet20.cntk_in1k.safetensors"), path);
        Assert.Equal(path, again);
        Assert.Equal(written, File.GetLastWriteTimeUtc(again));
        var metadata = ModelCheckpoint.ReadMetadata(path);
        Assert.Equal(ModelCatalog.ResNet20CntkIn1k, metadata["model"]);
        Assert.Contains(CntkResNetPackage.NetworkSha256, metadata["source_sha256"]);
        Assert.Contains("MIT", metadata["license"]);
        using var model = ModelCatalog.Create(ModelCatalog.ResNet20CntkIn1k, numClasses: 10);
        var loaded = ModelCheckpoint.LoadBody(model, path);
        // 22 convolutions (a weight each) and 22 BatchNorms (weight, bias, running mean and variance): the whole body.
        Assert.Equal(22 + 22 * 4, loaded.Loaded.Count);
        Assert.Empty(loaded.Missing);
    }

    [Fact]
    public void A_cache_entry_from_another_converter_or_a_damaged_one_is_made_again()
    {
        string cache = _temp.Combine("stale");
        Directory.CreateDirectory(cache);
        string path = Path.Combine(cache, "resnet20.cntk_in1k.safetensors");
        using (var small = ones(2))
        {
            SafeTensors.Save(path, new Dictionary<string, Tensor> { ["x"] = small }, new Dictionary<string, string> { ["converter"] = "0" });
        }

        PretrainedWeights.Resolve(ModelCatalog.ResNet20CntkIn1k, cache);
        Assert.Equal(PretrainedWeights.ConverterVersion.ToString(), ModelCheckpoint.ReadMetadata(path)["converter"]);

        File.WriteAllText(path, "not safetensors");
        PretrainedWeights.Resolve(ModelCatalog.ResNet20CntkIn1k, cache);
        Assert.True(SafeTensors.IsSafeTensors(path));
    }

    [Fact]
    public void A_missing_package_names_every_place_looked_and_how_to_get_it()
    {
        var nowhere = new[] { CntkResNetPackage.InPackage(_temp.Combine("a")), CntkResNetPackage.InPackage(_temp.Combine("b")) };

        var error = Assert.Throws<PretrainedWeightsUnavailableException>(
            () => PretrainedWeights.Resolve(ModelCatalog.ResNet20CntkIn1k, _temp.Combine("cache-missing"), nowhere));

        Assert.IsAssignableFrom<MissingPrerequisiteException>(error);
        Assert.Equal(nowhere[0].Network, error.Path);
        Assert.Contains(nowhere[0].Network, error.Message);
        Assert.Contains(nowhere[1].Network, error.Message);
        Assert.Contains("Microsoft.ML.DnnImageFeaturizer.ResNet18 0.24.0", error.Message);
        Assert.Contains("dotnet restore", error.Message);
        Assert.False(Directory.Exists(_temp.Combine("cache-missing")));
    }

    [Fact]
    public void An_altered_network_file_is_refused_with_its_name_and_both_hashes()
    {
        var original = Package;
        var copy = CntkResNetPackage.InPackage(_temp.Combine("altered"));
        Directory.CreateDirectory(Path.GetDirectoryName(copy.Network)!);
        Directory.CreateDirectory(Path.GetDirectoryName(copy.Preprocess)!);
        File.Copy(original.Preprocess, copy.Preprocess);
        var bytes = File.ReadAllBytes(original.Network);
        bytes[^100] ^= 0x01;
        File.WriteAllBytes(copy.Network, bytes);

        var error = Assert.Throws<PretrainedWeightsUnavailableException>(
            () => PretrainedWeights.Resolve(ModelCatalog.ResNet20CntkIn1k, _temp.Combine("cache-altered"), [copy]));

        Assert.Equal(copy.Network, error.Path);
        Assert.Contains($"'{copy.Network}'", error.Message);
        Assert.Contains(CntkResNetPackage.NetworkSha256, error.Message);
        Assert.Contains("altered", error.Message);
        Assert.False(File.Exists(_temp.Combine("cache-altered", "resnet20.cntk_in1k.safetensors")));
    }

    [Fact]
    public void Another_network_is_refused_naming_what_differs()
    {
        var files = Package;

        var resnet18 = Assert.Throws<InvalidDataException>(() => CntkResNetConverter.ReadNetwork(files.Network, ResNetConfig.ResNet18));
        var notResNet = Assert.Throws<InvalidDataException>(() => CntkResNetConverter.ReadNetwork(files.Preprocess, ResNetConfig.ResNet20));
        string garbage = _temp.Combine("garbage.onnx");
        File.WriteAllBytes(garbage, [0xff, 0xff, 0xff, 0xff, 0x0f]);
        var notOnnx = Assert.Throws<InvalidDataException>(() => CntkResNetConverter.ReadNetwork(garbage, ResNetConfig.ResNet20));

        Assert.Contains("has 22 Conv nodes; a BasicBlock ResNet (2, 2, 2, 2) has 20", resnet18.Message);
        Assert.Contains(files.Network, resnet18.Message);
        Assert.Contains("has 0 Conv nodes", notResNet.Message);
        Assert.Contains($"'{garbage}' is not an ONNX model", notOnnx.Message);
    }
}
