using Experiments.Results;

namespace Experiments.Reports;

/// <summary>Everything a report is made from: what the results store holds about one experiment, and where it is rendered.</summary>
public sealed record ReportInput(
    ExperimentInfo Experiment,
    IReadOnlyList<TrialRecord> Trials,
    IReadOnlyList<EpochMetric> EpochMetrics,
    ReportEnvironment Environment)
{
    /// <summary>
    /// Other experiments of the same store the report may compare with: an adaptive search's report compares its winner
    /// with a stored grid over the same parameters (<see cref="Analysis.GridMatch"/>). Empty by default.
    /// </summary>
    public IReadOnlyList<StoredExperiment> OtherExperiments { get; init; } = [];
}

/// <summary>An experiment's declaration and trials as the store holds them.</summary>
public sealed record StoredExperiment(ExperimentInfo Experiment, IReadOnlyList<TrialRecord> Trials);

/// <summary>
/// Facts about the rendering, passed in rather than read from the machine so that tests (and reproducible reports)
/// get the same output every time.
/// </summary>
/// <param name="GeneratedAt">When the report is generated.</param>
/// <param name="Machine">The host that generates the report.</param>
/// <param name="Device">The device the sweep ran on (e.g. <c>cuda:0</c>, <c>cpu</c>).</param>
/// <param name="SourceRevision">The source revision of the project, when known (e.g. a git commit).</param>
public sealed record ReportEnvironment(DateTimeOffset GeneratedAt, string Machine, string Device, string? SourceRevision);
