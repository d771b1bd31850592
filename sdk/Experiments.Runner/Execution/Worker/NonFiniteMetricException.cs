namespace Experiments.Runner.Execution.Worker;

/// <summary>
/// Thrown into the trial when it reports NaN or ±∞: training has diverged, so going on only burns compute.
/// The trial fails with this reason even if its code catches the exception.
/// </summary>
public sealed class NonFiniteMetricException : Exception
{
    public NonFiniteMetricException(string metric, double value, int? epoch)
        : base(Describe(metric, value, epoch))
    {
        Metric = metric;
        Epoch = epoch;
    }

    public string Metric { get; }

    public int? Epoch { get; }

    internal static string Describe(string metric, double value, int? epoch)
    {
        var what = double.IsNaN(value) ? "NaN" : value > 0 ? "+Infinity" : "-Infinity";
        return epoch is { } e ? $"metric '{metric}' is {what} (epoch {e})" : $"metric '{metric}' is {what}";
    }
}
