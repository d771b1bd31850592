using Experiments.Results;

namespace Experiments.Runner.Execution.Host;

/// <summary>The counts behind the closing line of <c>run</c>, over all of its experiments.</summary>
internal sealed class SweepTally
{
    private int _passed;
    private int _failed;
    private int _interrupted;
    private int _skipped;

    public int Passed => _passed;

    /// <summary>Failed trials, the interrupted ones included (they did not pass in this run).</summary>
    public int Failed => _failed + _interrupted;

    public int Interrupted => _interrupted;

    /// <summary>Candidates not run because another process held them or had just finished them.</summary>
    public int Skipped => _skipped;

    /// <summary>Problems that stopped trials from running at all (no worker could start).</summary>
    public List<string> Errors { get; } = new();

    /// <summary>Counts a finished trial: passed, interrupted, or (anything else) failed.</summary>
    public void Add(TrialStatus status)
    {
        switch (status)
        {
            case TrialStatus.Passed:
                Interlocked.Increment(ref _passed);
                break;
            case TrialStatus.Interrupted:
                Interlocked.Increment(ref _interrupted);
                break;
            default:
                Interlocked.Increment(ref _failed);
                break;
        }
    }

    /// <summary>Experiments whose sweep stopped because a trial could not start, with the reason (how to fix it).</summary>
    public List<(string Experiment, string Reason)> NotReady { get; } = new();

    public void AddNotReady(string experiment, string reason)
    {
        lock (NotReady)
        {
            NotReady.Add((experiment, reason));
        }
    }

    public void AddSkipped(int count) => Interlocked.Add(ref _skipped, count);

    public void AddError(string error)
    {
        lock (Errors)
        {
            Errors.Add(error);
        }
    }

    /// <summary>Exactly <c>N passed, N failed</c>, with <c>, N skipped</c> only when something was skipped.</summary>
    public string ClosingLine => Skipped > 0
        ? $"{Passed} passed, {Failed} failed, {Skipped} skipped"
        : $"{Passed} passed, {Failed} failed";
}
