namespace Experiments.Results;

/// <summary>
/// Where results live. The embedded implementation is SQLite (one file per project); the contract is written so a
/// shared server database (PostgreSQL) can implement it: every state change is one statement or one transaction,
/// claims are atomic compare-and-set updates, and time comes from the caller.
/// Only the host process writes; worker processes report to their host.
/// </summary>
public interface IResultStore : IDisposable
{
    /// <summary>
    /// Records the experiment's declaration and inserts the trials the store does not know yet as pending.
    /// Known trials keep their state. Idempotent and safe to call from several processes at once.
    /// </summary>
    void Register(ExperimentInfo experiment, IEnumerable<PlannedTrial> trials);

    /// <summary>
    /// Reads the experiment's trials and registers those <paramref name="decide"/> returns as pending, in one transaction
    /// that no other <c>Promote</c> of the experiment interleaves with, on any process or machine sharing the store
    /// (SQLite: the database's write lock; PostgreSQL: a transaction-scoped advisory lock per experiment) — so a
    /// decision computed from the records, such as successive halving's promotions, is made and recorded exactly once.
    /// Trials the store already knows are left as they are. Returns the ids of the trials it inserted.
    /// </summary>
    IReadOnlyList<string> Promote(string experiment, Func<IReadOnlyList<TrialRecord>, IReadOnlyList<PlannedTrial>> decide);

    /// <summary>
    /// Atomically claims one trial for <paramref name="worker"/> and starts a new attempt; returns the attempt
    /// number, or null when the trial is not claimable. Claimable: pending or interrupted; failed (or passed, when
    /// <paramref name="rerunPassed"/>) only when it finished before <paramref name="sweepStart"/>, so one sweep never
    /// runs a trial twice; running only when its heartbeat is older than <paramref name="staleAfter"/>.
    /// </summary>
    int? TryClaim(string experiment, string trialId, WorkerIdentity worker, DateTimeOffset sweepStart, bool rerunPassed, TimeSpan staleAfter);

    /// <summary>Refreshes the heartbeat of trials <paramref name="worker"/> is running.</summary>
    void Heartbeat(string experiment, IReadOnlyCollection<string> trialIds, WorkerIdentity worker);

    /// <summary>Appends one per-epoch metric of a running attempt.</summary>
    void RecordEpochMetric(string experiment, string trialId, int attempt, int epoch, string name, double value);

    /// <summary>
    /// Appends per-epoch metrics of a running attempt in one transaction: all of them or, on an error, none. A value
    /// written again (same epoch and name) replaces the earlier one; within a batch, the later one wins.
    /// </summary>
    void RecordEpochMetrics(string experiment, string trialId, int attempt, IReadOnlyList<EpochMetricValue> values);

    /// <summary>
    /// Ends an attempt in one transaction: status, timing, error, build, final metrics, and a row in the attempt
    /// history. Ignored (returns false) when the trial is no longer this worker's attempt.
    /// </summary>
    bool Complete(string experiment, string trialId, int attempt, WorkerIdentity worker, TrialOutcome outcome);

    /// <summary>
    /// Gives an attempt back unrun — the trial could not start for want of something outside it — so the trial is
    /// pending again with the attempt count it had, as if never claimed. Ignored (returns false) when the trial is no
    /// longer this worker's running attempt.
    /// </summary>
    bool Unclaim(string experiment, string trialId, int attempt, WorkerIdentity worker);

    /// <summary>Marks trials left running by workers that are no longer alive as interrupted; returns how many.</summary>
    int ReleaseAbandoned(Func<WorkerIdentity, bool> isAlive);

    IReadOnlyList<string> GetExperimentNames();

    ExperimentInfo? GetExperiment(string name);

    /// <summary>Every trial of the experiment, in matrix order.</summary>
    IReadOnlyList<TrialRecord> GetTrials(string experiment);

    /// <summary>Epoch metrics of the latest attempt of each trial.</summary>
    IReadOnlyList<EpochMetric> GetEpochMetrics(string experiment);

    /// <summary>How many attempts (executions) each trial has had, over all time.</summary>
    IReadOnlyDictionary<string, int> GetAttemptCounts(string experiment);
}
