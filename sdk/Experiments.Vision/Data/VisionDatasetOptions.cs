namespace Experiments.Vision.Data;

/// <summary>Options for <see cref="VisionDatasets.Open"/>; each applies to the data sets named in its description.</summary>
public sealed record VisionDatasetOptions
{
    /// <summary>Training (default) or test part.</summary>
    public DatasetPart Part { get; init; } = DatasetPart.Train;

    /// <summary>Fashion-MNIST (and its mosaics): folder of the IDX files; default: wherever <see cref="FashionMnistDataset.Open"/> finds them.</summary>
    public string? Folder { get; init; }

    /// <summary>Channels of the decoded images, 1 or 3; default: the data set's own (Fashion-MNIST 1, shapes 3).</summary>
    public int? Channels { get; init; }

    /// <summary>
    /// Generated sets (procedural shapes, Fashion-MNIST mosaics): layout seed (default 0, so every run and trial sees the
    /// same images).
    /// </summary>
    public int Seed { get; init; }

    /// <summary>Procedural sets: width and height in pixels (default 32).</summary>
    public int ImageSize { get; init; } = 32;

    /// <summary>
    /// Generated sets: number of images. Default: shapes 2,000 for training and 500 for test; mosaics of the sample
    /// 2,000 and 500; mosaics of the full set 20,000 and 2,000.
    /// </summary>
    public int? Count { get; init; }

    /// <summary>Fashion-MNIST mosaics: canvas size, items per canvas and their sizes (its Count, Seed and Channels are taken from these options); null: the defaults.</summary>
    public FashionMosaicOptions? Mosaic { get; init; }
}
