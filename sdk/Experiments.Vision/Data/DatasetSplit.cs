namespace Experiments.Vision.Data;

/// <summary>
/// A dataset split into training and validation parts, as fastai's <c>RandomSplitter(valid_pct, seed)</c>: the items
/// are permuted with the seed and the first <c>floor(validFraction × count)</c> go to validation. A fixed seed gives
/// the same validation set on every run (for comparing trials); no seed gives a different one each run (for ensembles),
/// and <see cref="Seed"/> records the one drawn so a run can be reproduced. Both parts list their items in ascending
/// source order (the loader shuffles the training part).
/// </summary>
/// <param name="Train">Items for training.</param>
/// <param name="Valid">Items for validation.</param>
/// <param name="Seed">The seed used, drawn at random when none was given.</param>
public sealed record DatasetSplit(SubsetDataset Train, SubsetDataset Valid, int Seed)
{
    /// <summary>
    /// A data set's own parts: every item of <paramref name="train"/> for training, every item of
    /// <paramref name="valid"/> (e.g. Fashion-MNIST's official test images) for validation. Nothing is drawn, so
    /// <see cref="Seed"/> is 0.
    /// </summary>
    public static DatasetSplit Parts(IImageDataset train, IImageDataset valid)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(valid);
        return new DatasetSplit(
            new SubsetDataset(train, Enumerable.Range(0, train.Count)), new SubsetDataset(valid, Enumerable.Range(0, valid.Count)), 0);
    }

    /// <summary>Splits <paramref name="dataset"/> at random.</summary>
    /// <param name="dataset">The dataset to split.</param>
    /// <param name="validFraction">Share of items for validation, from 0 to below 1 (0.2 = 20 %).</param>
    /// <param name="seed">Fixed seed → same split every run; null → a different split every run.</param>
    public static DatasetSplit Random(IImageDataset dataset, double validFraction = 0.2, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (!(validFraction >= 0 && validFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(validFraction), validFraction,
                "The validation share is a fraction from 0 to below 1 (0.2 for 20 %).");
        }
        int used = seed ?? Seeds.Fresh();
        var order = Seeds.Permutation(dataset.Count, new System.Random(used));
        int validCount = (int)Math.Floor(validFraction * dataset.Count);
        var valid = order[..validCount];
        var train = order[validCount..];
        Array.Sort(valid);
        Array.Sort(train);
        return new DatasetSplit(new SubsetDataset(dataset, train), new SubsetDataset(dataset, valid), used);
    }
}
