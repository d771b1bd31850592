using System.Reflection;
using System.Text.Json.Nodes;
using Experiments.Vision.Data;
using Experiments.Vision.Inference;
using Experiments.Vision.Models;
using Experiments.Vision.Tests.Support;
using Experiments.Vision.Transforms;
using TorchSharp;
using static Experiments.Vision.Tests.Inference.InferenceFixtures;
using static TorchSharp.torch;

namespace Experiments.Vision.Tests.Inference;

public sealed class ModelExportTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public ModelExportTests() => TorchRuntime.EnsureLoaded();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(ModelCatalog.RegNetY002, Pooling.Average)]
    [InlineData(ModelCatalog.ConvNeXtAtto, Pooling.Concat)]
    [InlineData(ModelCatalog.ViTTinyPatch4x32, Pooling.Concat)]
    public void An_exported_model_loads_back_with_identical_predictions(string architecture, Pooling pooling)
    {
        var dataset = Shapes(10);
        var normalization = architecture.StartsWith("vit", StringComparison.Ordinal) ? Normalization.Inception : Normalization.ImageNet;
        using var model = Model(architecture, options: new ModelOptions { Pooling = pooling, HiddenSize = 64, Dropout = 0.3 });
        using var expected = Predictor.Predict(model, Loader(dataset, batchSize: 8), new PredictOptions { Normalization = normalization });

        var files = ModelExport.Save(model, _temp.Path, "shapes / crop", Metadata(dataset, normalization));
        using var loaded = ModelExport.Load(files.MetadataPath);
        using var actual = loaded.Predict(dataset, batchSize: 8);

        Assert.True(Same(expected.Probabilities, actual.Probabilities), "the loaded model predicts differently");
        Assert.True(Same(expected.Targets!, actual.Targets!));
        var original = model.state_dict();
        Assert.Equal(original.Count, loaded.Model.state_dict().Count);
        Assert.All(loaded.Model.state_dict(), kv => Assert.True(Same(original[kv.Key], kv.Value), kv.Key));
        Assert.False(loaded.Model.training);

        var manifest = loaded.Manifest;
        Assert.Equal($"{architecture}_shapes-crop", manifest.Name);
        Assert.Equal(files.Name, manifest.Name);
        Assert.Equal(Path.Combine(_temp.Path, manifest.Name + ".safetensors"), files.WeightsPath);
        Assert.Equal(architecture, manifest.Architecture);
        Assert.Equal("shapes / crop", manifest.Description);
        Assert.Equal(ShapesDataset.ShapeNames, manifest.Classes);
        Assert.Equal(3, manifest.NumClasses);
        Assert.False(manifest.MultiLabel);
        Assert.Equal(3, manifest.InputChannels);
        Assert.Equal((32, 32), (manifest.ImageHeight, manifest.ImageWidth));
        Assert.Equal((ResizeMethod.Crop, PadMode.Reflection), (manifest.ResizeMethod, manifest.PadMode));
        Assert.Equal(normalization.Mean, manifest.Normalization!.Mean);
        Assert.Equal(normalization.Std, manifest.Normalization.Std);
        Assert.Equal(architecture == ModelCatalog.ViTTinyPatch4x32 ? null : pooling, manifest.Pooling);
        Assert.Equal((64, 0.3), (manifest.HiddenSize, manifest.Dropout));
        Assert.Equal(0.25, manifest.Metrics["error_rate"]);
        Assert.True(double.IsNaN(manifest.Metrics["valid_loss"]));
        Assert.Equal("shapes", manifest.Properties["dataset"]);
        Assert.InRange(manifest.Created, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal(typeof(ModelExport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion, manifest.LibraryVersion);
        Assert.Equal("0.107.0", manifest.TorchSharpVersion);
        Assert.Equal(64, manifest.WeightsSha256!.Length);
    }

    [Fact]
    public void Exports_load_from_the_metadata_the_weights_or_the_bare_path_and_predict_plain_images()
    {
        var dataset = Shapes(6);
        using var model = Model();
        var files = ModelExport.Save(model, _temp.Path, "paths", Metadata(dataset));

        using var fromJson = ModelExport.Load(files.MetadataPath);
        using var fromWeights = ModelExport.Load(files.WeightsPath);
        using var fromBare = ModelExport.Load(Path.Combine(_temp.Path, files.Name));
        Assert.Equal(files.Name, fromWeights.Name);
        Assert.Equal(files.Name, fromBare.Name);
        Assert.Equal(files.Manifest.Created, ModelExport.ReadManifest(files.WeightsPath).Created);

        // Plain images of any size and channels go through the exported channel conversion and resize.
        using var byDataset = fromJson.Predict(dataset);
        var images = Enumerable.Range(0, 6).Select(i => dataset.Get(i).Image).ToList();
        using var byImages = fromJson.Predict(images);
        Assert.True(Same(byDataset.Probabilities, byImages.Probabilities));
        Assert.Null(byImages.Targets);
        var multiLabel = ModelExport.Save(model, _temp.Path, "multi", Metadata(Shapes(4, multiLabel: true)));
        using (var multi = ModelExport.Load(multiLabel.MetadataPath))
        using (var unlabelled = multi.Predict(images))
        {
            Assert.True(unlabelled.IsMultiLabel);
            Assert.Null(unlabelled.Targets);
        }
        using var grey = fromJson.Predict([images[0].ToChannels(1)]);
        using var greyAsRgb = fromJson.Predict([images[0].ToChannels(1).ToChannels(3)]);
        Assert.True(Same(greyAsRgb.Probabilities, grey.Probabilities));
    }

    [Fact]
    public void A_loaded_export_refuses_data_it_was_not_made_for()
    {
        using var model = Model();
        var files = ModelExport.Save(model, _temp.Path, "", Metadata(Shapes(4)));
        using var loaded = ModelExport.Load(files.MetadataPath);

        var wrongSize = Loader(Shapes(4), new Resize(24), batchSize: 4);
        var error = Assert.Throws<InvalidOperationException>(() => loaded.Predict(wrongSize));
        Assert.Contains("24×24", error.Message);
        Assert.Contains("CreateLoader", error.Message);

        var multiLabel = Shapes(4, multiLabel: true);
        Assert.Contains("multi-label", Assert.Throws<ArgumentException>(() => loaded.Predict(multiLabel)).Message);
    }

    [Fact]
    public void Names_are_the_architecture_and_the_sanitised_description()
    {
        Assert.Equal("convnext_atto_Shapes-lr-0.002-crop", ModelExport.NameFor("convnext_atto", "Shapes lr=0.002 / crop"));
        Assert.Equal("regnety_002", ModelExport.NameFor("regnety_002", ""));
        Assert.Equal("regnety_002", ModelExport.NameFor("regnety_002", " /// "));
        Assert.Equal("regnety_002_etc-passwd", ModelExport.NameFor("regnety_002", "  ../../etc/passwd "));
        Assert.Equal("regnety_002_h-llo-w-rld_2", ModelExport.NameFor("regnety_002", "héllo wörld_2"));
        var longName = ModelExport.NameFor("regnety_002", new string('x', 500));
        Assert.Equal(ModelExport.MaxNameLength, longName.Length);
        Assert.All(new[] { "regnety_002_etc-passwd", longName }, n => Assert.True(ModelExport.IsValidName(n)));
        Assert.False(ModelExport.IsValidName("../x"));
        Assert.False(ModelExport.IsValidName(".hidden"));
    }

    [Fact]
    public void A_taken_name_gets_a_suffix_by_default_fails_or_is_overwritten_when_asked()
    {
        var dataset = Shapes(4);
        using var model = Model();
        var metadata = Metadata(dataset);

        var names = Enumerable.Range(0, 3).Select(_ => ModelExport.Save(model, _temp.Path, "repeat", metadata).Name).ToList();
        Assert.Equal(["regnety_002_repeat", "regnety_002_repeat_2", "regnety_002_repeat_3"], names);
        Assert.All(names, n => Assert.True(File.Exists(_temp.Combine(n + ".json")) && File.Exists(_temp.Combine(n + ".safetensors"))));

        var before = Directory.GetFiles(_temp.Path).Order().ToList();
        var error = Assert.Throws<IOException>(() => ModelExport.Save(model, _temp.Path, "repeat", metadata, ExportCollision.Fail));
        Assert.Contains("regnety_002_repeat", error.Message);
        Assert.Equal(before, Directory.GetFiles(_temp.Path).Order());

        var replaced = ModelExport.Save(model, _temp.Path, "repeat", metadata with { Metrics = new Dictionary<string, double> { ["error_rate"] = 0.125 } },
            ExportCollision.Overwrite);
        Assert.Equal("regnety_002_repeat", replaced.Name);
        Assert.Equal(0.125, ModelExport.ReadManifest(replaced.MetadataPath).Metrics["error_rate"]);
        Assert.Equal(before, Directory.GetFiles(_temp.Path).Order());

        // Weights left without metadata (an interrupted export) also hold the name.
        File.WriteAllBytes(_temp.Combine("regnety_002_orphan.safetensors"), [1, 2, 3]);
        Assert.Equal("regnety_002_orphan_2", ModelExport.Save(model, _temp.Path, "orphan", metadata).Name);
    }

    [Fact]
    public void Exports_saved_at_once_into_one_folder_get_distinct_names()
    {
        var dataset = Shapes(4);
        var models = Enumerable.Range(0, 3).Select(seed => Model(seed: seed)).ToList();
        var names = new string[models.Count];

        Parallel.For(0, models.Count, i => names[i] = ModelExport.Save(models[i], _temp.Path, "parallel", Metadata(dataset)).Name);

        Assert.Equal(["regnety_002_parallel", "regnety_002_parallel_2", "regnety_002_parallel_3"], names.Order());
        foreach (var name in names)
        {
            using var loaded = ModelExport.Load(_temp.Combine(name + ".json"));
            Assert.Equal(name, loaded.Name);
        }
        models.ForEach(m => m.Dispose());
    }

    [Fact]
    public void Metadata_that_does_not_fit_the_model_is_refused_before_anything_is_written()
    {
        var dataset = Shapes(4);
        using var model = Model();
        var metadata = Metadata(dataset);

        Assert.Contains("2 classes", Assert.Throws<ArgumentException>(() =>
            ModelExport.Save(model, _temp.Path, "x", metadata with { Classes = ["a", "b"] })).Message);
        Assert.Contains("'a' is listed twice", Assert.Throws<ArgumentException>(() =>
            ModelExport.Save(model, _temp.Path, "x", metadata with { Classes = ["a", "b", "a"] })).Message);
        Assert.Contains("2 channels", Assert.Throws<ArgumentException>(() =>
            ModelExport.Save(model, _temp.Path, "x", metadata with { Normalization = new Normalization([0.5, 0.5], [0.2, 0.2]) })).Message);
        using var vit = Model(ModelCatalog.ViTTinyPatch4x32, options: new ModelOptions { HiddenSize = 16 });
        Assert.Contains("32×32", Assert.Throws<ArgumentException>(() =>
            ModelExport.Save(vit, _temp.Path, "x", metadata with { ImageHeight = 40, ImageWidth = 40 })).Message);

        Assert.Empty(Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public void Metadata_can_come_from_the_training_loader()
    {
        var dataset = Shapes(4, multiLabel: true);
        var resize = new Resize(24, 32, ResizeMethod.Pad, PadMode.Zeros);

        var metadata = ExportMetadata.For(Loader(dataset, resize), Normalization.Inception);

        Assert.Equal(ShapesDataset.ShapeNames, metadata.Classes);
        Assert.True(metadata.MultiLabel);
        Assert.Equal((24, 32, ResizeMethod.Pad, PadMode.Zeros), (metadata.ImageHeight, metadata.ImageWidth, metadata.ResizeMethod, metadata.PadMode));
        Assert.Same(Normalization.Inception, metadata.Normalization);
        var composed = Loader(dataset, ItemTransform.Compose(resize));
        Assert.Contains("records a Resize", Assert.Throws<ArgumentException>(() => ExportMetadata.For(composed, null)).Message);
    }

    [Fact]
    public void The_metadata_file_is_plain_json_with_the_documented_fields()
    {
        using var model = Model(options: new ModelOptions { Pooling = Pooling.Concat, HiddenSize = 32 });
        var files = ModelExport.Save(model, _temp.Path, "fields", Metadata(Shapes(4)) with { ResizeMethod = ResizeMethod.Pad, PadMode = PadMode.Border });

        var json = JsonNode.Parse(File.ReadAllText(files.MetadataPath))!.AsObject();

        Assert.Equal("experiments-vision-export", (string?)json["format"]);
        Assert.Equal(1, (int?)json["format_version"]);
        Assert.Equal("regnety_002", (string?)json["architecture"]);
        Assert.Equal("regnety_002_fields.safetensors", (string?)json["weights"]);
        Assert.Equal(3, (int?)json["num_classes"]);
        Assert.Equal("pad", (string?)json["resize"]!["method"]);
        Assert.Equal("border", (string?)json["resize"]!["pad_mode"]);
        Assert.Equal("concat", (string?)json["head"]!["pooling"]);
        Assert.Equal(32, (int?)json["head"]!["hidden_size"]);
        Assert.Equal("NaN", (string?)json["metrics"]!["valid_loss"]);
        Assert.Equal(3, json["normalization"]!["mean"]!.AsArray().Count);
        Assert.EndsWith("Z", (string?)json["created"]);
    }
}
