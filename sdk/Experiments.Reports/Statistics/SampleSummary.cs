namespace Experiments.Reports.Statistics;

/// <summary>
/// Mean, sample standard deviation and the 95 % confidence interval of the mean (Student's t) of a set of repeats.
/// The interval needs at least two values; with one it is absent.
/// </summary>
public sealed record SampleSummary(int Count, double Mean, double? StandardDeviation, double? Low, double? High)
{
    public bool HasInterval => Low is not null && High is not null;

    /// <summary>Summarises the finite values; null when there are none.</summary>
    public static SampleSummary? Of(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        if (finite.Length == 0)
        {
            return null;
        }

        var mean = finite.Average();
        if (finite.Length < 2)
        {
            return new SampleSummary(1, mean, null, null, null);
        }

        var sumOfSquares = finite.Sum(v => (v - mean) * (v - mean));
        var std = Math.Sqrt(sumOfSquares / (finite.Length - 1));
        var halfWidth = StudentT.Quantile975(finite.Length - 1) * std / Math.Sqrt(finite.Length);
        return new SampleSummary(finite.Length, mean, std, mean - halfWidth, mean + halfWidth);
    }

    /// <summary>Whether both intervals exist and overlap: the difference of the means is within the repeats' noise.</summary>
    public bool Overlaps(SampleSummary other)
        => Low is { } low && High is { } high && other.Low is { } otherLow && other.High is { } otherHigh
           && low <= otherHigh && otherLow <= high;
}
