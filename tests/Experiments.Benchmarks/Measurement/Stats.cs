namespace Experiments.Benchmarks.Measurement;

/// <summary>Order statistics of a few repeated measurements (the harness reports medians, with min and max as the spread).</summary>
public sealed record Stats(double Median, double Min, double Max, int Count)
{
    public static Stats Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            return new Stats(double.NaN, double.NaN, double.NaN, 0);
        }
        var sorted = values.Order().ToArray();
        int n = sorted.Length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
        return new Stats(median, sorted[0], sorted[^1], n);
    }

    /// <summary>(max − min) / median: how far apart the repeats were.</summary>
    public double RelativeSpread => Median > 0 ? (Max - Min) / Median : double.NaN;
}
