using Experiments.Benchmarks.Measurement;
using static TorchSharp.torch;

namespace Experiments.Benchmarks.Sections;

/// <summary>A loop measured in rounds, optionally with its own torch thread count.</summary>
public sealed class MeasuredLoop(string name, Func<RoundResult> run, int? threads = null)
{
    private readonly List<RoundResult> _rounds = [];

    public string Name { get; } = name;

    public int? Threads { get; } = threads;

    public IReadOnlyList<RoundResult> Rounds => _rounds;

    public Stats ImagesPerSecond => Stats.Of(_rounds.Select(r => r.ImagesPerSecond).ToList());

    public RoundResult RunOnce()
    {
        int before = get_num_threads();
        if (Threads is int t)
        {
            set_num_threads(t);
        }
        try
        {
            return run();
        }
        finally
        {
            if (Threads is not null)
            {
                set_num_threads(before);
            }
        }
    }

    public void Record(RoundResult result) => _rounds.Add(result);

    /// <summary>Median over the rounds of a per-batch value in milliseconds.</summary>
    public double MillisecondsPerBatch(Func<RoundResult, double> seconds, int batchSize) =>
        Stats.Of(_rounds.Select(r => seconds(r) * 1000 / (r.Images / (double)batchSize)).ToList()).Median;

    /// <summary>
    /// Ratio of this loop's images/s to <paramref name="baseline"/>'s, paired by round (both ran in the same round, next to
    /// each other): the median of the per-round ratios, so that drift of the machine's load cancels.
    /// </summary>
    public double RatioTo(MeasuredLoop baseline) =>
        Stats.Of(_rounds.Zip(baseline._rounds, (a, b) => a.ImagesPerSecond / b.ImagesPerSecond).ToList()).Median;
}

/// <summary>Runs loops side by side: one untimed warm-up round each, then rounds in rotated order (A B, B A, … for two).</summary>
public static class Interleaved
{
    public static void Run(IReadOnlyList<MeasuredLoop> loops, int rounds, Action<string>? progress = null)
    {
        foreach (var loop in loops)
        {
            progress?.Invoke($"warm-up: {loop.Name}");
            loop.RunOnce();
        }
        for (int r = 0; r < rounds; r++)
        {
            for (int k = 0; k < loops.Count; k++)
            {
                var loop = loops[(r + k) % loops.Count];
                loop.Record(loop.RunOnce());
            }
            progress?.Invoke($"round {r + 1}/{rounds}: " + string.Join(", ", loops.Select(l => $"{l.Name} {l.Rounds[^1].ImagesPerSecond:0} img/s")));
        }
    }
}
