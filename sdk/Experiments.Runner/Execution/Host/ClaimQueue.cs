using Experiments.Results;

namespace Experiments.Runner.Execution.Host;

/// <summary>
/// The candidates of one sweep, claimed one at a time just before a worker runs them. The store decides: a trial
/// another process holds (or finished meanwhile) is skipped, so concurrent hosts never run the same trial. For an
/// adaptive search the candidates grow while the sweep runs (promotions, here or in another process): when the list is
/// used up, the queue reads the store again, and it says whether waiting may still bring more (<see cref="MayGrow"/>).
/// </summary>
internal sealed class ClaimQueue
{
    private readonly TrialBudget _budget;
    private readonly Func<WorkerIdentity, string, int?> _claim;
    private readonly AdaptiveSearch? _adaptive;
    private readonly DateTimeOffset _sweepStart;
    private readonly bool _rerun;
    private readonly object _gate = new();
    private IReadOnlyList<Trial> _candidates;
    private int _next;
    private bool _othersRunning;
    private int _inFlight;
    private readonly HashSet<string> _refused = new(StringComparer.Ordinal);
    private readonly HashSet<string> _claimed = new(StringComparer.Ordinal);

    public ClaimQueue(IResultStore store, string experiment, IReadOnlyList<Trial> candidates, TrialBudget budget, DateTimeOffset sweepStart, bool rerun, TimeSpan staleAfter, AdaptiveSearch? adaptive = null)
    {
        _candidates = candidates;
        _budget = budget;
        _adaptive = adaptive;
        _sweepStart = sweepStart;
        _rerun = rerun;
        _claim = (worker, trialId) => store.TryClaim(experiment, trialId, worker, sweepStart, rerun, staleAfter);
    }

    /// <summary>Candidates another process held or had already finished (each counted once).</summary>
    public int Skipped
    {
        get
        {
            lock (_gate)
            {
                return _refused.Count(id => !_claimed.Contains(id));
            }
        }
    }

    public bool HasMore
    {
        get
        {
            lock (_gate)
            {
                return !_budget.IsSpent && (_next < _candidates.Count || _adaptive is not null);
            }
        }
    }

    /// <summary>
    /// After <see cref="TryClaimNext"/> found nothing: an adaptive search has trials running (here or elsewhere) whose
    /// results may promote configurations, so a slot should wait and try again rather than stop.
    /// </summary>
    public bool MayGrow
    {
        get
        {
            lock (_gate)
            {
                return _adaptive is not null && (_othersRunning || _inFlight > 0) && !_budget.IsSpent;
            }
        }
    }

    public bool TryClaimNext(WorkerIdentity worker, out Trial trial, out int attempt)
    {
        lock (_gate)
        {
            if (TryClaimListed(worker, out trial, out attempt))
            {
                return true;
            }
            if (_adaptive is not null && !_budget.IsSpent)
            {
                // Promotions may have registered trials since the list was read: read the store again.
                (_candidates, _othersRunning) = _adaptive.Candidates(_sweepStart, _rerun);
                _next = 0;
                return TryClaimListed(worker, out trial, out attempt);
            }
        }
        return false;
    }

    /// <summary>A trial this queue handed out has ended and its promotions are recorded.</summary>
    public void Finished()
    {
        lock (_gate)
        {
            _inFlight--;
        }
    }

    private bool TryClaimListed(WorkerIdentity worker, out Trial trial, out int attempt)
    {
        while (_next < _candidates.Count && _budget.TryTake())
        {
            var candidate = _candidates[_next++];
            if (_claim(worker, candidate.Id) is { } claimed)
            {
                _claimed.Add(candidate.Id);
                _inFlight++;
                trial = candidate;
                attempt = claimed;
                return true;
            }
            _budget.Return();
            _refused.Add(candidate.Id);
        }
        trial = null!;
        attempt = 0;
        return false;
    }
}
