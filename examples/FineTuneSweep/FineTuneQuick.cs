using Experiments.Vision.Data;
using Experiments.Vision.Models;
using Experiments.Vision.Transforms;
using Experiments.Vision.Trials;

namespace FineTuneSweep;

/// <summary>
/// The quick profile of <see cref="FineTuneSweep"/>: which model family learns best? The smallest model of four families
/// (ResNet, ResNet-D, ConvNeXt, RegNetY) on the two data sets as they ship with the library — the Fashion-MNIST sample
/// (1,000 training images, validated on its 200 test images) and the multi-label mosaics made from it — with the full
/// study's trial settings (<see cref="FineTuneSettings.For"/>) at one setting of the others (lr 0.01, squish, average
/// pooling), three repeats each so that the report can tell families apart beyond noise: 4 × 2 × 3 = 24 trials, about
/// six minutes on two cores. The ViT is left to the full study: it needs far more images than these to learn (it was
/// half of the compute of an earlier quick profile, and its worst learner). <c>MaxTrials</c> keeps the profile this
/// small: a change that grows it is build error EXP009.
/// </summary>
[Experiment(Repeats = 3, Objective = MetricNames.ErrorRate, Goal = Goal.Minimize,
    ScoreConstant = FineTuneSettings.ScoreConstant, MaxTrials = 24)]
public partial class FineTuneQuick
{
    [Values("fashion-mnist-sample", "fashion-mosaic-sample"), KnownIn(typeof(VisionDatasets))]
    public partial string Dataset { get; }

    [Values("resnet18", "resnet26d", "convnext_atto", "regnety_002"), KnownIn(typeof(ModelCatalog))]
    public partial string Arch { get; }

    public Task<TrialResult> RunAsync(TrialContext context) =>
        VisionTrial.RunAsync(context, FineTuneSettings.For(Dataset, Arch, 1e-2, ResizeMethod.Squish, Pooling.Average));
}
