namespace Experiments;

/// <summary>
/// What a trial returns: its final metrics (name → value). A trial fails by throwing; a NaN or infinite
/// metric also fails it. Standard names the reports understand: <see cref="MetricNames"/>.
/// </summary>
public sealed class TrialResult
{
    private readonly Dictionary<string, double> _metrics;

    private TrialResult(Dictionary<string, double> metrics) => _metrics = metrics;

    public IReadOnlyDictionary<string, double> Metrics => _metrics;

    /// <summary>A passed trial with the given final metrics.</summary>
    public static TrialResult Success([MetricName] params (string Name, double Value)[] metrics)
    {
        var result = new TrialResult(new Dictionary<string, double>(StringComparer.Ordinal));
        foreach (var (name, value) in metrics)
        {
            result.With(name, value);
        }
        return result;
    }

    /// <summary>Adds or replaces one metric.</summary>
    public TrialResult With([MetricName] string name, double value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _metrics[name] = value;
        return this;
    }
}

/// <summary>Metric names with a meaning in reports: the report's columns and its score.</summary>
public static class MetricNames
{
    public const string ErrorRate = "error_rate";
    public const string ValidLoss = "valid_loss";
    public const string TrainLoss = "train_loss";
    /// <summary>Seconds spent fitting; the runner records wall time when the trial does not.</summary>
    public const string FitTime = "fit_time";
    /// <summary>
    /// The wall-clock budget of the trial's fit in seconds, when it had one: the fit ran the epochs that fit in it (its
    /// schedule laid out over them). The report shows it next to the fit times.
    /// </summary>
    public const string FitBudget = "fit_budget";
    /// <summary>Peak memory in bytes (GPU allocator peak, else process peak working set).</summary>
    public const string PeakMemory = "peak_memory";
    /// <summary>1 when the model started from pretrained weights, 0 when it was trained from scratch (the report says which, per model).</summary>
    public const string Pretrained = "pretrained";

    /// <summary>Images (items) the trial trained on; the report's data line shows it per data set.</summary>
    public const string TrainImages = "train_images";

    /// <summary>Images (items) the trial validated on; the report's data line shows it per data set.</summary>
    public const string ValidImages = "valid_images";

    /// <summary>1 when the trial's data was a packaged sample of a larger data set, 0 when it was the full set (the report says which).</summary>
    public const string DataSample = "data_sample";

    /// <summary>
    /// Prefix of a metric's trivial baseline: <c>baseline_error_rate</c> is the error rate a predictor that ignores the
    /// input scores on the trial's own validation data (the majority class; for multi-label data the best constant
    /// per-label prediction). A trial that reports <c>baseline_{objective}</c> lets the report show the baseline above
    /// the leaderboard and mark the configurations that are not better than it beyond noise as <em>not learnt</em>.
    /// </summary>
    public const string BaselinePrefix = "baseline_";

    /// <summary>The baseline metric of <paramref name="metric"/>: <c>baseline_</c> + its name.</summary>
    public static string BaselineOf(string metric) => BaselinePrefix + metric;
}
