using System.Buffers;
using System.Runtime.InteropServices;
using SkiaSharp;

namespace Experiments.Vision.Data;

/// <summary>
/// Decodes image files (JPEG, PNG, BMP, GIF, WebP) with SkiaSharp into <see cref="ImageData"/>. Only decodes: nothing
/// in a file is ever executed or followed (no external references), and every failure is a
/// <see cref="DataFileException"/> naming the file — a truncated or partly corrupt file included, as PIL does by default.
/// Like PIL (and so fastai), pixel values are taken as stored: no colour-profile conversion, no EXIF rotation.
/// </summary>
public static class ImageDecoder
{
    /// <summary>
    /// Larger images are refused before any pixel is decoded (PIL's decompression-bomb limit, 2 × 89,478,485 pixels):
    /// a crafted header must not make a loader thread allocate gigabytes.
    /// </summary>
    public const long MaxPixels = 178_956_970;

    /// <summary>Files larger than this are refused without being read (1 GiB).</summary>
    public const long MaxFileBytes = 1L << 30;

    /// <summary>Decode buffers up to this size (a 2048 × 2048 RGBA image) come from the shared pool.</summary>
    private const int PooledBytes = 16 << 20;

    /// <summary>
    /// Deflate (PNG) expands at most about 1032:1 (RFC 1951), and GIF's LZW emits at most 4096 pixels per 12-bit code.
    /// </summary>
    private const long DeflateRatio = 1032;

    private const long LzwPixelsPerCode = 4096;

    private const string TruncatedProblem = "the image data ends early (truncated or corrupt file)";

    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp",
    };

    /// <summary>True for the file extensions this decoder reads (case-insensitive): .jpg .jpeg .png .bmp .gif .webp.</summary>
    public static bool IsImageFile(string path) => Extensions.Contains(Path.GetExtension(path));

    /// <summary>Reads and decodes <paramref name="path"/> into an image of <paramref name="channels"/> channels.</summary>
    /// <param name="path">The image file.</param>
    /// <param name="channels">3 for RGB (alpha dropped, as PIL's <c>convert("RGB")</c>), 1 for grey (ITU-R 601 luma).</param>
    /// <exception cref="DataFileException">The file cannot be read or is not a complete, valid image.</exception>
    public static ImageData Decode(string path, int channels = 3)
    {
        if (channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "An image has 1 (grey) or 3 (RGB) channels.");
        }
        return Decode(ReadFile(path), path, channels);
    }

    /// <summary>Decodes an encoded image held in memory; <paramref name="name"/> is used in error messages.</summary>
    /// <exception cref="DataFileException">The bytes are not a complete, valid image.</exception>
    public static ImageData Decode(ReadOnlySpan<byte> encoded, string name, int channels = 3)
    {
        if (channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "An image has 1 (grey) or 3 (RGB) channels.");
        }
        if (encoded.IsEmpty)
        {
            throw new DataFileException(name, "the file is empty");
        }

        using var data = SKData.CreateCopy(encoded);
        // The codec takes ownership of the stream (SkiaSharp revokes the wrapper's), so disposing it too is harmless.
        using var stream = new SKMemoryStream(data);
        using var codec = SKCodec.Create(stream, out var created);
        if (codec is null)
        {
            throw new DataFileException(name, created == SKCodecResult.IncompleteInput
                ? TruncatedProblem
                : $"not a readable image (SkiaSharp: {created})");
        }

        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width <= 0 || height <= 0)
        {
            throw new DataFileException(name, $"the image has no pixels ({width}×{height})");
        }
        if ((long)width * height > MaxPixels)
        {
            throw new DataFileException(name, $"the image is {width}×{height}, more than the {MaxPixels:N0} pixels this decoder accepts");
        }

        long fewestBytes = FewestEncodedBytes(codec.EncodedFormat, width, height);
        if (encoded.Length < fewestBytes)
        {
            throw new DataFileException(name,
                $"the header declares {width}×{height} pixels, which a {codec.EncodedFormat} file of {encoded.Length:N0} bytes cannot hold (at least {fewestBytes:N0}); the file is truncated or crafted");
        }

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        int rgbaBytes = checked(width * height * 4);
        // The pool hands out the next power of two (1 GiB for a 576 MB request): large images get an exact array.
        bool pooled = rgbaBytes <= PooledBytes;
        byte[] rgba = pooled ? ArrayPool<byte>.Shared.Rent(rgbaBytes) : GC.AllocateUninitializedArray<byte>(rgbaBytes);
        var pin = GCHandle.Alloc(rgba, GCHandleType.Pinned);
        try
        {
            var result = codec.GetPixels(info, pin.AddrOfPinnedObject());
            if (result != SKCodecResult.Success)
            {
                string problem = result == SKCodecResult.IncompleteInput
                    ? TruncatedProblem
                    : $"the image could not be decoded (SkiaSharp: {result})";
                throw new DataFileException(name, problem);
            }
            return FromRgba(rgba, width, height, channels);
        }
        finally
        {
            pin.Free();
            if (pooled)
            {
                ArrayPool<byte>.Shared.Return(rgba);
            }
        }
    }

    /// <summary>
    /// The fewest bytes a lossless file of this size can have: a header declaring more pixels than its data can
    /// decompress to is refused before the pixel buffer is allocated. PNG: one filter byte plus one bit per pixel per row,
    /// deflated; GIF: 12 bits per 4096 pixels. Lossy formats get no bound (JPEG and WebP can be tiny); MaxPixels bounds them.
    /// </summary>
    private static long FewestEncodedBytes(SKEncodedImageFormat format, int width, int height) => format switch
    {
        SKEncodedImageFormat.Png => (long)height * (1 + ((long)width + 7) / 8) / DeflateRatio,
        SKEncodedImageFormat.Gif => (long)width * height / LzwPixelsPerCode * 12 / 8,
        _ => 0,
    };

    private static ImageData FromRgba(byte[] rgba, int width, int height, int channels)
    {
        int count = width * height;
        var pixels = GC.AllocateUninitializedArray<byte>(count * channels);
        if (channels == 3)
        {
            for (int i = 0, j = 0, k = 0; i < count; i++, j += 3, k += 4)
            {
                pixels[j] = rgba[k];
                pixels[j + 1] = rgba[k + 1];
                pixels[j + 2] = rgba[k + 2];
            }
        }
        else
        {
            for (int i = 0, k = 0; i < count; i++, k += 4)
            {
                pixels[i] = ImageData.Luma(rgba[k], rgba[k + 1], rgba[k + 2]);
            }
        }
        return new ImageData(width, height, channels, pixels);
    }

    /// <summary>
    /// Reads exactly the length the file system reports, so a device or endless special file named like an image
    /// (<c>/dev/zero</c>) reads as empty instead of filling memory.
    /// </summary>
    private static byte[] ReadFile(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
            long length = stream.Length;
            if (length > MaxFileBytes)
            {
                throw new DataFileException(path, $"the file is {length:N0} bytes, more than the {MaxFileBytes:N0} this decoder reads");
            }
            var bytes = GC.AllocateUninitializedArray<byte>((int)length);
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception ex) when (ex is IOException and not DataFileException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new DataFileException(path, $"the file cannot be read ({ex.Message})", ex);
        }
    }
}
