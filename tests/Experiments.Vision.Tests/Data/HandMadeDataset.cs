using Experiments.Vision.Data;

namespace Experiments.Vision.Tests.Data;

/// <summary>A tiny in-memory data set of given labels; item i's image is a square of one grey value (<c>Values[i]</c>, default 255).</summary>
internal sealed class HandMadeDataset(int classes, bool multiLabel, int[][] labels, int imageSize = 28, byte[]? values = null) : IImageDataset
{
    public int Count => labels.Length;

    public IReadOnlyList<string> Classes { get; } = [.. Enumerable.Range(0, classes).Select(k => $"c{k}")];

    public bool IsMultiLabel => multiLabel;

    public int Channels => 1;

    public ImageSample Get(int index)
    {
        var pixels = new byte[imageSize * imageSize];
        Array.Fill(pixels, values?[index] ?? (byte)255);
        return new ImageSample(new ImageData(imageSize, imageSize, 1, pixels), GetLabels(index));
    }

    public int[] GetLabels(int index) => labels[index];

    public string Describe(int index) => $"hand-made #{index}";

    /// <summary>Single-label items of the given classes.</summary>
    public static HandMadeDataset Single(int classes, params int[] labels) => new(classes, false, [.. labels.Select(l => new[] { l })]);

    /// <summary>Multi-label items with the given label sets.</summary>
    public static HandMadeDataset Multi(int classes, params int[][] labels) => new(classes, true, labels);
}
