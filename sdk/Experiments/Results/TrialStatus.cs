namespace Experiments.Results;

/// <summary>Life cycle of a trial in the store.</summary>
public enum TrialStatus
{
    /// <summary>Not run yet.</summary>
    Pending,
    /// <summary>Claimed by a worker that is running it (or died running it: see heartbeats).</summary>
    Running,
    Passed,
    Failed,
    /// <summary>Stopped by Ctrl+C / SIGTERM or by its host dying; runs again on the next <c>run</c>.</summary>
    Interrupted,
}
