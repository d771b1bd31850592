using Experiments.Results;
using Experiments.Runner.Filtering;

namespace Experiments.Runner.Execution.Host;

/// <summary>
/// What one <c>run</c> will try for one experiment, computed once at its start: the filtered matrix minus the
/// trials already passed (unless <c>--rerun</c>), in matrix order; with <c>--shard</c>, only that shard's trials.
/// </summary>
internal sealed record SweepPlan(ExperimentDefinition Experiment, int Selected, int AlreadyPassed, IReadOnlyList<Trial> Candidates)
{
    public static SweepPlan Create(ExperimentDefinition experiment, TrialFilter filter, IReadOnlyList<TrialRecord> records, bool rerun, Shard? shard = null)
    {
        shard ??= Shard.All;
        var status = records.ToDictionary(r => r.TrialId, r => r.Status, StringComparer.Ordinal);
        var selected = 0;
        var passed = 0;
        var candidates = new List<Trial>();
        // The filter's parameter clauses restrict the matrix before it is enumerated.
        foreach (var trial in filter.Select(experiment))
        {
            if (!shard.Contains(trial))
            {
                continue;
            }
            selected++;
            if (status.TryGetValue(trial.Id, out var s) && s == TrialStatus.Passed)
            {
                passed++;
                if (!rerun)
                {
                    continue;
                }
            }
            candidates.Add(trial);
        }
        return new SweepPlan(experiment, selected, passed, candidates);
    }
}
