using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Vision.Checkpoints;

/// <summary>
/// Reads TorchSharp's own state-dict format (what <c>Module.save(path)</c> writes): a LEB128 entry count, then per
/// entry the key as a .NET length-prefixed UTF-8 string, the dtype, rank and dimensions as LEB128 numbers, and the raw
/// little-endian bytes. Read into a dictionary so that <see cref="ModelCheckpoint.Load"/> checks keys and shapes the
/// same way as for safetensors (TorchSharp's own <c>load</c> stops at the first problem). Nothing is executed.
/// </summary>
public static class TorchSharpFormat
{
    private static readonly Dictionary<ScalarType, int> ElementSizes = new()
    {
        [ScalarType.Float64] = 8,
        [ScalarType.Float32] = 4,
        [ScalarType.Float16] = 2,
        [ScalarType.BFloat16] = 2,
        [ScalarType.Int64] = 8,
        [ScalarType.Int32] = 4,
        [ScalarType.Int16] = 2,
        [ScalarType.Int8] = 1,
        [ScalarType.Byte] = 1,
        [ScalarType.Bool] = 1,
    };

    /// <summary>Reads every tensor of <paramref name="path"/> onto the CPU.</summary>
    /// <exception cref="InvalidDataException">The file is not a TorchSharp state dict (the message names the file).</exception>
    public static Dictionary<string, Tensor> Load(string path)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("TorchSharp state dicts are read on little-endian machines only.");
        }
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        using var reader = new BinaryReader(file, Encoding.UTF8);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            long count = Decode(reader, path);
            for (long i = 0; i < count; i++)
            {
                string key = reader.ReadString();
                var type = (ScalarType)Decode(reader, path);
                if (!ElementSizes.TryGetValue(type, out int size))
                {
                    throw Invalid(path, $"entry '{key}' has dtype {type}, which is not supported");
                }
                long rank = Decode(reader, path);
                if (rank > 16)
                {
                    throw Invalid(path, $"entry '{key}' has rank {rank}");
                }
                var shape = new long[rank];
                long elements = 1;
                for (int d = 0; d < rank; d++)
                {
                    shape[d] = Decode(reader, path);
                    elements = checked(elements * shape[d]);
                }
                long length = checked(elements * size);
                if (length > file.Length - file.Position)
                {
                    throw Invalid(path, $"entry '{key}' needs {length} bytes but {file.Length - file.Position} remain");
                }
                if (!tensors.TryAdd(key, empty(shape, type)))
                {
                    throw Invalid(path, $"entry '{key}' appears twice");
                }
                if (length > 0)
                {
                    var bytes = new byte[length];
                    file.ReadExactly(bytes);
                    tensors[key].bytes = bytes;
                }
            }
            if (file.Position != file.Length)
            {
                throw Invalid(path, $"{file.Length - file.Position} bytes follow the last entry");
            }
            return tensors;
        }
        catch (Exception ex) when (ex is EndOfStreamException or OverflowException or FormatException)
        {
            Dispose(tensors);
            throw Invalid(path, "it ends early or holds an impossible size", ex);
        }
        catch
        {
            Dispose(tensors);
            throw;
        }
    }

    private static long Decode(BinaryReader reader, string path)
    {
        long result = 0;
        for (int shift = 0; shift < 63; shift += 7)
        {
            byte b = reader.ReadByte();
            result |= (long)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }
        throw Invalid(path, "a size field is too long");
    }

    private static InvalidDataException Invalid(string path, string problem, Exception? inner = null) =>
        new($"'{path}' is not a TorchSharp state dict: {problem}.", inner);

    private static void Dispose(Dictionary<string, Tensor> tensors)
    {
        foreach (var tensor in tensors.Values)
        {
            tensor.Dispose();
        }
    }
}
