namespace Experiments.Results;

/// <summary>
/// What the store keeps of an experiment's declaration, so reports and exports work from the store alone.
/// </summary>
public sealed record ExperimentInfo(
    string Name,
    int Repeats,
    string Objective,
    Goal Goal,
    double ScoreConstant,
    int MatrixSize,
    int RemovedByRules,
    IReadOnlyList<ParameterDefinition> Parameters,
    IReadOnlyList<string> Rules,
    SearchSettings? Search = null)
{
    /// <summary>How the matrix is searched (a grid when the declaration said nothing).</summary>
    public SearchSettings SearchOrGrid => Search ?? SearchSettings.Grid;

    public static ExperimentInfo From(ExperimentDefinition definition) => new(
        definition.Name,
        definition.Repeats,
        definition.Objective,
        definition.Goal,
        definition.ScoreConstant,
        definition.MatrixSize,
        definition.RemovedByRules,
        definition.Parameters,
        definition.Rules,
        definition.Search.IsAdaptive ? definition.Search : null);
}

/// <summary>A trial of the matrix as registered in the store (parameters as name → display text, in declaration order).</summary>
public sealed record PlannedTrial(string TrialId, int Index, int Repeat, IReadOnlyList<KeyValuePair<string, string>> Parameters)
{
    public static PlannedTrial From(Trial trial) => new(
        trial.Id,
        trial.Index,
        trial.Repeat,
        trial.Parameters.Select(p => new KeyValuePair<string, string>(p.Name, p.Display)).ToArray());
}

/// <summary>
/// The process that claimed a trial: host name, process id and a random session id (process ids get reused).
/// Stored as <c>host:pid:session</c>.
/// </summary>
public sealed record WorkerIdentity(string Host, int ProcessId, string Session)
{
    public static WorkerIdentity ForCurrentProcess()
        => new(Environment.MachineName, Environment.ProcessId, Guid.NewGuid().ToString("N")[..8]);

    public override string ToString() => $"{Host}:{ProcessId}:{Session}";

    public static WorkerIdentity? Parse(string? text)
    {
        var parts = text?.Split(':');
        return parts is { Length: 3 } && int.TryParse(parts[1], out var pid) ? new WorkerIdentity(parts[0], pid, parts[2]) : null;
    }
}

/// <summary>Which build ran a trial: the assembly's module version id (changes with any code change) and source revision.</summary>
public sealed record BuildIdentity(string BuildId, string SourceRevision);

/// <summary>How an attempt ended.</summary>
public sealed record TrialOutcome(
    TrialStatus Status,
    double DurationSeconds,
    string? Error,
    IReadOnlyDictionary<string, double> Metrics,
    BuildIdentity Build,
    string Device);

/// <summary>A trial's current state: the latest attempt, its final metrics and how it ended.</summary>
public sealed record TrialRecord(
    string Experiment,
    string TrialId,
    int Index,
    int Repeat,
    IReadOnlyList<KeyValuePair<string, string>> Parameters,
    TrialStatus Status,
    int Attempt,
    string? Worker,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    double? DurationSeconds,
    string? Error,
    string? BuildId,
    string? SourceRevision,
    string? Device,
    IReadOnlyDictionary<string, double> Metrics)
{
    public string? Parameter(string name)
        => Parameters.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.Ordinal)).Value;

    /// <summary>The id without the repeat suffix (see <see cref="Experiments.TrialId"/>).</summary>
    public string ConfigurationId => Experiments.TrialId.ConfigurationIdOf(TrialId);
}

/// <summary>One per-epoch metric value of one attempt.</summary>
public sealed record EpochMetric(string TrialId, int Attempt, int Epoch, string Name, double Value);

/// <summary>One per-epoch metric value of a batch written for one attempt (see <see cref="IResultStore.RecordEpochMetrics"/>).</summary>
public readonly record struct EpochMetricValue(int Epoch, string Name, double Value);
