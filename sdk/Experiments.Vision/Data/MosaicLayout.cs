namespace Experiments.Vision.Data;

/// <summary>Where <see cref="FashionMosaicDataset"/> puts the items of a canvas.</summary>
public enum MosaicLayout
{
    /// <summary>
    /// One item per cell of a 2 × 2 grid (cells drawn at random), at a random place inside its cell: items never overlap
    /// and move little, which models trained from scratch learn within a few epochs.
    /// </summary>
    Grid,

    /// <summary>Anywhere on the canvas, each at the least covered of <see cref="FashionMosaicDataset.PlacementCandidates"/> random positions; items may overlap.</summary>
    Scattered,
}
