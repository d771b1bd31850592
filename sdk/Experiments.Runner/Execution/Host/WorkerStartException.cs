namespace Experiments.Runner.Execution.Host;

/// <summary>A worker process that could not be started or died before it was ready.</summary>
internal sealed class WorkerStartException : Exception
{
    public WorkerStartException(string message, IReadOnlyList<string> stderrTail)
        : base(stderrTail.Count == 0 ? message : $"{message}\n{string.Join('\n', stderrTail)}")
    {
    }
}
