namespace Experiments.Vision.Data;

/// <summary>Options for <see cref="VisionDatasets.Open"/>; each applies to the data sets named in its description.</summary>
public sealed record VisionDatasetOptions
{
    /// <summary>Training (default) or test part.</summary>
    public DatasetPart Part { get; init; } = DatasetPart.Train;

    /// <summary>Fashion-MNIST: folder of the IDX files; default <see cref="FashionMnistDataset.DefaultFolder"/>.</summary>
    public string? Folder { get; init; }

    /// <summary>Channels of the decoded images, 1 or 3; default: the data set's own (Fashion-MNIST 1, shapes 3).</summary>
    public int? Channels { get; init; }

    /// <summary>Procedural sets: generation seed (default 0, so every run and trial sees the same images).</summary>
    public int Seed { get; init; }

    /// <summary>Procedural sets: width and height in pixels (default 32).</summary>
    public int ImageSize { get; init; } = 32;

    /// <summary>Procedural sets: number of images; default 2,000 for training and 500 for test.</summary>
    public int? Count { get; init; }
}
