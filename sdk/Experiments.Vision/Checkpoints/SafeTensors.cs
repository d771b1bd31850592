using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Vision.Checkpoints;

/// <summary>One tensor's entry in a safetensors header.</summary>
/// <param name="Name">Tensor name (a state-dict key).</param>
/// <param name="DType">safetensors dtype code (F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL).</param>
/// <param name="Shape">Dimensions.</param>
/// <param name="Begin">Offset of the first byte in the data section.</param>
/// <param name="End">Offset past the last byte in the data section.</param>
public sealed record SafeTensorInfo(string Name, string DType, long[] Shape, long Begin, long End);

/// <summary>
/// Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header
/// <c>{name: {dtype, shape, data_offsets}, "__metadata__": {string: string}}</c>, then the raw little-endian tensor
/// bytes. Reading parses JSON and copies bytes only — nothing in the file is executed (unlike pickle checkpoints).
/// The checks follow the format's rules: header within bounds, offsets inside the data section, each tensor's byte
/// length equal to its shape × dtype size, and the data section covered exactly, without holes or overlaps.
/// </summary>
public static class SafeTensors
{
    /// <summary>The key of the string-to-string metadata in the header.</summary>
    public const string MetadataKey = "__metadata__";

    private const long MaxHeaderBytes = 100_000_000;

    private static readonly Dictionary<string, (ScalarType Type, int Size)> DTypes = new(StringComparer.Ordinal)
    {
        ["F64"] = (ScalarType.Float64, 8),
        ["F32"] = (ScalarType.Float32, 4),
        ["F16"] = (ScalarType.Float16, 2),
        ["BF16"] = (ScalarType.BFloat16, 2),
        ["I64"] = (ScalarType.Int64, 8),
        ["I32"] = (ScalarType.Int32, 4),
        ["I16"] = (ScalarType.Int16, 2),
        ["I8"] = (ScalarType.Int8, 1),
        ["U8"] = (ScalarType.Byte, 1),
        ["BOOL"] = (ScalarType.Bool, 1),
    };

    /// <summary>Writes <paramref name="tensors"/> (copied to the CPU, contiguous) and <paramref name="metadata"/> to <paramref name="path"/>.</summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tensors);
        EnsureLittleEndian();

        var names = tensors.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();
        if (names.Contains(MetadataKey))
        {
            throw new ArgumentException($"'{MetadataKey}' cannot be a tensor name.", nameof(tensors));
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    json.WriteString(key, value);
                }
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var name in names)
            {
                var tensor = tensors[name];
                var code = Code(tensor.dtype, name);
                long length = tensor.numel() * DTypes[code].Size;
                json.WriteStartObject(name);
                json.WriteString("dtype", code);
                json.WriteStartArray("shape");
                foreach (var dim in tensor.shape)
                {
                    json.WriteNumberValue(dim);
                }
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + length);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += length;
            }
            json.WriteEndObject();
        }
        // Pad the header with spaces so the data section starts 8-byte aligned, as the reference writer does.
        while (buffer.Length % 8 != 0)
        {
            buffer.WriteByte((byte)' ');
        }

        string temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                Span<byte> prefix = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)buffer.Length);
                file.Write(prefix);
                buffer.Position = 0;
                buffer.CopyTo(file);
                foreach (var name in names)
                {
                    using var scope = NewDisposeScope();
                    var cpu = tensors[name].detach().cpu().contiguous();
                    if (cpu.numel() > 0)
                    {
                        file.Write(cpu.bytes);
                    }
                }
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// Whether <paramref name="path"/> starts like a safetensors file: a header length that fits the file, followed by
    /// a JSON object.
    /// </summary>
    public static bool IsSafeTensors(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        Span<byte> start = stackalloc byte[9];
        if (file.Length < 10 || file.Read(start) != 9)
        {
            return false;
        }
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(start);
        return headerLength >= 2 && headerLength <= (ulong)(file.Length - 8) && start[8] == (byte)'{';
    }

    /// <summary>Reads the header of <paramref name="path"/>: tensor entries (in file order of offsets) and metadata.</summary>
    /// <exception cref="SafeTensorsFormatException">The file is not a valid safetensors file.</exception>
    public static (IReadOnlyList<SafeTensorInfo> Tensors, IReadOnlyDictionary<string, string> Metadata) ReadHeader(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var (tensors, metadata, _) = ReadHeader(file, path);
        return (tensors, metadata);
    }

    /// <summary>Reads every tensor of <paramref name="path"/> onto the CPU, with the header's metadata.</summary>
    /// <exception cref="SafeTensorsFormatException">The file is not a valid safetensors file.</exception>
    public static (Dictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata) Load(string path)
    {
        EnsureLittleEndian();
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        var (infos, metadata, dataStart) = ReadHeader(file, path);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var info in infos)
            {
                var tensor = empty(info.Shape, DTypes[info.DType].Type);
                tensors.Add(info.Name, tensor);
                long length = info.End - info.Begin;
                if (length == 0)
                {
                    continue;
                }
                var bytes = new byte[length];
                file.Position = dataStart + info.Begin;
                file.ReadExactly(bytes);
                tensor.bytes = bytes;
            }
        }
        catch
        {
            foreach (var tensor in tensors.Values)
            {
                tensor.Dispose();
            }
            throw;
        }
        return (tensors, metadata);
    }

    private static (List<SafeTensorInfo> Tensors, Dictionary<string, string> Metadata, long DataStart) ReadHeader(FileStream file, string path)
    {
        Span<byte> prefix = stackalloc byte[8];
        if (file.Length < 8 || file.Read(prefix) != 8)
        {
            throw new SafeTensorsFormatException(path, "the file is shorter than the 8-byte header length");
        }
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > MaxHeaderBytes || (long)headerLength > file.Length - 8)
        {
            throw new SafeTensorsFormatException(path, $"the header length {headerLength} exceeds the file ({file.Length} bytes) or the {MaxHeaderBytes}-byte limit");
        }
        var header = new byte[headerLength];
        file.ReadExactly(header);
        long dataStart = 8 + (long)headerLength;
        long dataLength = file.Length - dataStart;

        var tensors = new List<SafeTensorInfo>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 8 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new SafeTensorsFormatException(path, "the header is not a JSON object");
            }
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == MetadataKey)
                {
                    if (property.Value.ValueKind != JsonValueKind.Object)
                    {
                        throw new SafeTensorsFormatException(path, $"'{MetadataKey}' is not an object");
                    }
                    foreach (var entry in property.Value.EnumerateObject())
                    {
                        metadata[entry.Name] = entry.Value.ValueKind == JsonValueKind.String
                            ? entry.Value.GetString()!
                            : throw new SafeTensorsFormatException(path, $"metadata '{entry.Name}' is not a string");
                    }
                    continue;
                }
                var info = ReadEntry(property, path);
                if (!names.Add(info.Name))
                {
                    throw new SafeTensorsFormatException(path, $"tensor '{info.Name}' appears twice");
                }
                tensors.Add(info);
            }
        }
        catch (JsonException ex)
        {
            throw new SafeTensorsFormatException(path, $"the header is not valid JSON ({ex.Message})", ex);
        }

        tensors.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long expected = 0;
        foreach (var info in tensors)
        {
            if (info.Begin != expected)
            {
                throw new SafeTensorsFormatException(path, $"tensor '{info.Name}' starts at {info.Begin}, expected {expected}: the data section has a hole or an overlap");
            }
            expected = info.End;
        }
        if (expected != dataLength)
        {
            throw new SafeTensorsFormatException(path, $"the tensors cover {expected} bytes of a {dataLength}-byte data section");
        }
        return (tensors, metadata, dataStart);
    }

    private static SafeTensorInfo ReadEntry(JsonProperty property, string path)
    {
        string name = property.Name;
        var value = property.Value;
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String
            || !value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
            || !value.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array
            || offsetsElement.GetArrayLength() != 2)
        {
            throw new SafeTensorsFormatException(path, $"tensor '{name}' needs dtype, shape and two data_offsets");
        }
        string dtype = dtypeElement.GetString()!;
        if (!DTypes.TryGetValue(dtype, out var type))
        {
            throw new SafeTensorsFormatException(path, $"tensor '{name}' has dtype {dtype}, which is not supported (supported: {string.Join(", ", DTypes.Keys)})");
        }
        var shape = new long[shapeElement.GetArrayLength()];
        long count = 1;
        int i = 0;
        foreach (var dim in shapeElement.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out var size) || size < 0)
            {
                throw new SafeTensorsFormatException(path, $"tensor '{name}' has an invalid shape");
            }
            shape[i++] = size;
            // A crafted shape ([2^40, 2^40]) must be this file's error, not a bare OverflowException.
            if (size != 0 && count > long.MaxValue / size / type.Size)
            {
                throw new SafeTensorsFormatException(path, $"tensor '{name}' has a shape whose size overflows ([{string.Join(", ", shapeElement.EnumerateArray())}])");
            }
            count *= size;
        }
        var offsets = offsetsElement.EnumerateArray().ToArray();
        if (!offsets[0].TryGetInt64(out long begin) || !offsets[1].TryGetInt64(out long end) || begin < 0 || end < begin)
        {
            throw new SafeTensorsFormatException(path, $"tensor '{name}' has invalid data_offsets");
        }
        if (end - begin != count * type.Size)
        {
            throw new SafeTensorsFormatException(path, $"tensor '{name}' ({dtype}, shape [{string.Join(", ", shape)}]) needs {count * type.Size} bytes but its data_offsets span {end - begin}");
        }
        return new SafeTensorInfo(name, dtype, shape, begin, end);
    }

    private static string Code(ScalarType type, string name) =>
        DTypes.FirstOrDefault(kv => kv.Value.Type == type).Key
        ?? throw new ArgumentException($"Tensor '{name}' has dtype {type}, which safetensors files here do not store.", nameof(name));

    private static void EnsureLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("safetensors reading and writing needs a little-endian machine.");
        }
    }
}

/// <summary>A file is not a valid safetensors file; the message names the file and the problem.</summary>
public sealed class SafeTensorsFormatException : Exception
{
    public SafeTensorsFormatException(string path, string problem, Exception? inner = null)
        : base($"'{path}' is not a valid safetensors file: {problem}.", inner)
    {
        Path = path;
    }

    public string Path { get; }
}
