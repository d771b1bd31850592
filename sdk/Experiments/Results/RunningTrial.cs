namespace Experiments.Results;

/// <summary>A trial being run now: who claimed it and when it last gave a sign of life.</summary>
public sealed record RunningTrial(string TrialId, int Attempt, WorkerIdentity? Worker, DateTimeOffset? StartedAt, DateTimeOffset? HeartbeatAt);

/// <summary>
/// A store that can say who runs what (<c>list</c> across a cluster). Separate from <see cref="IResultStore"/> so a
/// store without it still works; <c>list</c> then shows the claimer without the heartbeat's age.
/// </summary>
public interface IRunningTrials
{
    /// <summary>The running trials of <paramref name="experiment"/>, in matrix order.</summary>
    IReadOnlyList<RunningTrial> GetRunning(string experiment);
}
