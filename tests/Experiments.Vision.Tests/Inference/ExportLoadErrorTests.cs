using System.Text;
using System.Text.Json.Nodes;
using Experiments.Vision.Checkpoints;
using Experiments.Vision.Inference;
using Experiments.Vision.Models;
using Experiments.Vision.Tests.Support;
using TorchSharp;
using static Experiments.Vision.Tests.Inference.InferenceFixtures;

namespace Experiments.Vision.Tests.Inference;

/// <summary>One export, saved once; every test copies it and breaks the copy.</summary>
public sealed class ExportFixture : IDisposable
{
    private readonly TempDirectory _temp = new();

    public ExportFixture()
    {
        using var model = Model(options: new ModelOptions { Pooling = Pooling.Average, HiddenSize = 32 });
        Files = ModelExport.Save(model, _temp.Path, "fixture", Metadata(Shapes(4)));
    }

    public ExportedFiles Files { get; }

    public void Dispose() => _temp.Dispose();
}

public sealed class ExportLoadErrorTests : IClassFixture<ExportFixture>, IDisposable
{
    private readonly ExportFixture _fixture;
    private readonly TempDirectory _temp = new();

    public ExportLoadErrorTests(ExportFixture fixture)
    {
        _fixture = fixture;
        MetadataPath = _temp.Combine("regnety_002_fixture.json");
        WeightsPath = _temp.Combine("regnety_002_fixture.safetensors");
        File.Copy(fixture.Files.MetadataPath, MetadataPath);
        File.Copy(fixture.Files.WeightsPath, WeightsPath);
    }

    private string MetadataPath { get; }

    private string WeightsPath { get; }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_untouched_copy_loads()
    {
        using var loaded = ModelExport.Load(MetadataPath);
        Assert.Equal("regnety_002_fixture", loaded.Name);
    }

    [Theory]
    [InlineData("architecture", null, "architecture", "is missing")]
    [InlineData("architecture", "\"regnety_02\"", "architecture", "did you mean 'regnety_002'")]
    [InlineData("architecture", "7", "architecture", "must be a string, not the number 7")]
    [InlineData("format", "\"pickle\"", "format", "expected 'experiments-vision-export'")]
    [InlineData("format_version", "2", "format_version", "reads up to version 1")]
    [InlineData("num_classes", "\"three\"", "num_classes", "must be a whole number, not the string \"three\"")]
    [InlineData("num_classes", "0", "num_classes", "must be at least 1")]
    [InlineData("classes", "[\"a\", \"b\"]", "classes", "lists 2 names but num_classes is 3")]
    [InlineData("classes", "[\"a\", 5, \"c\"]", "classes[1]", "must be a string")]
    [InlineData("classes", "[\"a\", \"a\", \"c\"]", "classes", "lists 'a' twice")]
    [InlineData("multi_label", "\"no\"", "multi_label", "must be true or false")]
    [InlineData("input_channels", null, "input_channels", "is missing")]
    [InlineData("image_size", null, "image_size", "is missing")]
    [InlineData("image_size.height", null, "image_size.height", "is missing")]
    [InlineData("image_size.width", "-3", "image_size.width", "must be at least 1")]
    [InlineData("resize.method", "\"stretch\"", "resize.method", "must be one of \"squish\", \"crop\", \"pad\"")]
    [InlineData("resize.pad_mode", "null", "resize.pad_mode", "is null")]
    [InlineData("normalization", null, "normalization", "is missing")]
    [InlineData("normalization.std", "[0.2, 0, 0.2]", "normalization", "positive")]
    [InlineData("normalization.mean", "[0.5, 0.5]", "normalization", "Need one mean and one std per channel")]
    [InlineData("head.pooling", "\"max\"", "head.pooling", "must be one of \"average\", \"concat\" or null")]
    [InlineData("head.pooling", "null", "head.pooling", "takes \"concat\" or \"average\"")]
    [InlineData("head.dropout", "2", "head.dropout", "from 0 to 1")]
    [InlineData("metrics.error_rate", "\"low\"", "metrics.error_rate", "must be a number")]
    [InlineData("properties.dataset", "1", "properties.dataset", "must be a string")]
    [InlineData("created", "\"yesterday\"", "created", "not an ISO 8601 date")]
    [InlineData("name", "\"../evil\"", "name", "an export name has")]
    [InlineData("weights", "\"../regnety_002_fixture.safetensors\"", "weights", "plain file name")]
    [InlineData("weights", "\"/etc/passwd\"", "weights", "plain file name")]
    [InlineData("weights", "\"other.safetensors\"", "weights", "not in the metadata's folder")]
    [InlineData("weights_sha256", "\"xyz\"", "weights_sha256", "64 lower-case hex digits")]
    public void Malformed_metadata_is_refused_naming_the_file_and_the_field(string field, string? json, string reported, string problem)
    {
        Edit(field, json);

        var error = Assert.Throws<ExportFormatException>(() => ModelExport.Load(MetadataPath));

        Assert.Equal(MetadataPath, error.Path);
        Assert.Equal(reported, error.Field);
        Assert.Contains($"'{MetadataPath}'", error.Message);
        Assert.Contains($"field '{reported}'", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void A_file_that_is_not_json_or_not_an_object_is_refused_naming_the_file()
    {
        File.WriteAllText(MetadataPath, File.ReadAllText(MetadataPath)[..40]);
        var truncated = Assert.Throws<ExportFormatException>(() => ModelExport.Load(MetadataPath));
        Assert.Null(truncated.Field);
        Assert.Contains($"'{MetadataPath}'", truncated.Message);
        Assert.Contains("not valid JSON", truncated.Message);

        File.WriteAllText(MetadataPath, "[1, 2]");
        Assert.Contains("must hold a JSON object, not an array", Assert.Throws<ExportFormatException>(() => ModelExport.Load(MetadataPath)).Message);

        var missing = Assert.Throws<FileNotFoundException>(() => ModelExport.Load(_temp.Combine("nothing.json")));
        Assert.Contains("nothing.json", missing.Message);
    }

    [Fact]
    public void A_pickle_in_place_of_the_weights_is_refused_without_running_it()
    {
        // A protocol-2 pickle whose loading would call os.system("touch MARKER").
        string marker = _temp.Combine("pickle-ran");
        byte[] command = Encoding.ASCII.GetBytes($"touch {marker}");
        var pickle = new List<byte> { 0x80, 0x02 };
        pickle.AddRange(Encoding.ASCII.GetBytes("cposix\nsystem\nX"));
        pickle.AddRange(BitConverter.GetBytes(command.Length));
        pickle.AddRange(command);
        pickle.AddRange([0x85, (byte)'R', (byte)'.']);
        File.WriteAllBytes(WeightsPath, [.. pickle]);

        var error = Assert.Throws<ExportFormatException>(() => ModelExport.Load(MetadataPath));

        Assert.Equal(WeightsPath, error.Path);
        Assert.Contains("not a safetensors file", error.Message);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void Other_checkpoint_formats_are_refused_even_when_they_would_load_as_checkpoints()
    {
        // A PyTorch zip checkpoint (pickle inside) ...
        File.WriteAllBytes(WeightsPath, [.. "PK\u0003\u0004"u8, .. "archive/data.pkl"u8, .. new byte[64]]);
        Assert.Contains("not a safetensors file", Assert.Throws<ExportFormatException>(() => ModelExport.Load(MetadataPath)).Message);

        // ... and TorchSharp's own format, which ModelCheckpoint.Load accepts: an export is safetensors only.
        using var model = Model(options: new ModelOptions { Pooling = Pooling.Average, HiddenSize = 32 });
        model.save(WeightsPath);
        Assert.Contains("not a safetensors file", Assert.Throws<ExportFormatException>(() => ModelExport.Load(MetadataPath)).Message);
    }

    [Fact]
    public void Weights_that_changed_since_the_export_are_refused()
    {
        using var other = Model(seed: 9, options: new ModelOptions { Pooling = Pooling.Average, HiddenSize = 32 });
        ModelCheckpoint.Save(other, WeightsPath);

        var error = Assert.Throws<ExportFormatException>(() => ModelExport.Load(MetadataPath));

        Assert.Equal(WeightsPath, error.Path);
        Assert.Contains("does not match the weights_sha256", error.Message);
    }

    [Fact]
    public void Weights_that_do_not_fit_the_described_architecture_fail_the_strict_load()
    {
        Edit("weights_sha256", null);
        Edit("head.hidden_size", "48");

        var error = Assert.Throws<CheckpointMismatchException>(() => ModelExport.Load(MetadataPath));

        Assert.Equal(WeightsPath, error.Path);
        Assert.Contains("head.4.weight", error.Message);
    }

    [Fact]
    public void A_damaged_safetensors_file_is_refused_naming_it()
    {
        Edit("weights_sha256", null);
        var bytes = File.ReadAllBytes(WeightsPath);
        File.WriteAllBytes(WeightsPath, bytes[..(bytes.Length - 10)]);

        var error = Assert.Throws<SafeTensorsFormatException>(() => ModelExport.Load(MetadataPath));

        Assert.Equal(WeightsPath, error.Path);
    }

    /// <summary>Sets (or, with null, removes) the field at a dotted path of the metadata copy.</summary>
    private void Edit(string field, string? json)
    {
        var root = JsonNode.Parse(File.ReadAllText(MetadataPath))!.AsObject();
        var parts = field.Split('.');
        var parent = root;
        foreach (var part in parts[..^1])
        {
            parent = parent[part]!.AsObject();
        }
        if (json is null)
        {
            parent.Remove(parts[^1]);
        }
        else
        {
            parent[parts[^1]] = JsonNode.Parse(json);
        }
        File.WriteAllText(MetadataPath, root.ToJsonString());
    }
}
