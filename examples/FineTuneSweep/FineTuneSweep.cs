using Experiments.Vision.Data;
using Experiments.Vision.Models;
using Experiments.Vision.Transforms;
using Experiments.Vision.Trials;

namespace FineTuneSweep;

/// <summary>
/// Which models fine-tune best? The model study of the fast.ai live-coding lesson at CPU scale: 21 models of eight families
/// (ResNet, ResNet-D, ResNeXt, ConvNeXt, ViT, Swin V1 and V2, RegNetY, MobileNetV3; one to five sizes each; one,
/// <c>resnet20.cntk_in1k</c>, from ImageNet weights, next to its architecture from scratch) × two data sets of different character
/// (Fashion-MNIST: 10 classes of grey 28 px clothes; <c>fashion-mosaic</c>: multi-label grids of 1–4 garments, standing
/// in for the satellite data) × two learning rates × two resize methods × two pooling types, three repeats each:
/// 1,008 trials on the full Fashion-MNIST (2,000 training images per trial; most of a day on two cores). It needs the
/// full data set: without it, <c>run</c> stops before the first trial and says how to get it (<c>data fetch
/// fashion-mnist</c>). Every model takes every setting,
/// so the report's parameter effects compare balanced sets of trials — even for the ViTs, which take one input size
/// (32 × 32, so squish and crop of a square image are the same) and need no pooling, so their crop and concat trials
/// repeat their squish / average ones (the 32 px Swins take one size too: their crop trials repeat their squish ones). The
/// 224 and 256 px ViTs and Swins are left out: at 49 times the pixels they would take the study's whole budget. <see cref="FineTuneQuick"/> runs three of the models on the packaged sample in
/// about eight minutes; <see cref="FineTuneFull"/> runs three on all of Fashion-MNIST.
/// </summary>
[Experiment(Repeats = 3, Objective = MetricNames.ErrorRate, Goal = Goal.Minimize,
    ScoreConstant = FineTuneSettings.ScoreConstant)]
public partial class FineTuneSweep
{
    [Values("fashion-mnist", "fashion-mosaic"), KnownIn(typeof(VisionDatasets))]
    public partial string Dataset { get; }

    [Values(
        "resnet20.cntk_in1k", "resnet20", "resnet18", "resnet34", "resnet50",
        "resnet26d", "resnet50d",
        "convnext_atto", "convnext_femto", "convnext_pico", "convnext_nano", "convnext_tiny",
        "vit_tiny_patch4_32", "vit_small_patch4_32",
        "regnety_002", "regnety_004",
        "resnext50_32x4d", "swin_tiny_patch2_window4_32", "swinv2_tiny_patch2_window4_32", "mobilenetv3_small_100", "mobilenetv3_large_100"), KnownIn(typeof(ModelCatalog))]
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
