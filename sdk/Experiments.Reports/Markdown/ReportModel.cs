using Experiments.Reports.Analysis;

namespace Experiments.Reports.Markdown;

/// <summary>
/// Everything the report shows, computed and formatted, so a template only lays it out. Text meant for Markdown is
/// already escaped; raw numbers sit next to their formatted <c>…Text</c>. Templates see it as plain data with
/// snake_case names (<see cref="ScriptModel"/>). <see cref="Search"/> is the <em>Successive halving</em> section of an
/// adaptive search (null in a grid).
/// </summary>
public sealed record ReportModel(
    ExperimentSummary Experiment,
    RunSummary Runs,
    EnvironmentSummary Environment,
    IReadOnlyList<BuildCount> Builds,
    bool MixedBuilds,
    bool HasFamily,
    bool HasMemory,
    bool HasWeights,
    bool HasScore,
    string? ScoreFormula,
    bool PerDataset,
    IReadOnlyList<DatasetSection> Sections,
    IReadOnlyList<FailedTrial> Failed,
    IReadOnlyList<EpochPoint> EpochMetrics,
    SearchSection? Search = null)
{
    /// <summary>The model of a report without plots.</summary>
    public static ReportModel Build(ReportInput input) => ReportModelBuilder.Build(ReportAnalysis.Of(input), []);

    /// <summary>The model of a report from its analysis, linking <paramref name="plots"/> (the images written next to it).</summary>
    public static ReportModel Build(ReportAnalysis analysis, IReadOnlyList<ReportPlot> plots) => ReportModelBuilder.Build(analysis, plots);
}

/// <summary>The experiment's declaration as the store recorded it.</summary>
public sealed record ExperimentSummary(
    string Name,
    string Objective,
    string Goal,
    string Better,
    int Repeats,
    int MatrixSize,
    int Configurations,
    int RemovedByRules,
    IReadOnlyList<string> Rules,
    IReadOnlyList<ParameterSummary> Parameters)
{
    /// <summary>How an adaptive search spends the matrix (empty for a grid, which runs all of it).</summary>
    public string SearchText { get; init; } = string.Empty;
}

/// <summary>A swept parameter and its values (escaped, joined with commas).</summary>
public sealed record ParameterSummary(string Name, int ValueCount, string Values);

/// <summary>Trial counts by status and the compute they took.</summary>
public sealed record RunSummary(
    int Total,
    int Passed,
    int Failed,
    int Pending,
    int Running,
    int Interrupted,
    double ComputeSeconds,
    string ComputeText);

/// <summary>
/// Where and when the report was made, and what ran the trials: <c>Hosts</c> is how many machines ran the finished
/// trials, <c>HostsText</c> names them with their trial counts (empty when no trial names its worker).
/// </summary>
public sealed record EnvironmentSummary(
    string Date,
    string Machine,
    string Device,
    string SourceRevision,
    string TrialDevices,
    int Hosts,
    string HostsText);

/// <summary>A build (assembly version id) that produced passed trials.</summary>
public sealed record BuildCount(string BuildId, string SourceRevision, int Trials);

/// <summary>A failed trial and the first line of its error.</summary>
public sealed record FailedTrial(string TrialId, int Attempt, string Reason);

/// <summary>One per-epoch metric value (for custom templates; the default one does not plot).</summary>
public sealed record EpochPoint(string TrialId, int Attempt, int Epoch, string Name, double Value);
