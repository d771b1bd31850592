using System.Collections.Concurrent;

namespace Experiments.Vision.Tests.Trials;

/// <summary>An <see cref="ITrialObserver"/> that keeps everything a trial reports, with a hook on every epoch metric.</summary>
internal sealed class RecordingObserver : ITrialObserver
{
    private readonly ConcurrentQueue<(string Name, double Value, int? Epoch)> _metrics = new();
    private readonly ConcurrentQueue<(double Fraction, string? Message)> _progress = new();

    /// <summary>Called after each metric is recorded (e.g. to cancel the trial at the end of epoch 1).</summary>
    public Action<string, double, int?>? OnMetricRecorded { get; init; }

    public IReadOnlyList<(string Name, double Value, int? Epoch)> Metrics => [.. _metrics];

    public IReadOnlyList<(double Fraction, string? Message)> Progress => [.. _progress];

    public void OnMetric(string name, double value, int? epoch)
    {
        _metrics.Enqueue((name, value, epoch));
        OnMetricRecorded?.Invoke(name, value, epoch);
    }

    public void OnProgress(double fraction, string? message) => _progress.Enqueue((fraction, message));

    /// <summary>
    /// A context for a trial with the given id (parameters parsed from it: <c>shapes/resnet18/crop#1</c>), at a rung of a
    /// successive-halving experiment when <paramref name="rung"/> is given.
    /// </summary>
    public static TrialContext Context(string id, int seed, string outputDirectory, ITrialObserver observer, CancellationToken cancellation = default, SearchRung? rung = null)
    {
        int hash = id.LastIndexOf('#');
        var segments = id[..hash].Split('/');
        string[] names = ["Dataset", "Arch", "Resize"];
        var parameters = segments.Select((value, i) => new TrialParameter(names[i], names[i], value, value)).ToArray();
        var trial = new Trial("VisionTrialTests", id, index: 0, repeat: int.Parse(id[(hash + 1)..]), seed, parameters);
        return new TrialContext(trial, "cpu", outputDirectory, observer, cancellation) { Rung = rung };
    }
}
