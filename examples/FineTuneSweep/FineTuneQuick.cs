using Experiments.Vision.Data;
using Experiments.Vision.Models;
using Experiments.Vision.Transforms;
using Experiments.Vision.Trials;

namespace FineTuneSweep;

/// <summary>
/// The quick profile of <see cref="FineTuneSweep"/>: does starting from ImageNet weights beat training from scratch, and
/// how does the best small model of another family compare, at what cost? CNTK's ImageNet ResNet
/// (<c>resnet20.cntk_in1k</c>: real weights from a NuGet package, fastai's <c>fine_tune</c>), the same architecture from
/// scratch (<c>resnet20</c>), and <c>convnext_atto</c> from scratch, on the two data sets as they ship with the library —
/// the Fashion-MNIST sample (1,000 training images, validated on its 200 test images) and the multi-label mosaics made
/// from it (2,000 training canvases, validated on 500 made from the test images) — with the full study's trial settings
/// (<see cref="FineTuneSettings.For"/>) at one setting of the others (lr 0.01, squish, average pooling), three repeats
/// each so that the report can tell them apart beyond noise: 3 × 2 × 3 = 18 trials, about eight minutes on two cores.
/// RegNetY, ResNet-D and ViT are left to the full study: each added model costs a minute or two of the profile.
/// <c>MaxTrials</c> keeps the profile this small: a change that grows it is build error EXP009.
/// </summary>
[Experiment(Repeats = 3, Objective = MetricNames.ErrorRate, Goal = Goal.Minimize,
    ScoreConstant = FineTuneSettings.ScoreConstant, MaxTrials = 18)]
public partial class FineTuneQuick
{
    [Values("fashion-mnist-sample", "fashion-mosaic-sample"), KnownIn(typeof(VisionDatasets))]
    public partial string Dataset { get; }

    [Values("resnet20.cntk_in1k", "resnet20", "convnext_atto"), KnownIn(typeof(ModelCatalog))]
    public partial string Arch { get; }

    public Task<TrialResult> RunAsync(TrialContext context) =>
        VisionTrial.RunAsync(context, FineTuneSettings.For(Dataset, Arch, 1e-2, ResizeMethod.Squish, Pooling.Average));
}
