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

    private Exception? _storeFailure;
    private int _notRecorded;

    /// <summary>The first error of the results store during the sweep: the sweep stopped because of it.</summary>
    public Exception? StoreFailure => Volatile.Read(ref _storeFailure);

    /// <summary>Trials whose end the store did not take: they stay <c>running</c> there until the next run releases them.</summary>
    public int NotRecorded => Volatile.Read(ref _notRecorded);

    /// <summary>Keeps the first store error; true for the first (the caller stops the sweep).</summary>
    public bool FailStore(Exception error) => Interlocked.CompareExchange(ref _storeFailure, error, null) is null;

    public void AddNotRecorded() => Interlocked.Increment(ref _notRecorded);

    /// <summary>Exactly <c>N passed, N failed</c>, with <c>, N skipped</c> only when something was skipped.</summary>
    public string ClosingLine => Skipped > 0
        ? $"{Passed} passed, {Failed} failed, {Skipped} skipped"
        : $"{Passed} passed, {Failed} failed";
}
