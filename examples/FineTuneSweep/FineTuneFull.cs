using Experiments.Vision.Data;
using Experiments.Vision.Models;
using Experiments.Vision.Trials;

namespace FineTuneSweep;

/// <summary>
/// The full-data profile: all 60,000 Fashion-MNIST training images, validated on the 10,000 official test images (the
/// data set's own test part, no split), so that its error rates compare with published Fashion-MNIST results. CNTK's
/// ImageNet ResNet fine-tuned (<c>resnet20.cntk_in1k</c>) next to the same architecture and <c>convnext_atto</c> from
/// scratch, one run each, 3 epochs in batches of 64 at 32 × 32 px (<see cref="FineTuneSettings.Full"/>): 6–9 minutes
/// per model on two cores. Needs the full data set (<c>data fetch fashion-mnist</c>).
/// </summary>
[Experiment(Repeats = 1, Objective = MetricNames.ErrorRate, Goal = Goal.Minimize,
    ScoreConstant = FineTuneSettings.ScoreConstant, MaxTrials = 3)]
public partial class FineTuneFull
{
    [Values("fashion-mnist"), KnownIn(typeof(VisionDatasets))]
    public partial string Dataset { get; }

    [Values("resnet20.cntk_in1k", "resnet20", "convnext_atto"), KnownIn(typeof(ModelCatalog))]
    public partial string Arch { get; }

    public Task<TrialResult> RunAsync(TrialContext context) => VisionTrial.RunAsync(context, FineTuneSettings.Full(Arch));
}
