namespace Experiments;

/// <summary>Everything a trial needs to know about the run it is part of, and the way it reports back.</summary>
public sealed class TrialContext
{
    private readonly ITrialObserver _observer;

    public TrialContext(
        Trial trial,
        string device,
        string outputDirectory,
        ITrialObserver observer,
        CancellationToken cancellation)
    {
        Trial = trial;
        Device = device;
        OutputDirectory = outputDirectory;
        _observer = observer;
        Cancellation = cancellation;
    }

    public Trial Trial { get; }

    /// <summary>
    /// The trial's rung in a <see cref="Search.SuccessiveHalving"/> experiment (null in a grid): its budget, and the same
    /// configuration's result one rung below, which a trial may continue from instead of starting over.
    /// </summary>
    public SearchRung? Rung { get; init; }

    /// <summary>Stable, readable id, e.g. <c>fashion-mnist/resnet18/lr=0.008#2</c>.</summary>
    public string TrialId => Trial.Id;

    public string Experiment => Trial.Experiment;

    /// <summary>1-based repeat index.</summary>
    public int Repeat => Trial.Repeat;

    /// <summary>The seed of this repeat (same for every combination of one repeat, so comparisons share randomness).</summary>
    public int Seed => Trial.Seed;

    /// <summary>The parameters, by property name, in declaration order.</summary>
    public IReadOnlyList<TrialParameter> Parameters => Trial.Parameters;

    /// <summary>Device requested on the command line (<c>cpu</c> unless <c>--device</c> says otherwise).</summary>
    public string Device { get; }

    /// <summary>A folder for this trial's artifacts (exported models, predictions).</summary>
    public string OutputDirectory { get; }

    /// <summary>Signalled on Ctrl+C / SIGTERM: stop soon, the trial is recorded as interrupted and retried next run.</summary>
    public CancellationToken Cancellation { get; }

    /// <summary>Records one metric of one epoch (loss curves, per-epoch error rate).</summary>
    public void ReportEpoch(int epoch, [MetricName] string name, double value) => _observer.OnMetric(name, value, epoch);

    /// <summary>Records a final metric; the metrics of the returned <see cref="TrialResult"/> are added to these.</summary>
    public void ReportMetric([MetricName] string name, double value) => _observer.OnMetric(name, value, null);

    /// <summary>Progress within the trial, 0..1, shown in the live progress display.</summary>
    public void ReportProgress(double fraction, string? message = null) => _observer.OnProgress(Math.Clamp(fraction, 0, 1), message);
}
