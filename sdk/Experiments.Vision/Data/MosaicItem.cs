namespace Experiments.Vision.Data;

/// <summary>One item pasted on a <see cref="FashionMosaicDataset"/> canvas.</summary>
/// <param name="SourceIndex">Index of the item in the source data set.</param>
/// <param name="Label">Its class.</param>
/// <param name="X">Left column of the pasted square.</param>
/// <param name="Y">Top row of the pasted square.</param>
/// <param name="Size">Side of the pasted square in pixels.</param>
public readonly record struct MosaicItem(int SourceIndex, int Label, int X, int Y, int Size);
