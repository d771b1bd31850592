using Experiments.Runner.Execution.Protocol;

namespace Experiments.Runner.Execution.Worker;

/// <summary>
/// The trial's observer inside a worker: forwards metrics and progress to the host, keeps the final metrics, and
/// stops the trial at the first non-finite value.
/// </summary>
internal sealed class ForwardingObserver : ITrialObserver
{
    private readonly Action<WorkerMessage> _send;
    private readonly Dictionary<string, double> _finalMetrics = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    public ForwardingObserver(Action<WorkerMessage> send) => _send = send;

    /// <summary>The first non-finite metric reported, if any: it fails the trial whatever the trial does next.</summary>
    public string? NonFiniteMetric { get; private set; }

    public Dictionary<string, double> FinalMetrics
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, double>(_finalMetrics, StringComparer.Ordinal);
            }
        }
    }

    public void OnMetric(string name, double value, int? epoch)
    {
        if (!double.IsFinite(value))
        {
            lock (_gate)
            {
                NonFiniteMetric ??= NonFiniteMetricException.Describe(name, value, epoch);
            }
            throw new NonFiniteMetricException(name, value, epoch);
        }
        if (epoch is null)
        {
            lock (_gate)
            {
                _finalMetrics[name] = value;
            }
        }
        _send(new MetricMessage(name, value, epoch));
    }

    public void OnProgress(double fraction, string? message) => _send(new ProgressMessage(fraction, message));
}
