namespace Experiments.Running.Execution;

/// <summary>How a trial ended, as the host saw it.</summary>
internal enum TrialEnd
{
    Passed,
    Failed,
    Interrupted,

    /// <summary>The worker process died during the trial; the trial failed and the worker must be replaced.</summary>
    Crashed,

    /// <summary>
    /// The trial could not start for want of something outside it (a data set, weights): it goes back to pending and
    /// the experiment's sweep stops claiming. Not a failure of the trial.
    /// </summary>
    NotReady,
}

/// <summary>
/// A trial's end from the host's point of view. <see cref="Error"/>'s first line is the reason shown in the
/// console; the rest (stack trace, worker stderr) goes to the store.
/// </summary>
internal sealed record WorkerTrialResult(TrialEnd End, IReadOnlyDictionary<string, double> Metrics, string? Error, double DurationSeconds)
{
    public string? Reason => Error is null ? null : FirstLine(Error);

    private static string FirstLine(string text)
    {
        var newline = text.IndexOf('\n');
        return (newline < 0 ? text : text[..newline]).TrimEnd('\r');
    }
}
