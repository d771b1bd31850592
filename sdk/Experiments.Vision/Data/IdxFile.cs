using System.Buffers.Binary;
using System.IO.Compression;

namespace Experiments.Vision.Data;

/// <summary>
/// Reads IDX files (the MNIST / Fashion-MNIST format), raw or gzip-compressed (recognised by content, not by name).
/// Layout: two zero bytes, a type byte (0x08 = unsigned byte, the only type read here), the number of dimensions,
/// each dimension as a big-endian 32-bit integer, then the values. The header is checked against what the caller
/// expects, and the file must hold exactly the number of values its header announces: a truncated file, or one with
/// data after the end, is a <see cref="DataFileException"/> naming it.
/// </summary>
public static class IdxFile
{
    private const byte UnsignedByte = 0x08;

    /// <summary>
    /// Deflate's largest expansion (RFC 1951: a 258-byte match per 2 bits, about 1032:1): a gzip file of n bytes cannot
    /// decompress to more than this times n, so a header announcing more is refused before anything is allocated.
    /// </summary>
    private const long MaxDeflateRatio = 1032;

    /// <summary>Reads an unsigned-byte IDX file of <paramref name="rank"/> dimensions.</summary>
    /// <returns>The dimensions and the values in row-major order.</returns>
    /// <exception cref="DataFileException">The file cannot be read, is not such an IDX file, or its length does not match its header.</exception>
    public static (int[] Shape, byte[] Values) ReadBytes(string path, int rank)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rank, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rank, 8);
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
            bool gzip = file.Length >= 2 && file.ReadByte() == 0x1F && file.ReadByte() == 0x8B;
            file.Position = 0;
            using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
            return Read(stream, path, rank, gzip, MaxBytes(file.Length, gzip));
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException)
        {
            throw new DataFileException(path, $"not a valid IDX file: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DataFileException(path, "the file does not exist", ex);
        }
        catch (Exception ex) when (ex is IOException and not DataFileException or UnauthorizedAccessException)
        {
            throw new DataFileException(path, $"the file cannot be read ({ex.Message})", ex);
        }
    }

    /// <summary>Reads an unsigned-byte IDX file of <paramref name="rank"/> dimensions from a stream (raw or gzip), e.g. an embedded resource.</summary>
    /// <param name="stream">The file's bytes; read to the end, not disposed.</param>
    /// <param name="name">What to call the file in errors (a path or a resource name).</param>
    /// <param name="rank">The number of dimensions expected.</param>
    /// <returns>The dimensions and the values in row-major order.</returns>
    /// <exception cref="DataFileException">The stream is not such an IDX file, or its length does not match its header.</exception>
    public static (int[] Shape, byte[] Values) ReadBytes(Stream stream, string name, int rank)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(rank, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rank, 8);
        try
        {
            // The gzip check reads two bytes and goes back: a stream that cannot seek is buffered first.
            using var buffered = stream.CanSeek ? null : new MemoryStream();
            if (buffered is not null)
            {
                stream.CopyTo(buffered);
                buffered.Position = 0;
            }
            var seekable = buffered ?? stream;
            long start = seekable.Position;
            bool gzip = seekable.ReadByte() == 0x1F && seekable.ReadByte() == 0x8B;
            seekable.Position = start;
            using var gunzip = gzip ? new GZipStream(seekable, CompressionMode.Decompress, leaveOpen: true) : null;
            return Read(gunzip ?? seekable, name, rank, gzip, MaxBytes(seekable.Length - start, gzip));
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException)
        {
            throw new DataFileException(name, $"not a valid IDX file: {ex.Message}", ex);
        }
    }

    /// <summary>The most bytes a file of <paramref name="length"/> bytes can hold once decompressed.</summary>
    private static long MaxBytes(long length, bool gzip) => gzip ? length * MaxDeflateRatio : length;

    private static (int[] Shape, byte[] Values) Read(Stream stream, string path, int rank, bool gzip, long maxBytes)
    {
        string what = gzip ? "the decompressed file" : "the file";
        Span<byte> magic = stackalloc byte[4];
        int got = stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        if (got < magic.Length)
        {
            throw new DataFileException(path, $"{what} is {got} bytes long, shorter than an IDX header");
        }
        if (magic[0] != 0 || magic[1] != 0)
        {
            throw new DataFileException(path, $"not an IDX file (magic number 0x{BinaryPrimitives.ReadUInt32BigEndian(magic):X8})");
        }
        if (magic[2] != UnsignedByte)
        {
            throw new DataFileException(path, $"IDX values of type 0x{magic[2]:X2}, expected 0x08 (unsigned byte)");
        }
        if (magic[3] != rank)
        {
            throw new DataFileException(path, $"an IDX file of {magic[3]} dimension(s), expected {rank}");
        }

        Span<byte> dimensions = stackalloc byte[4 * rank];
        got = stream.ReadAtLeast(dimensions, dimensions.Length, throwOnEndOfStream: false);
        if (got < dimensions.Length)
        {
            throw new DataFileException(path, $"{what} ends inside the IDX header");
        }
        var shape = new int[rank];
        long count = 1;
        for (int d = 0; d < rank; d++)
        {
            shape[d] = BinaryPrimitives.ReadInt32BigEndian(dimensions[(4 * d)..]);
            if (shape[d] < 0)
            {
                throw new DataFileException(path, $"dimension {d} of the IDX header is negative ({shape[d]})");
            }
            count *= shape[d];
            if (count > Array.MaxLength)
            {
                throw new DataFileException(path, $"the IDX header announces more values than can be loaded ({string.Join(" × ", shape[..(d + 1)])} …)");
            }
        }

        // A header announcing more values than the file can hold (a 100-byte file announcing 2,000,000 images) is refused
        // before the array is allocated.
        long header = 4 + 4L * rank;
        if (header + count > maxBytes)
        {
            throw new DataFileException(path,
                $"its header announces {string.Join(" × ", shape)} = {count:N0} values, more than the file's {(gzip ? "compressed " : "")}length allows; the file is truncated or not this data set");
        }

        // Read only what the header announces: a crafted header cannot make this read more, and a short file is caught here.
        var values = GC.AllocateUninitializedArray<byte>((int)count);
        got = stream.ReadAtLeast(values, values.Length, throwOnEndOfStream: false);
        if (got < values.Length)
        {
            throw new DataFileException(path,
                $"{what} is truncated: its header announces {string.Join(" × ", shape)} = {count:N0} values, it holds {got:N0}");
        }
        if (stream.ReadByte() >= 0)
        {
            throw new DataFileException(path, $"{what} holds data after the {count:N0} values its header announces ({string.Join(" × ", shape)})");
        }
        return (shape, values);
    }
}
