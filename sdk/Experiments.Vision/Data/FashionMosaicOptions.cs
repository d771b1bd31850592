namespace Experiments.Vision.Data;

/// <summary>
/// How <see cref="FashionMosaicDataset"/> lays out its images. The defaults are the layout of the named
/// <c>fashion-mosaic</c> data sets, the cheapest one measured that every small model of the catalog learns from scratch in
/// a few CPU epochs: 2,000 canvases of 40 px in a 2 × 2 grid of 20 px cells, 1–3 garments of 18–20 px, one per cell (see
/// the data README for the measurements: items scattered anywhere on the canvas leave ConvNeXt and RegNetY at the
/// constant predictor's error at this budget).
/// </summary>
public sealed record FashionMosaicOptions
{
    /// <summary>Number of canvases (default 2,000).</summary>
    public int Count { get; init; } = 2000;

    /// <summary>Where items go: one per cell of a 2 × 2 grid (default) or anywhere on the canvas.</summary>
    public MosaicLayout Layout { get; init; } = MosaicLayout.Grid;

    /// <summary>Width and height of every canvas in pixels (default 40).</summary>
    public int CanvasSize { get; init; } = 40;

    /// <summary>Fewest items pasted on a canvas, at least 1 (default 1).</summary>
    public int MinItems { get; init; } = 1;

    /// <summary>Most items pasted on a canvas (default 3; at most 4 in a grid).</summary>
    public int MaxItems { get; init; } = 3;

    /// <summary>Smallest side of a pasted item in pixels, at least 4 (default 18; Fashion-MNIST items are 28 px).</summary>
    public int MinItemSize { get; init; } = 18;

    /// <summary>Largest side of a pasted item in pixels, at most <see cref="CanvasSize"/> (half of it in a grid; default 20).</summary>
    public int MaxItemSize { get; init; } = 20;

    /// <summary>Layout seed: which source items, where and how large. The same seed and source give the same canvases.</summary>
    public int Seed { get; init; }

    /// <summary>Channels of the canvases: 1 (grey, default) or 3 (the grey value replicated, for 3-channel stems).</summary>
    public int Channels { get; init; } = 1;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first option out of range.</summary>
    internal void Validate()
    {
        Check(Count >= 0, nameof(Count), $"{Count}: must not be negative");
        Check(CanvasSize is >= 8 and <= 4096, nameof(CanvasSize), $"{CanvasSize}: must be 8–4096 px");
        Check(MinItems >= 1, nameof(MinItems), $"{MinItems}: a canvas needs at least 1 item");
        Check(MaxItems >= MinItems, nameof(MaxItems), $"{MaxItems}: must be at least MinItems ({MinItems})");
        Check(MinItemSize >= 4, nameof(MinItemSize), $"{MinItemSize}: an item needs at least 4 px");
        Check(MaxItemSize >= MinItemSize, nameof(MaxItemSize), $"{MaxItemSize}: must be at least MinItemSize ({MinItemSize})");
        Check(MaxItemSize <= CanvasSize, nameof(MaxItemSize), $"{MaxItemSize}: an item must fit on the canvas of {CanvasSize} px");
        Check(Enum.IsDefined(Layout), nameof(Layout), $"{(int)Layout}: not a MosaicLayout");
        Check(Layout != MosaicLayout.Grid || MaxItems <= 4, nameof(MaxItems), $"{MaxItems}: a 2 × 2 grid holds at most 4 items");
        Check(Layout != MosaicLayout.Grid || MaxItemSize <= CanvasSize / 2, nameof(MaxItemSize), $"{MaxItemSize}: an item must fit in a grid cell of {CanvasSize / 2} px");
        Check(Channels is 1 or 3, nameof(Channels), $"{Channels}: an image has 1 (grey) or 3 (RGB) channels");
    }

    private static void Check(bool valid, string option, string message)
    {
        if (!valid)
        {
            throw new ArgumentException($"FashionMosaicOptions.{option} = {message}.", option);
        }
    }
}
