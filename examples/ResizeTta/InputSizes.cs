using System.Collections.Concurrent;
using Experiments.Vision.Data;

namespace ResizeTtaExample;

/// <summary>
/// The input sizes of the sweep, from the images themselves — the lesson's steps: count the image sizes (most are one
/// shape, a few are the other way round), then train on a rectangle of the common aspect ratio whose sides are both
/// multiples of 32 (a convnet's final patch is 32 × 32 px), with the short side at the training size.
/// </summary>
public static class InputSizes
{
    /// <summary>The training size: the side of the square, and the short side of the rectangle (the lesson's 224 at CPU scale).</summary>
    public const int Base = 32;

    /// <summary>Both sides of the rectangle are multiples of this.</summary>
    public const int Multiple = 32;

    /// <summary>Every image size (h × w) with its count, most common first — decoded in parallel, as the lesson's size census.</summary>
    public static IReadOnlyList<(int Height, int Width, int Count)> Census(IImageDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var counts = new ConcurrentDictionary<(int, int), int>();
        Parallel.For(0, data.Count, i =>
        {
            var image = data.Get(i).Image;
            counts.AddOrUpdate((image.Height, image.Width), 1, (_, n) => n + 1);
        });
        return [.. counts.Select(c => (c.Key.Item1, c.Key.Item2, c.Value)).OrderByDescending(c => c.Value).ThenBy(c => c.Item1)];
    }

    /// <summary>
    /// The rectangle (h × w) for images of <paramref name="height"/> × <paramref name="width"/>: the short side is
    /// <see cref="Base"/>, the long side <see cref="Base"/> × the aspect ratio rounded to a multiple of <see cref="Multiple"/>
    /// (never below one). The lesson's 480 × 640 photos at 224 give 224 × 288; 48 × 96 at 32 gives 32 × 64.
    /// </summary>
    public static (int Height, int Width) Rectangle(int height, int width, int shortSide = Base)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        double ratio = (double)Math.Max(height, width) / Math.Min(height, width);
        int longSide = Math.Max(Multiple, (int)Math.Round(shortSide * ratio / Multiple, MidpointRounding.AwayFromZero) * Multiple);
        return height <= width ? (shortSide, longSide) : (longSide, shortSide);
    }

    /// <summary>The rectangle for the most common image size of <paramref name="data"/>.</summary>
    public static (int Height, int Width) RectangleFor(IImageDataset data)
    {
        var (height, width, _) = Census(data)[0];
        return Rectangle(height, width);
    }

    /// <summary>The input size (h × w) for <c>square</c> (<see cref="Base"/> × <see cref="Base"/>) or <c>rect</c> (<see cref="RectangleFor"/>).</summary>
    public static (int Height, int Width) Of(string size, IImageDataset data) => size switch
    {
        "square" => (Base, Base),
        "rect" => RectangleFor(data),
        _ => throw new ArgumentException($"Unknown size '{size}': square or rect.", nameof(size)),
    };
}
