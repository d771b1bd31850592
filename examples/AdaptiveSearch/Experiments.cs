using Experiments.Vision.Data;
using Experiments.Vision.Models;
using Experiments.Vision.Trials;

namespace AdaptiveSearch;

/// <summary>
/// Successive halving over the epochs: nine configurations (three models × three learning rates), two repeats each,
/// start at 1 epoch; the best third by mean error moves up to 3 epochs, and the best third of those to 9. A promoted
/// pretrained trial continues from its own model one rung below (a new one-cycle over the added epochs: 1 + 2 + 6 epochs
/// for a configuration that reaches the top), one trained from scratch starts over (continuing measured worse for it).
/// </summary>
[Experiment(Repeats = 2, Objective = MetricNames.ErrorRate, Goal = Goal.Minimize, ScoreConstant = 10,
    Search = Search.SuccessiveHalving, ReductionFactor = HalvingSettings.ReductionFactor)]
public partial class HalvingSearch
{
    [Values("resnet20.cntk_in1k", "resnet20", "convnext_atto"), KnownIn(typeof(ModelCatalog))]
    public partial string Arch { get; }

    [Values(0.002, 0.01, 0.05, Key = "lr")]
    public partial double LearningRate { get; }

    [Budget(HalvingSettings.MinEpochs, HalvingSettings.MaxEpochs)]
    public partial int Epochs { get; }

    public Task<TrialResult> RunAsync(TrialContext context)
        => VisionTrial.RunAsync(context, HalvingSettings.For(Arch, LearningRate, Epochs));
}

/// <summary>
/// The same search, but every promoted trial continues from its model one rung below, the models trained from scratch
/// too: the cheapest search, measured next to <see cref="HalvingSearch"/>.
/// </summary>
[Experiment(Repeats = 2, Objective = MetricNames.ErrorRate, Goal = Goal.Minimize, ScoreConstant = 10,
    Search = Search.SuccessiveHalving, ReductionFactor = HalvingSettings.ReductionFactor)]
public partial class HalvingContinue
{
    [Values("resnet20.cntk_in1k", "resnet20", "convnext_atto"), KnownIn(typeof(ModelCatalog))]
    public partial string Arch { get; }

    [Values(0.002, 0.01, 0.05, Key = "lr")]
    public partial double LearningRate { get; }

    [Budget(HalvingSettings.MinEpochs, HalvingSettings.MaxEpochs)]
    public partial int Epochs { get; }

    public Task<TrialResult> RunAsync(TrialContext context)
        => VisionTrial.RunAsync(context, HalvingSettings.For(Arch, LearningRate, Epochs, RungStart.Continue));
}

/// <summary>
/// The same search, but every promoted trial starts over and trains its rung's whole budget: what a search costs when
/// no trial continues, measured next to <see cref="HalvingSearch"/>.
/// </summary>
[Experiment(Repeats = 2, Objective = MetricNames.ErrorRate, Goal = Goal.Minimize, ScoreConstant = 10,
    Search = Search.SuccessiveHalving, ReductionFactor = HalvingSettings.ReductionFactor)]
public partial class HalvingRestart
{
    [Values("resnet20.cntk_in1k", "resnet20", "convnext_atto"), KnownIn(typeof(ModelCatalog))]
    public partial string Arch { get; }

    [Values(0.002, 0.01, 0.05, Key = "lr")]
    public partial double LearningRate { get; }

    [Budget(HalvingSettings.MinEpochs, HalvingSettings.MaxEpochs)]
    public partial int Epochs { get; }

    public Task<TrialResult> RunAsync(TrialContext context)
        => VisionTrial.RunAsync(context, HalvingSettings.For(Arch, LearningRate, Epochs, RungStart.Restart));
}

/// <summary>
/// The grid the searches replace: every configuration trained for the full 9 epochs, twice. The searches' reports
/// compare their winners with this grid's when its results are in the store.
/// </summary>
[Experiment(Repeats = 2, Objective = MetricNames.ErrorRate, Goal = Goal.Minimize, ScoreConstant = 10)]
public partial class HalvingGrid
{
    [Values("resnet20.cntk_in1k", "resnet20", "convnext_atto"), KnownIn(typeof(ModelCatalog))]
    public partial string Arch { get; }

    [Values(0.002, 0.01, 0.05, Key = "lr")]
    public partial double LearningRate { get; }

    [Values(HalvingSettings.MaxEpochs)]
    public partial int Epochs { get; }

    public Task<TrialResult> RunAsync(TrialContext context)
        => VisionTrial.RunAsync(context, HalvingSettings.For(Arch, LearningRate, Epochs));
}
