namespace Experiments.Vision.Trials;

/// <summary>Where a vision trial's validation images come from.</summary>
public enum ValidationSource
{
    /// <summary>
    /// A random share of the training part (<see cref="VisionTrialSettings.ValidFraction"/>, seeded with
    /// <see cref="VisionTrialSettings.SplitSeed"/>), as fastai's <c>RandomSplitter</c>: for data with no test part.
    /// </summary>
    Split,

    /// <summary>
    /// The data set's own test part (Fashion-MNIST's official test images; the mosaics made from them): every training
    /// image trains, and every trial of every model validates on the same, independent images.
    /// </summary>
    TestPart,
}
