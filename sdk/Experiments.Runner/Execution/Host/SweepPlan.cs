using Experiments.Results;
using Experiments.Runner.Filtering;

namespace Experiments.Runner.Execution.Host;

/// <summary>
/// What one <c>run</c> will try for one experiment, computed once at its start: the filtered matrix minus the
/// trials already passed (unless <c>--rerun</c>), in matrix order; with <c>--shard</c>, only that shard's trials.
/// <see cref="KeptPassed"/> holds the store's records of the selected trials that are not run again because they passed.
/// For an adaptive search (<see cref="Adaptive"/>) the plan holds the trials the store has registered (the first rung
/// and the promotions so far); the sweep adds the promotions it makes or finds as it goes.
/// </summary>
internal sealed record SweepPlan(ExperimentDefinition Experiment, int Selected, int AlreadyPassed, IReadOnlyList<Trial> Candidates)
{
    public static SweepPlan Create(ExperimentDefinition experiment, TrialFilter filter, IReadOnlyList<TrialRecord> records, bool rerun, Shard? shard = null, Func<Trial, bool>? include = null)
    {
        shard ??= Shard.All;
        var stored = records.ToDictionary(r => r.TrialId, StringComparer.Ordinal);
        var selected = 0;
        var passed = 0;
        var candidates = new List<Trial>();
        var kept = new List<TrialRecord>();
        // The filter's parameter clauses restrict the matrix before it is enumerated.
        foreach (var trial in filter.Select(experiment))
        {
            if (!shard.Contains(trial) || include?.Invoke(trial) == false)
            {
                continue;
            }
            if (experiment.Search.IsAdaptive && !stored.ContainsKey(trial.Id))
            {
                // A rung this configuration has not been promoted to (yet).
                continue;
            }
            selected++;
            if (stored.TryGetValue(trial.Id, out var record) && record.Status == TrialStatus.Passed)
            {
                passed++;
                if (!rerun)
                {
                    kept.Add(record);
                    continue;
                }
            }
            candidates.Add(trial);
        }
        return new SweepPlan(experiment, selected, passed, candidates) { KeptPassed = kept };
    }

    public IReadOnlyList<TrialRecord> KeptPassed { get; init; } = [];

    /// <summary>The successive-halving state of an adaptive experiment; null for a grid.</summary>
    public AdaptiveSearch? Adaptive { get; init; }
}
