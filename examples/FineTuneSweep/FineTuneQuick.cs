using Experiments.Vision.Data;
using Experiments.Vision.Models;
using Experiments.Vision.Transforms;
using Experiments.Vision.Trials;

namespace FineTuneSweep;

/// <summary>
/// The quick profile of <see cref="FineTuneSweep"/>: the smallest model of each of the five families on both data sets,
/// with the same trial settings (<see cref="FineTuneSettings.For"/>) and two repeats instead of three. Instead of all
/// 2 × 2 × 2 settings of learning rate, resize and pooling it runs one baseline (lr 0.01, squish, average) plus one
/// change of each (lr 0.003; crop; concat): a one-factor-at-a-time design that three pair rules carve out of the 8
/// combinations. A ViT takes one square input size and reads its class token, so for it only the learning rate
/// changes anything: two more rules keep its two settings that differ. 4 models × 2 data sets × 4 settings × 2 repeats
/// + 1 ViT × 2 × 2 × 2 = 72 trials; <c>MaxTrials</c> keeps it that small (a change that grows it is build error EXP009).
/// </summary>
[Experiment(Repeats = 2, Objective = MetricNames.ErrorRate, Goal = Goal.Minimize,
    ScoreConstant = FineTuneSettings.ScoreConstant, MaxTrials = 72)]
[Exclude(nameof(LearningRate), 3e-3, nameof(Resize), ResizeMethod.Crop,
    Reason = "one factor at a time: lr 0.003 only with squish")]
[Exclude(nameof(LearningRate), 3e-3, nameof(Pool), Pooling.Concat,
    Reason = "one factor at a time: lr 0.003 only with average pooling")]
[Exclude(nameof(Resize), ResizeMethod.Crop, nameof(Pool), Pooling.Concat,
    Reason = "one factor at a time: crop only with average pooling")]
[Exclude(nameof(Arch), "vit_*", nameof(Resize), ResizeMethod.Crop, Reason = "a ViT takes its one square input size: squish and crop are the same")]
[Exclude(nameof(Arch), "vit_*", nameof(Pool), Pooling.Concat, Reason = "a ViT's head reads the class token: no pooling to choose")]
public partial class FineTuneQuick
{
    [Values("fashion-mnist", "shapes-multi"), KnownIn(typeof(VisionDatasets))]
    public partial string Dataset { get; }

    [Values("resnet18", "resnet26d", "convnext_atto", "vit_tiny_patch4_32", "regnety_002"), KnownIn(typeof(ModelCatalog))]
    public partial string Arch { get; }

    [Values(3e-3, 1e-2, Key = "lr")]
    public partial double LearningRate { get; }

    [Values(ResizeMethod.Squish, ResizeMethod.Crop)]
    public partial ResizeMethod Resize { get; }

    [Values(Pooling.Average, Pooling.Concat)]
    public partial Pooling Pool { get; }

    public Task<TrialResult> RunAsync(TrialContext context) =>
        VisionTrial.RunAsync(context, FineTuneSettings.For(Dataset, Arch, LearningRate, Resize, Pool));
}
