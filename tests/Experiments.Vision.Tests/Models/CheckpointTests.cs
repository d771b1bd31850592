using System.Buffers.Binary;
using System.Text;
using Experiments.Vision.Checkpoints;
using Experiments.Vision.Models;
using Experiments.Vision.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Vision.Tests.Models;

public sealed class CheckpointTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("resnet18")]
    [InlineData("resnet26d")]
    [InlineData("resnext50_32x4d")]
    [InlineData("convnext_atto")]
    [InlineData("vit_tiny_patch4_32")]
    [InlineData("regnety_002")]
    [InlineData("mobilenetv3_small_100")]
    [InlineData("swin_tiny_patch2_window4_32")]
    [InlineData("swinv2_tiny_patch2_window4_32")]
    public void A_saved_model_loads_into_a_fresh_instance_with_identical_outputs(string name)
    {
        string path = _temp.Combine(name + ".safetensors");
        using var scope = NewDisposeScope();
        int size = ModelCatalog.Describe(name).InputSize ?? 32;
        var images = randn(2, 3, size, size);

        random.manual_seed(1);
        using var original = ModelCatalog.Create(name, 5);
        original.train();
        original.call(randn(4, 3, size, size)); // moves BatchNorm statistics away from their initial values
        original.eval();
        Tensor expected;
        using (no_grad())
        {
            expected = original.call(images);
        }
        ModelCheckpoint.Save(original, path);

        random.manual_seed(2);
        using var fresh = ModelCatalog.Create(name, 5);
        fresh.eval();
        var result = ModelCheckpoint.Load(fresh, path);

        using (no_grad())
        {
            Assert.True(ModelFixtures.Same(fresh.call(images), expected), "outputs differ after the round trip");
        }
        Assert.Equal(fresh.state_dict().Count, result.Loaded.Count);
        Assert.Empty(result.Missing);
        Assert.Empty(result.Unexpected);
        Assert.Equal(name, result.Metadata["model"]);
        Assert.Equal("pt", ModelCheckpoint.ReadMetadata(path)["format"]);
    }

    [Fact]
    public void TorchSharps_own_format_loads_with_the_same_key_checks()
    {
        string path = _temp.Combine("resnet26d.dat");
        using var scope = NewDisposeScope();
        using var original = ModelCatalog.CreateReference("resnet26d", numClasses: 10);
        original.save(path); // TorchSharp's Module.save

        using var fresh = ModelCatalog.CreateReference("resnet26d", numClasses: 10);
        var result = ModelCheckpoint.Load(fresh, path);

        Assert.Equal(fresh.state_dict().Count, result.Loaded.Count);
        var expected = original.state_dict();
        Assert.All(fresh.state_dict(), kv => Assert.True(ModelFixtures.Same(kv.Value, expected[kv.Key]), kv.Key));

        using var other = ModelCatalog.CreateReference("resnet26d", numClasses: 5);
        var error = Assert.Throws<CheckpointMismatchException>(() => ModelCheckpoint.Load(other, path));
        Assert.Equal(["fc.bias", "fc.weight"], error.ShapeMismatches.Select(m => m.Key).Order());

        File.WriteAllBytes(path, File.ReadAllBytes(path)[..1000]);
        var truncated = Assert.Throws<InvalidDataException>(() => ModelCheckpoint.Load(fresh, path));
        Assert.Contains(path, truncated.Message);
    }

    [Fact]
    public void A_reference_checkpoint_loads_into_a_vision_models_body_without_its_classifier()
    {
        string path = _temp.Combine("convnext_femto.safetensors");
        using var reference = ModelCatalog.CreateReference("convnext_femto", numClasses: 1000);
        ModelCheckpoint.Save(reference, path);

        using var model = ModelCatalog.Create("convnext_femto", 10);
        var result = ModelCheckpoint.LoadBody(model, path);

        Assert.Equal(["head.fc.bias", "head.fc.weight"], result.Ignored);
        var loaded = model.Body.state_dict();
        foreach (var (key, value) in reference.state_dict().Where(kv => !kv.Key.StartsWith("head.fc.", StringComparison.Ordinal)))
        {
            Assert.True(ModelFixtures.Same(loaded[key], value), key);
        }
    }

    [Fact]
    public void Wrong_missing_and_misshapen_keys_fail_with_a_message_that_lists_them()
    {
        string path = _temp.Combine("wrong.safetensors");
        using var scope = NewDisposeScope();
        using var model = ModelCatalog.CreateReference("resnet18", numClasses: 10);
        var tensors = model.state_dict();
        tensors.Remove("layer1.0.conv1.weight");
        tensors.Remove("bn1.running_var");
        tensors["layer9.0.conv1.weight"] = zeros(3);
        tensors["fc.weight"] = zeros(1000, 512);
        SafeTensors.Save(path, tensors);

        using var target = ModelCatalog.CreateReference("resnet18", numClasses: 10);
        var error = Assert.Throws<CheckpointMismatchException>(() => ModelCheckpoint.Load(target, path));

        Assert.Equal(["bn1.running_var", "layer1.0.conv1.weight"], error.Missing.Order());
        Assert.Equal(["layer9.0.conv1.weight"], error.Unexpected);
        Assert.Equal("fc.weight", Assert.Single(error.ShapeMismatches).Key);
        Assert.Contains("2 missing keys (in the model, not in the file): ", error.Message);
        Assert.Contains("layer1.0.conv1.weight", error.Message);
        Assert.Contains("bn1.running_var", error.Message);
        Assert.Contains("1 unexpected key (in the file, not in the model): layer9.0.conv1.weight", error.Message);
        Assert.Contains("fc.weight (model [10, 512], file [1000, 512])", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Not_strict_loads_the_matching_keys_and_reports_the_rest()
    {
        string path = _temp.Combine("partial.safetensors");
        using var scope = NewDisposeScope();
        using var model = ModelCatalog.CreateReference("regnety_002", numClasses: 10);
        var tensors = model.state_dict();
        tensors.Remove("stem.conv.weight");
        tensors["extra"] = zeros(1);
        SafeTensors.Save(path, tensors);

        using var target = ModelCatalog.CreateReference("regnety_002", numClasses: 10);
        var result = ModelCheckpoint.Load(target, path, new CheckpointLoadOptions { Strict = false });

        Assert.Equal(["stem.conv.weight"], result.Missing);
        Assert.Equal(["extra"], result.Unexpected);
        Assert.True(ModelFixtures.Same(target.state_dict()["s1.b1.conv2.conv.weight"], model.state_dict()["s1.b1.conv2.conv.weight"]));
    }

    [Fact]
    public void BatchNorm_batch_counts_may_be_absent_from_the_file_or_the_model()
    {
        string path = _temp.Combine("counts.safetensors");
        using var scope = NewDisposeScope();
        using var model = ModelCatalog.CreateReference("resnet18", numClasses: 10);
        var tensors = model.state_dict()
            .Where(kv => !kv.Key.EndsWith("num_batches_tracked", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        tensors["layer5.num_batches_tracked"] = tensor(3L);
        SafeTensors.Save(path, tensors);

        using var target = ModelCatalog.CreateReference("resnet18", numClasses: 10);
        var result = ModelCheckpoint.Load(target, path);

        Assert.Empty(result.Missing);
        Assert.Empty(result.Unexpected);
    }

    [Fact]
    public void Half_precision_values_are_converted_to_the_models_dtype()
    {
        string path = _temp.Combine("half.safetensors");
        using var scope = NewDisposeScope();
        using var model = ModelCatalog.CreateReference("regnety_002", numClasses: 10);
        var tensors = model.state_dict().ToDictionary(
            kv => kv.Key,
            kv => kv.Value.is_floating_point() ? kv.Value.to_type(ScalarType.BFloat16) : kv.Value);
        SafeTensors.Save(path, tensors);

        using var target = ModelCatalog.CreateReference("regnety_002", numClasses: 10);
        ModelCheckpoint.Load(target, path);

        var weight = target.state_dict()["head.fc.weight"];
        Assert.Equal(ScalarType.Float32, weight.dtype);
        Assert.True(ModelFixtures.Same(weight, tensors["head.fc.weight"].to_type(ScalarType.Float32)));
    }

    [Fact]
    public void A_file_written_by_hand_to_the_format_reads_back()
    {
        // 8-byte little-endian header length, JSON header, raw little-endian data (format of huggingface/safetensors).
        string header = """{"__metadata__":{"format":"pt"},"b":{"dtype":"I64","shape":[2],"data_offsets":[16,32]},"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}""";
        var data = new byte[32];
        new[] { 1f, 2f, 3f, 4f }.AsSpan().CopyTo(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(data.AsSpan(0, 16)));
        BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(16), -5);
        BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(24), 1L << 40);
        string path = WriteRaw("hand.safetensors", header, data);

        var (tensors, metadata) = SafeTensors.Load(path);
        try
        {
            Assert.Equal("pt", metadata["format"]);
            Assert.Equal(new long[] { 2, 2 }, tensors["a"].shape);
            Assert.Equal(new[] { 1f, 2f, 3f, 4f }, tensors["a"].data<float>().ToArray());
            Assert.Equal(new[] { -5L, 1L << 40 }, tensors["b"].data<long>().ToArray());
        }
        finally
        {
            foreach (var t in tensors.Values)
            {
                t.Dispose();
            }
        }
    }

    [Theory]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}""", 4, "needs 8 bytes but its data_offsets span 4")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8, "starts at 4, expected 0")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 8, "cover 4 bytes of a 8-byte data section")]
    [InlineData("""{"a":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}""", 1, "dtype F8_E4M3, which is not supported")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1]}}""", 4, "needs dtype, shape and two data_offsets")]
    [InlineData("""[1, 2]""", 0, "not a JSON object")]
    [InlineData("""{"a": """, 0, "not valid JSON")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1099511627776,1099511627776],"data_offsets":[0,4]}}""", 4, "shape whose size overflows ([1099511627776, 1099511627776])")]
    public void An_invalid_file_fails_with_a_message_naming_the_file_and_the_problem(string header, int dataBytes, string problem)
    {
        string path = WriteRaw("bad.safetensors", header, new byte[dataBytes]);

        var error = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Load(path));

        Assert.Contains(path, error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void A_header_length_past_the_end_of_the_file_is_refused()
    {
        string path = _temp.Combine("short.safetensors");
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1_000_000);
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Load(path));
        Assert.Contains("header length 1000000 exceeds the file", error.Message);
    }

    [Fact]
    public void A_damaged_safetensors_file_gets_the_safetensors_error_not_the_other_formats()
    {
        // A header length past the end: by content alone this no longer looks like safetensors.
        string path = _temp.Combine("damaged.safetensors");
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1_000_000);
        File.WriteAllBytes(path, bytes);
        using var model = ModelCatalog.CreateReference("resnet26d", numClasses: 10);

        var error = Assert.Throws<SafeTensorsFormatException>(() => ModelCheckpoint.Load(model, path));

        Assert.Contains(path, error.Message);
        Assert.Contains("header length 1000000 exceeds the file", error.Message);
    }

    private string WriteRaw(string name, string header, byte[] data)
    {
        string path = _temp.Combine(name);
        var json = Encoding.UTF8.GetBytes(header);
        using var file = File.Create(path);
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)json.Length);
        file.Write(prefix);
        file.Write(json);
        file.Write(data);
        return path;
    }
}
