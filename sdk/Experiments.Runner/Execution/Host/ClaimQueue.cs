using Experiments.Results;

namespace Experiments.Runner.Execution.Host;

/// <summary>
/// The candidates of one sweep, claimed one at a time just before a worker runs them. The store decides: a trial
/// another process holds (or finished meanwhile) is skipped, so concurrent hosts never run the same trial.
/// </summary>
internal sealed class ClaimQueue
{
    private readonly IResultStore _store;
    private readonly string _experiment;
    private readonly IReadOnlyList<Trial> _candidates;
    private readonly TrialBudget _budget;
    private readonly Func<WorkerIdentity, string, int?> _claim;
    private readonly object _gate = new();
    private int _next;

    public ClaimQueue(IResultStore store, string experiment, IReadOnlyList<Trial> candidates, TrialBudget budget, DateTimeOffset sweepStart, bool rerun, TimeSpan staleAfter)
    {
        _store = store;
        _experiment = experiment;
        _candidates = candidates;
        _budget = budget;
        _claim = (worker, trialId) => _store.TryClaim(_experiment, trialId, worker, sweepStart, rerun, staleAfter);
    }

    /// <summary>Candidates another process held or had already finished.</summary>
    public int Skipped { get; private set; }

    public bool HasMore
    {
        get
        {
            lock (_gate)
            {
                return _next < _candidates.Count && !_budget.IsSpent;
            }
        }
    }

    public bool TryClaimNext(WorkerIdentity worker, out Trial trial, out int attempt)
    {
        lock (_gate)
        {
            while (_next < _candidates.Count && _budget.TryTake())
            {
                var candidate = _candidates[_next++];
                if (_claim(worker, candidate.Id) is { } claimed)
                {
                    trial = candidate;
                    attempt = claimed;
                    return true;
                }
                _budget.Return();
                Skipped++;
            }
        }
        trial = null!;
        attempt = 0;
        return false;
    }
}
