using Experiments.Vision.Data;
using Experiments.Vision.Models;
using Experiments.Vision.Transforms;
using Experiments.Vision.Trials;

namespace AdaptiveSearch;

/// <summary>
/// The trial settings every experiment of this project shares, so that a configuration trains the same way in the grid
/// and in the searches: the packaged Fashion-MNIST sample (1,000 training images, validated on its 200 test images) at
/// 32 × 40 px in batches of 16, squished, average pooling; only the model, the learning rate and the epochs vary.
/// </summary>
public static class HalvingSettings
{
    /// <summary>The epochs of the grid, and the top rung of the searches.</summary>
    public const int MaxEpochs = 9;

    /// <summary>The epochs every configuration of a search gets at its first rung.</summary>
    public const int MinEpochs = 1;

    /// <summary>η: the best third of a rung moves up, with three times the epochs.</summary>
    public const int ReductionFactor = 3;

    /// <summary>
    /// The settings of one trial. A promoted trial of a search starts as <paramref name="rungStart"/> says; by default
    /// (<see cref="RungStart.Auto"/>) a pretrained model continues from its model one rung below and a model trained from
    /// scratch starts over, as measured best in the vision library.
    /// </summary>
    public static VisionTrialSettings For(string arch, double learningRate, int epochs, RungStart rungStart = RungStart.Auto) => new()
    {
        Dataset = VisionDatasets.FashionMnistSample,
        Architecture = arch,
        LearningRate = learningRate,
        Resize = ResizeMethod.Squish,
        Pooling = Pooling.Average,
        Height = 32,
        Width = 40,
        Epochs = epochs,
        BatchSize = 16,
        Validation = ValidationSource.TestPart,
        // fastai's lr_mult for the ImageNet ResNet, as in FineTuneSweep: its body learns at a tenth of the head's rate.
        LrMult = 10,
        RungStart = rungStart,
    };
}
