using System.Runtime.InteropServices;
using Experiments.Vision.Data;
using SkiaSharp;

namespace Experiments.Vision.Tests.Data;

/// <summary>Where the data fixtures are, and small image files written on the fly.</summary>
internal static class DataFixtures
{
    private static readonly Lazy<string> Sample = new(() =>
    {
        // The tests run from bin/<configuration>/<tfm>/ of a clone: walk up to the repository's copy of the sample.
        string relative = Path.Combine("sdk", "Experiments.Vision", "Data", "Samples", "fashion-mnist");
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            string candidate = Path.Combine(folder.FullName, relative);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    });

    /// <summary>
    /// The source folder of the sample embedded in Experiments.Vision (first 1,000 training and 200 test items), for
    /// tests that need its files (copies to corrupt, a folder to open); the others use <see cref="FashionMnistDataset.OpenSample"/>.
    /// </summary>
    public static string FashionMnistSampleFolder => Sample.Value;

    /// <summary>True where Debian's dataset-fashion-mnist package is installed (CI installs it).</summary>
    public static bool DebianFashionMnistInstalled
        => File.Exists(Path.Combine(FashionMnistDataset.DefaultFolder, "train-images-idx3-ubyte.gz"))
           || File.Exists(Path.Combine(FashionMnistDataset.DefaultFolder, "train-images-idx3-ubyte"));

    /// <summary>Encodes <paramref name="image"/> (grey or RGB) to <paramref name="path"/> as PNG or JPEG.</summary>
    public static void WriteImage(string path, ImageData image, SKEncodedImageFormat format, int quality = 95)
    {
        var rgb = image.ToChannels(3).Pixels;
        var rgba = new byte[image.Width * image.Height * 4];
        for (int i = 0, j = 0; i < rgb.Length; i += 3, j += 4)
        {
            (rgba[j], rgba[j + 1], rgba[j + 2], rgba[j + 3]) = (rgb[i], rgb[i + 1], rgb[i + 2], 255);
        }
        using var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = File.Create(path);
        if (!bitmap.Encode(file, format, quality))
        {
            throw new InvalidOperationException($"SkiaSharp could not encode {path} as {format}");
        }
    }

    /// <summary>An RGB image of one colour.</summary>
    public static ImageData Solid(int width, int height, byte r, byte g, byte b)
    {
        var pixels = new byte[width * height * 3];
        for (int i = 0; i < pixels.Length; i += 3)
        {
            (pixels[i], pixels[i + 1], pixels[i + 2]) = (r, g, b);
        }
        return new ImageData(width, height, 3, pixels);
    }

    /// <summary>An RGB image whose pixel (x, y) is (x, y, x + y), to check positions and channels exactly.</summary>
    public static ImageData Gradient(int width, int height)
    {
        var pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int p = ((y * width) + x) * 3;
                (pixels[p], pixels[p + 1], pixels[p + 2]) = ((byte)x, (byte)y, (byte)(x + y));
            }
        }
        return new ImageData(width, height, 3, pixels);
    }

    /// <summary>Bytes that no decoder takes for an image, written under an image's name.</summary>
    public static void WriteGarbage(string path, int seed = 1, int length = 2048)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }
}
