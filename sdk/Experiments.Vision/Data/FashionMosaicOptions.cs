namespace Experiments.Vision.Data;

/// <summary>
/// How <see cref="FashionMosaicDataset"/> lays out its images. The defaults are the cheapest layout measured that models
/// trained from scratch learn in a few CPU epochs: 2,000 canvases of 32 px with 1–2 items of 20–26 px (small canvases,
/// large items and few of them are what make it learnable; see the data README for the measurements).
/// </summary>
public sealed record FashionMosaicOptions
{
    /// <summary>Number of canvases (default 2,000).</summary>
    public int Count { get; init; } = 2000;

    /// <summary>Width and height of every canvas in pixels (default 32).</summary>
    public int CanvasSize { get; init; } = 32;

    /// <summary>Fewest items pasted on a canvas, at least 1 (default 1).</summary>
    public int MinItems { get; init; } = 1;

    /// <summary>Most items pasted on a canvas (default 2).</summary>
    public int MaxItems { get; init; } = 2;

    /// <summary>Smallest side of a pasted item in pixels, at least 4 (default 20; Fashion-MNIST items are 28 px).</summary>
    public int MinItemSize { get; init; } = 20;

    /// <summary>Largest side of a pasted item in pixels, at most <see cref="CanvasSize"/> (default 26).</summary>
    public int MaxItemSize { get; init; } = 26;

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
