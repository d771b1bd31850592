namespace Experiments.Vision.Data;

/// <summary>
/// A decoded image: <see cref="Height"/> rows of <see cref="Width"/> pixels of <see cref="Channels"/> bytes each,
/// stored <b>HWC</b> (row-major, channels interleaved: <c>Pixels[(y * Width + x) * Channels + c]</c>), values 0–255.
/// Channels are 1 (grey) or 3 (RGB, in that order); alpha is dropped at decode time.
/// </summary>
/// <remarks>
/// This is what datasets produce and item transforms (resize, crop, pad) consume and return; the loader turns
/// a batch of same-sized images into an NCHW tensor (<see cref="ImageBatch.ImagesToTensor"/>). The pixel array is
/// owned by the image: a transform returns a new image rather than writing into its input, since datasets may
/// hand out shared buffers. <c>default(ImageData)</c> is not a valid image (its <see cref="Pixels"/> is null).
/// Equality is by reference of <see cref="Pixels"/>, as for any array in a record.
/// </remarks>
public readonly record struct ImageData
{
    /// <param name="width">Pixels per row, at least 1.</param>
    /// <param name="height">Rows, at least 1.</param>
    /// <param name="channels">1 (grey) or 3 (RGB).</param>
    /// <param name="pixels">HWC bytes, exactly <c>width × height × channels</c> of them.</param>
    public ImageData(int width, int height, int channels, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "An image has 1 (grey) or 3 (RGB) channels.");
        }
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.LongLength != (long)width * height * channels)
        {
            throw new ArgumentException(
                $"A {width}×{height} image with {channels} channel(s) has {(long)width * height * channels} bytes, not {pixels.LongLength}.",
                nameof(pixels));
        }
        Width = width;
        Height = height;
        Channels = channels;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>1 (grey) or 3 (RGB).</summary>
    public int Channels { get; }

    /// <summary>HWC bytes: <c>Pixels[(y * Width + x) * Channels + c]</c>.</summary>
    public byte[] Pixels { get; }

    /// <summary>The value of channel <paramref name="c"/> at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    public byte this[int y, int x, int c] => Pixels[(((y * Width) + x) * Channels) + c];

    /// <summary>A black image of the given size.</summary>
    public static ImageData Blank(int width, int height, int channels)
        => new(width, height, channels, new byte[checked(width * height * channels)]);

    /// <summary>
    /// This image with <paramref name="channels"/> channels: grey is replicated to RGB; RGB becomes grey by the
    /// ITU-R 601 luma weights PIL's <c>convert("L")</c> uses. Returns this image when nothing changes.
    /// </summary>
    public ImageData ToChannels(int channels)
    {
        if (channels == Channels)
        {
            return this;
        }
        int count = Width * Height;
        var source = Pixels;
        if (channels == 3 && Channels == 1)
        {
            var rgb = new byte[count * 3];
            for (int i = 0; i < count; i++)
            {
                byte v = source[i];
                rgb[3 * i] = v;
                rgb[(3 * i) + 1] = v;
                rgb[(3 * i) + 2] = v;
            }
            return new ImageData(Width, Height, 3, rgb);
        }
        if (channels == 1 && Channels == 3)
        {
            var grey = new byte[count];
            for (int i = 0; i < count; i++)
            {
                grey[i] = Luma(source[3 * i], source[(3 * i) + 1], source[(3 * i) + 2]);
            }
            return new ImageData(Width, Height, 1, grey);
        }
        throw new ArgumentOutOfRangeException(nameof(channels), channels, "An image has 1 (grey) or 3 (RGB) channels.");
    }

    public override string ToString() => $"{Width}×{Height}×{Channels}";

    /// <summary>PIL's integer form of L = 0.299 R + 0.587 G + 0.114 B, rounded.</summary>
    internal static byte Luma(byte r, byte g, byte b) => (byte)(((r * 19595) + (g * 38470) + (b * 7471) + 0x8000) >> 16);
}
