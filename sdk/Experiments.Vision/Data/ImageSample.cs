namespace Experiments.Vision.Data;

/// <summary>One item of a dataset: the decoded image and the indices of its classes.</summary>
/// <param name="Image">The decoded image.</param>
/// <param name="Labels">
/// Indices into <see cref="IImageDataset.Classes"/>: exactly one for a single-label dataset; for a multi-label
/// dataset the classes present, ascending and distinct (possibly none).
/// </param>
public readonly record struct ImageSample(ImageData Image, int[] Labels)
{
    /// <summary>The class of a single-label sample.</summary>
    /// <exception cref="InvalidOperationException">The sample does not have exactly one label.</exception>
    public int Label => Labels is [var label]
        ? label
        : throw new InvalidOperationException($"This sample has {Labels.Length} labels; use Labels for multi-label data.");
}
