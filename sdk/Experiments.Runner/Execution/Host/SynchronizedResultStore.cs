using Experiments.Results;

namespace Experiments.Runner.Execution.Host;

/// <summary>
/// Serializes the host's store calls: worker relays, heartbeats and slot loops call from different threads, and a
/// store implementation need not be thread-safe (one connection, one process).
/// </summary>
internal sealed class SynchronizedResultStore : IResultStore
{
    private readonly IResultStore _inner;
    private readonly object _gate = new();

    public SynchronizedResultStore(IResultStore inner) => _inner = inner;

    public void Register(ExperimentInfo experiment, IEnumerable<PlannedTrial> trials)
    {
        lock (_gate) { _inner.Register(experiment, trials); }
    }

    public IReadOnlyList<string> Promote(string experiment, Func<IReadOnlyList<TrialRecord>, IReadOnlyList<PlannedTrial>> decide)
    {
        lock (_gate) { return _inner.Promote(experiment, decide); }
    }

    public int? TryClaim(string experiment, string trialId, WorkerIdentity worker, DateTimeOffset sweepStart, bool rerunPassed, TimeSpan staleAfter)
    {
        lock (_gate) { return _inner.TryClaim(experiment, trialId, worker, sweepStart, rerunPassed, staleAfter); }
    }

    public void Heartbeat(string experiment, IReadOnlyCollection<string> trialIds, WorkerIdentity worker)
    {
        lock (_gate) { _inner.Heartbeat(experiment, trialIds, worker); }
    }

    public void RecordEpochMetric(string experiment, string trialId, int attempt, int epoch, string name, double value)
    {
        lock (_gate) { _inner.RecordEpochMetric(experiment, trialId, attempt, epoch, name, value); }
    }

    public void RecordEpochMetrics(string experiment, string trialId, int attempt, IReadOnlyList<EpochMetricValue> values)
    {
        lock (_gate) { _inner.RecordEpochMetrics(experiment, trialId, attempt, values); }
    }

    public bool Complete(string experiment, string trialId, int attempt, WorkerIdentity worker, TrialOutcome outcome)
    {
        lock (_gate) { return _inner.Complete(experiment, trialId, attempt, worker, outcome); }
    }

    public bool Unclaim(string experiment, string trialId, int attempt, WorkerIdentity worker)
    {
        lock (_gate) { return _inner.Unclaim(experiment, trialId, attempt, worker); }
    }

    public int ReleaseAbandoned(Func<WorkerIdentity, bool> isAlive)
    {
        lock (_gate) { return _inner.ReleaseAbandoned(isAlive); }
    }

    public IReadOnlyList<string> GetExperimentNames()
    {
        lock (_gate) { return _inner.GetExperimentNames(); }
    }

    public ExperimentInfo? GetExperiment(string name)
    {
        lock (_gate) { return _inner.GetExperiment(name); }
    }

    public IReadOnlyList<TrialRecord> GetTrials(string experiment)
    {
        lock (_gate) { return _inner.GetTrials(experiment); }
    }

    public IReadOnlyList<EpochMetric> GetEpochMetrics(string experiment)
    {
        lock (_gate) { return _inner.GetEpochMetrics(experiment); }
    }

    public IReadOnlyDictionary<string, int> GetAttemptCounts(string experiment)
    {
        lock (_gate) { return _inner.GetAttemptCounts(experiment); }
    }

    public void Dispose()
    {
        lock (_gate) { _inner.Dispose(); }
    }
}
