using Experiments.Vision.Transforms;

namespace Experiments.Vision.Data;

/// <summary>
/// A multi-label data set made of real images: each canvas is black with <see cref="FashionMosaicOptions.MinItems"/>–
/// <see cref="FashionMosaicOptions.MaxItems"/> items of a single-label source (Fashion-MNIST) pasted at random sizes, one
/// per cell of a 2 × 2 grid at a random place in it (<see cref="MosaicLayout.Grid"/>, the default) or anywhere
/// (<see cref="MosaicLayout.Scattered"/>), blended by maximum; its labels are the distinct classes pasted. A learnable multi-label set at CPU scale, standing in
/// for photo sets with several labels per image such as Planet's satellite tiles (the procedural <c>shapes-multi</c> is
/// not learnt from scratch).
/// </summary>
/// <remarks>
/// <para>Build training canvases from training items and validation canvases from test items, so no source image is in
/// both: <c>new FashionMosaicDataset(FashionMnistDataset.Open(DatasetPart.Train), options)</c> and the same with
/// <see cref="DatasetPart.Test"/> and another seed.</para>
/// <para>Canvases are made on demand, not stored: canvas i depends only on (seed, i) and the source, drawn from its own
/// integer-seeded <see cref="Random"/>, so the same seed gives the same bytes and labels whatever thread asks and in what
/// order, and a large count costs no memory. Each item is squished to a square of its drawn size with Pillow's bilinear
/// resampling (<see cref="Resize"/>) and made grey first if the source is RGB. Scattered, each item goes to the least
/// covered of <see cref="PlacementCandidates"/> random positions; items may still overlap, and an item's label counts
/// even where another covers part of it.</para>
/// </remarks>
public sealed class FashionMosaicDataset : IImageDataset
{
    // Keeps these streams apart from other data sets' that mix the same seed and index.
    private const long Stream = 0x6D6F73616963; // "mosaic"

    /// <summary>Random positions tried per item; it goes to the one that overlaps the items already placed least.</summary>
    public const int PlacementCandidates = 4;

    /// <param name="source">Single-label images to paste (e.g. <see cref="FashionMnistDataset"/>); its classes become these.</param>
    /// <param name="options">Layout; null: <see cref="FashionMosaicOptions"/>' defaults.</param>
    /// <exception cref="ArgumentException">The source is multi-label or empty, or an option is out of range (the message names it).</exception>
    public FashionMosaicDataset(IImageDataset source, FashionMosaicOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= new FashionMosaicOptions();
        options.Validate();
        if (source.IsMultiLabel)
        {
            throw new ArgumentException("A mosaic's labels are the classes of its items: the source must be single-label.", nameof(source));
        }
        if (source.Count == 0)
        {
            throw new ArgumentException("The source has no items to paste.", nameof(source));
        }
        Source = source;
        Options = options;
    }

    /// <summary>The data set the items come from.</summary>
    public IImageDataset Source { get; }

    public FashionMosaicOptions Options { get; }

    public int Count => Options.Count;

    /// <summary>The source's classes (Fashion-MNIST's ten names).</summary>
    public IReadOnlyList<string> Classes => Source.Classes;

    public bool IsMultiLabel => true;

    public int Channels => Options.Channels;

    /// <summary>
    /// What canvas <paramref name="index"/> shows: each pasted item's source index, label, top-left corner and side, in
    /// paste order. Drawn without decoding anything.
    /// </summary>
    public IReadOnlyList<MosaicItem> Layout(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var random = new Random(Seeds.Mix(Options.Seed, Stream, index));
        int size = Options.CanvasSize;
        var items = new MosaicItem[random.Next(Options.MinItems, Options.MaxItems + 1)];
        if (Options.Layout == MosaicLayout.Grid)
        {
            return GridLayout(random, items);
        }
        for (int k = 0; k < items.Length; k++)
        {
            int source = random.Next(Source.Count);
            int side = random.Next(Options.MinItemSize, Options.MaxItemSize + 1);
            // The least covered of a few random positions: items overlap less, so fewer are hidden behind others (a label
            // whose item is mostly covered cannot be learnt). Every candidate is drawn, so the stream's length is fixed.
            (int x, int y, int overlap) best = (0, 0, int.MaxValue);
            for (int c = 0; c < PlacementCandidates; c++)
            {
                int x = random.Next(size - side + 1);
                int y = random.Next(size - side + 1);
                int overlap = items.Take(k).Sum(other => Overlap(other, x, y, side));
                if (overlap < best.overlap)
                {
                    best = (x, y, overlap);
                }
            }
            items[k] = new MosaicItem(source, Source.GetLabels(source)[0], best.x, best.y, side);
        }
        return items;
    }

    /// <summary>One item per cell of the 2 × 2 grid: the cells in a random order (a Fisher–Yates shuffle), each item at a random place inside its cell.</summary>
    private MosaicItem[] GridLayout(Random random, MosaicItem[] items)
    {
        int cell = Options.CanvasSize / 2;
        Span<int> cells = [0, 1, 2, 3];
        for (int i = cells.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (cells[i], cells[j]) = (cells[j], cells[i]);
        }
        for (int k = 0; k < items.Length; k++)
        {
            int source = random.Next(Source.Count);
            int side = random.Next(Options.MinItemSize, Options.MaxItemSize + 1);
            int x = (cells[k] % 2 * cell) + random.Next(cell - side + 1);
            int y = (cells[k] / 2 * cell) + random.Next(cell - side + 1);
            items[k] = new MosaicItem(source, Source.GetLabels(source)[0], x, y, side);
        }
        return items;
    }

    private static int Overlap(MosaicItem item, int x, int y, int side)
    {
        int width = Math.Min(item.X + item.Size, x + side) - Math.Max(item.X, x);
        int height = Math.Min(item.Y + item.Size, y + side) - Math.Max(item.Y, y);
        return Math.Max(width, 0) * Math.Max(height, 0);
    }

    public ImageSample Get(int index)
    {
        var layout = Layout(index);
        int size = Options.CanvasSize;
        var canvas = new byte[size * size];
        foreach (var item in layout)
        {
            var image = Source.Get(item.SourceIndex).Image.ToChannels(1);
            // Squish draws nothing from the Random.
            var pixels = new Resize(item.Size, ResizeMethod.Squish).Apply(image.Pixels, image.Width, image.Height, 1, Random.Shared, training: false);
            for (int row = 0; row < item.Size; row++)
            {
                var target = canvas.AsSpan(((item.Y + row) * size) + item.X, item.Size);
                var from = pixels.AsSpan(row * item.Size, item.Size);
                for (int col = 0; col < target.Length; col++)
                {
                    target[col] = Math.Max(target[col], from[col]);
                }
            }
        }
        return new ImageSample(new ImageData(size, size, 1, canvas).ToChannels(Channels), LabelsOf(layout));
    }

    /// <summary>The source's origin, described as mosaics of it.</summary>
    public DataOrigin? Origin => Source.Origin is { } origin ? origin with { Description = "mosaics of " + origin.Description } : null;

    public int[] GetLabels(int index) => LabelsOf(Layout(index));

    public string Describe(int index)
        => $"fashion-mosaic #{index} (seed {Options.Seed}, {Options.CanvasSize} px) of {string.Join(", ", Layout(index).Select(i => Source.Describe(i.SourceIndex)))}";

    private static int[] LabelsOf(IReadOnlyList<MosaicItem> layout) => [.. layout.Select(i => i.Label).Distinct().Order()];
}
