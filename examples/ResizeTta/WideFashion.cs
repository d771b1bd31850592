using Experiments.Vision.Data;
using Experiments.Vision.Transforms;

namespace ResizeTtaExample;

/// <summary>
/// A data set whose images are not square, built from the Fashion-MNIST sample that ships with the library (so it needs
/// nothing installed or downloaded): each garment,
/// enlarged to <see cref="Side"/> × <see cref="Side"/> px, sits at a random place on a black canvas twice as wide as it
/// is tall (<see cref="Side"/> × 2·<see cref="Side"/>, h × w) — like the paddy photos, which are wider than tall. Every
/// <see cref="TallEvery"/>-th image is the other way round (2·<see cref="Side"/> × <see cref="Side"/>, the garment at a
/// random height), like the few paddy photos "the opposite aspect ratio" that the lesson's size census found.
/// </summary>
/// <remarks>
/// So the resize methods differ: to a square, <b>squish</b> halves the garment's width, <b>crop</b> keeps the middle
/// square (the garment may be half outside it), <b>pad</b> shrinks the whole canvas into the square (the garment at half
/// size); to the rectangle of the images' own aspect ratio (<see cref="InputSizes"/>) all three only scale the wide
/// images and differ on the tall ones. Item <c>i</c> is the sample's training image <c>i</c>; placements come from a
/// fixed seed, so every trial and every run sees the same images. Thread-safe (the loader decodes on several threads).
/// </remarks>
public sealed class WideFashion : IImageDataset
{
    /// <summary>The garment's size and the canvas's short side, in pixels.</summary>
    public const int Side = 48;

    /// <summary>One image in this many is tall instead of wide (indices 7, 47, 87, …).</summary>
    public const int TallEvery = 40;

    // The sample is read once per process (a worker runs many trials).
    private static readonly Lazy<FashionMnistDataset> Source = new(() => FashionMnistDataset.OpenSample(DatasetPart.Train));

    private static readonly Resize Enlarge = new(Side, Side, ResizeMethod.Squish);

    private readonly FashionMnistDataset _source;
    private readonly int[] _offsets;

    private WideFashion(FashionMnistDataset source, int count, int seed)
    {
        _source = source;
        var random = new Random(seed);
        _offsets = [.. Enumerable.Range(0, count).Select(_ => random.Next(0, Side + 1))];
    }

    /// <summary>The first <paramref name="count"/> images (the sample's first <paramref name="count"/> of its 1,000 training images on their canvases).</summary>
    public static WideFashion Open(int count, int seed = 0)
    {
        var source = Source.Value;
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, source.Count);
        return new WideFashion(source, count, seed);
    }

    public int Count => _offsets.Length;

    public IReadOnlyList<string> Classes => _source.Classes;

    public bool IsMultiLabel => false;

    public int Channels => 1;

    /// <summary>True for the few images that are taller than wide.</summary>
    public static bool IsTall(int index) => index % TallEvery == 7;

    public ImageSample Get(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var sample = _source.Get(index);
        // Squish draws nothing from the random source.
        var garment = Enlarge.Apply(sample.Image, Random.Shared, training: false);
        bool tall = IsTall(index);
        int width = tall ? Side : 2 * Side, height = tall ? 2 * Side : Side;
        int left = tall ? 0 : _offsets[index], top = tall ? _offsets[index] : 0;
        var pixels = new byte[width * height];
        for (int y = 0; y < Side; y++)
        {
            Array.Copy(garment.Pixels, y * Side, pixels, ((top + y) * width) + left, Side);
        }
        return new ImageSample(new ImageData(width, height, 1, pixels), sample.Labels);
    }

    public int[] GetLabels(int index) => _source.GetLabels(index);

    public string Describe(int index) => IsTall(index)
        ? $"wide-fashion #{index} (tall {2 * Side}×{Side}, garment at y={_offsets[index]}; fashion-mnist train #{index})"
        : $"wide-fashion #{index} ({Side}×{2 * Side}, garment at x={_offsets[index]}; fashion-mnist train #{index})";
}
