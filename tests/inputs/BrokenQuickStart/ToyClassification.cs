using Experiments;

namespace QuickStart;

// Each marked line carries a mistake; the comment names the diagnostic the build must report at that argument.
// tests/Experiments.Sdk.Tests/FromSource/BrokenQuickStartTests.cs builds this project and checks them.
[Experiment(Repeats = 0, Objective = "error_rte")]                    // EXP010 (Repeats), EXP011 (objective not reported)
public partial class ToyClassification
{
    [Values("moons", "circles", "spirls"), KnownIn(typeof(ToyDatasets))] // EXP006 (did you mean 'spirals'?)
    public partial string Dataset { get; }

    [Values(2, "8", 32)]                                                // EXP005 (string for an int)
    public partial int Hidden { get; }

    [Values(0.1, 0.5, 0.1)]                                            // EXP004 (duplicate)
    public partial double LearningRate { get; }

    public Task<TrialResult> RunAsync(TrialContext context)
        => Task.FromResult(TrialResult.Success((MetricNames.ErrorRate, 0.5)));
}
