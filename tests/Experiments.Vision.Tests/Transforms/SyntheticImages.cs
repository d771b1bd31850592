using Experiments.Vision.Data;

namespace Experiments.Vision.Tests.Transforms;

/// <summary>Small images whose every pixel is known, for geometry checks.</summary>
internal static class SyntheticImages
{
    public static readonly byte[] Red = [255, 0, 0];
    public static readonly byte[] Green = [0, 255, 0];
    public static readonly byte[] Blue = [0, 0, 255];
    public static readonly byte[] White = [255, 255, 255];
    public static readonly byte[] Black = [0, 0, 0];

    /// <summary>An RGB image whose pixel colour is <paramref name="colour"/>(x, y).</summary>
    public static ImageData Rgb(int width, int height, Func<int, int, byte[]> colour)
    {
        var pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                colour(x, y).CopyTo(pixels, ((y * width) + x) * 3);
            }
        }

        return new ImageData(width, height, 3, pixels);
    }

    /// <summary>A grey image whose pixel value is <paramref name="value"/>(x, y).</summary>
    public static ImageData Grey(int width, int height, Func<int, int, int> value)
    {
        var pixels = new byte[width * height];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                pixels[(y * width) + x] = checked((byte)value(x, y));
            }
        }

        return new ImageData(width, height, 1, pixels);
    }

    /// <summary>The RGB colour at (x, y).</summary>
    public static byte[] At(ImageData image, int x, int y) =>
        image.Pixels.AsSpan(((y * image.Width) + x) * image.Channels, image.Channels).ToArray();
}
