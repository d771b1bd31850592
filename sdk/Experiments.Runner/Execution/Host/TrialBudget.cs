namespace Experiments.Runner.Execution.Host;

/// <summary><c>--max-trials</c>: how many trials one invocation may still run, over all its experiments.</summary>
internal sealed class TrialBudget
{
    private int _left;

    public TrialBudget(int? max) => _left = max ?? int.MaxValue;

    public bool IsSpent => Volatile.Read(ref _left) <= 0;

    public int Left => Math.Max(0, Volatile.Read(ref _left));

    public bool TryTake()
    {
        while (true)
        {
            var left = Volatile.Read(ref _left);
            if (left <= 0)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _left, left - 1, left) == left)
            {
                return true;
            }
        }
    }

    public void Return() => Interlocked.Increment(ref _left);
}
