namespace Experiments.Running.Execution;

/// <summary>How a trial ended, as the host saw it.</summary>
internal enum TrialEnd
{
    Passed,
    Failed,
    Interrupted,

    /// <summary>The worker process died during the trial; the trial failed and the worker must be replaced.</summary>
    Crashed,
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
