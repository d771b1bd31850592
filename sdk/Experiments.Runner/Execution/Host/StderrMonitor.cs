namespace Experiments.Runner.Execution.Host;

/// <summary>
/// Keeps the last lines a worker wrote to stderr (for crash reports) and remembers the runtime's own last words
/// ("Stack overflow.", "Process terminated. …", "Out of memory."), which a long stack trace would push out of the tail.
/// </summary>
internal sealed class StderrMonitor
{
    private readonly int _capacity;
    private readonly Queue<string> _tail;
    private readonly object _gate = new();
    private string? _runtimeMessage;

    public StderrMonitor(int capacity = 50)
    {
        _capacity = capacity;
        _tail = new Queue<string>(capacity);
    }

    public void Add(string line)
    {
        lock (_gate)
        {
            if (_tail.Count == _capacity)
            {
                _tail.Dequeue();
            }
            _tail.Enqueue(line);
            if (_runtimeMessage is null && IsRuntimeMessage(line))
            {
                _runtimeMessage = line.Trim();
            }
        }
    }

    /// <summary>Forgets the lines of the previous trial, so a crash report shows only the crashing trial's output.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _tail.Clear();
            _runtimeMessage = null;
        }
    }

    public IReadOnlyList<string> Tail
    {
        get
        {
            lock (_gate)
            {
                return _tail.ToArray();
            }
        }
    }

    public string? RuntimeMessage
    {
        get
        {
            lock (_gate)
            {
                return _runtimeMessage;
            }
        }
    }

    private static bool IsRuntimeMessage(string line)
        => line.StartsWith("Stack overflow", StringComparison.Ordinal)
            || line.StartsWith("Process terminated.", StringComparison.Ordinal)
            || line.StartsWith("Out of memory", StringComparison.Ordinal)
            || line.StartsWith("Fatal error.", StringComparison.Ordinal);
}
