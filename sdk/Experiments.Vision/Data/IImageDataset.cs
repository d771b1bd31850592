namespace Experiments.Vision.Data;

/// <summary>
/// A finite, indexable set of labelled images. Random access by index, safe to call from several threads at once
/// (the loader decodes on many), and the same index always gives the same sample.
/// </summary>
public interface IImageDataset
{
    /// <summary>Number of items; indices run from 0 to <c>Count - 1</c>.</summary>
    int Count { get; }

    /// <summary>Class names, in label-index order.</summary>
    IReadOnlyList<string> Classes { get; }

    /// <summary>True when an item has a set of labels (multi-hot targets), false when it has exactly one.</summary>
    bool IsMultiLabel { get; }

    /// <summary>Channels of every decoded image: 1 (grey) or 3 (RGB).</summary>
    int Channels { get; }

    /// <summary>Decodes item <paramref name="index"/>.</summary>
    /// <exception cref="DataFileException">The item's file is unreadable or not a valid image; the message names it.</exception>
    ImageSample Get(int index);

    /// <summary>The labels of item <paramref name="index"/> without decoding its image (see <see cref="ImageSample.Labels"/>).</summary>
    int[] GetLabels(int index);

    /// <summary>Where item <paramref name="index"/> comes from, for messages: a file path, or e.g. <c>fashion-mnist train #12</c>.</summary>
    string Describe(int index);

    /// <summary>Where the images come from (folder, packaged sample); null when the data set cannot say.</summary>
    DataOrigin? Origin => null;
}
