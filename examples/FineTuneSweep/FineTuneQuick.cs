using Experiments.Vision.Data;
using Experiments.Vision.Models;
using Experiments.Vision.Transforms;
using Experiments.Vision.Trials;

namespace FineTuneSweep;

/// <summary>
/// The quick profile of <see cref="FineTuneSweep"/>: which model family learns best, and at what cost? The smallest model
/// of three families (ResNet, ConvNeXt, RegNetY) on the two data sets as they ship with the library — the Fashion-MNIST
/// sample (1,000 training images, validated on its 200 test images) and the multi-label mosaics made from it (2,000
/// training canvases, validated on 500 made from the test images) — with the full study's trial settings
/// (<see cref="FineTuneSettings.For"/>) at one setting of the others (lr 0.01, squish, average pooling), three repeats
/// each so that the report can tell families apart beyond noise: 3 × 2 × 3 = 18 trials, about six minutes on two cores.
/// ResNet-D and ViT are left to the full study: <c>resnet26d</c> alone would double the profile's time, and the ViT needs
/// far more images than these to learn. <c>MaxTrials</c> keeps the profile this small: a change that grows it is build
/// error EXP009.
/// </summary>
[Experiment(Repeats = 3, Objective = MetricNames.ErrorRate, Goal = Goal.Minimize,
    ScoreConstant = FineTuneSettings.ScoreConstant, MaxTrials = 18)]
public partial class FineTuneQuick
{
    [Values("fashion-mnist-sample", "fashion-mosaic-sample"), KnownIn(typeof(VisionDatasets))]
    public partial string Dataset { get; }

    [Values("resnet18", "convnext_atto", "regnety_002"), KnownIn(typeof(ModelCatalog))]
    public partial string Arch { get; }

    public Task<TrialResult> RunAsync(TrialContext context) =>
        VisionTrial.RunAsync(context, FineTuneSettings.For(Dataset, Arch, 1e-2, ResizeMethod.Squish, Pooling.Average));
}
