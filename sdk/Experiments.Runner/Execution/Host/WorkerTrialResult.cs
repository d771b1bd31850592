using Experiments.Results;

namespace Experiments.Runner.Execution.Host;

/// <summary>
/// A trial's end from the host's point of view: the status the worker sent, in the store's terms (<see
/// cref="TrialStatus.Pending"/>: the trial could not start for want of something outside it, a data set or weights; it
/// goes back to pending and the experiment's sweep stops claiming — not a failure of the trial), and whether the worker
/// process died during the trial (<see cref="WorkerDied"/>: only the host knows that; the trial failed and the worker
/// must be replaced). <see cref="Error"/>'s first line is the reason shown in the console; the rest (stack trace,
/// worker stderr) goes to the store.
/// </summary>
internal sealed record WorkerTrialResult(
    TrialStatus Status,
    IReadOnlyDictionary<string, double> Metrics,
    string? Error,
    double DurationSeconds,
    bool WorkerDied = false)
{
    /// <summary>The trial did not start (a prerequisite is missing) and stays pending.</summary>
    public bool NotStarted => Status == TrialStatus.Pending;

    public string? Reason => Error is null ? null : FirstLine(Error);

    private static string FirstLine(string text)
    {
        var newline = text.IndexOf('\n');
        return (newline < 0 ? text : text[..newline]).TrimEnd('\r');
    }
}
