using Experiments.Reports.Statistics;

namespace Experiments.Reports.Tests;

public sealed class StatisticsTests
{
    [Theory]
    [InlineData(1, 12.706204736)]
    [InlineData(2, 4.302652730)]
    [InlineData(3, 3.182446305)]
    [InlineData(4, 2.776445105)]
    [InlineData(9, 2.262157163)]
    [InlineData(29, 2.045229642)]
    [InlineData(1000, 1.962339081)]
    public void T_quantile_matches_tables(int degreesOfFreedom, double expected)
        => Assert.Equal(expected, StudentT.Quantile975(degreesOfFreedom), 6);

    [Fact]
    public void Summary_of_one_value_has_no_interval()
    {
        var summary = SampleSummary.Of([0.5])!;
        Assert.Equal(0.5, summary.Mean);
        Assert.Null(summary.StandardDeviation);
        Assert.False(summary.HasInterval);
        Assert.False(summary.Overlaps(summary));
    }

    [Fact]
    public void Summary_ignores_non_finite_values_and_is_null_when_none_remain()
    {
        Assert.Null(SampleSummary.Of([double.NaN]));
        Assert.Equal(2, SampleSummary.Of([1, double.NaN, 3])!.Mean);
    }

    [Fact]
    public void Intervals_overlap_when_they_share_a_point()
    {
        var a = new SampleSummary(3, 1, 0.1, 0.9, 1.1);
        Assert.True(a.Overlaps(new SampleSummary(3, 1.2, 0.1, 1.1, 1.3)));
        Assert.False(a.Overlaps(new SampleSummary(3, 1.3, 0.1, 1.2, 1.4)));
    }
}
