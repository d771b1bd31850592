using System.Diagnostics;
using Experiments.Runner.Execution.Protocol;

namespace Experiments.Runner.Execution.Host;

/// <summary>The host's view of the trial a worker is running.</summary>
internal sealed class PendingTrial
{
    private readonly Action<MetricMessage> _onMetric;
    private readonly Action<ProgressMessage> _onProgress;
    private readonly Stopwatch _stopwatch = Stopwatch.StartNew();
    private readonly Dictionary<string, double> _finalMetrics = new(StringComparer.Ordinal);

    public PendingTrial(string trialId, Action<MetricMessage> onMetric, Action<ProgressMessage> onProgress)
    {
        TrialId = trialId;
        _onMetric = onMetric;
        _onProgress = onProgress;
    }

    public string TrialId { get; }

    public TaskCompletionSource<WorkerTrialResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TimeSpan Elapsed => _stopwatch.Elapsed;

    /// <summary>Final metrics reported before a crash; kept for the record, though the trial failed.</summary>
    public IReadOnlyDictionary<string, double> FinalMetrics
    {
        get
        {
            lock (_finalMetrics)
            {
                return new Dictionary<string, double>(_finalMetrics, StringComparer.Ordinal);
            }
        }
    }

    public void OnMetric(MetricMessage metric)
    {
        if (metric.Epoch is null)
        {
            lock (_finalMetrics)
            {
                _finalMetrics[metric.Name] = metric.Value;
            }
        }
        Relay(() => _onMetric(metric));
    }

    public void OnProgress(ProgressMessage progress) => Relay(() => _onProgress(progress));

    /// <summary>Runs on the worker's reader thread, which must survive a display or store hiccup.</summary>
    private static void Relay(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Losing a progress update or a curve point is better than losing the trial's result.
        }
    }
}
