using Experiments.Vision.Training;

namespace Experiments.Vision.Tests.Training;

/// <summary>
/// The one-cycle schedule against the reference note's formulas, computed here independently: a cosine anneal from a
/// to b over a fraction f is <c>a + (b − a)(1 − cos πf)/2</c> (the note's <c>start + (1 + cos(π(1 − pos)))(end − start)/2</c>
/// rewritten), over <c>pct_start</c> up and the rest down, at position step / total.
/// </summary>
public sealed class OneCycleScheduleTests
{
    private const double Tolerance = 1e-12;

    internal static double Anneal(double a, double b, double f) => a + ((b - a) * (1 - Math.Cos(Math.PI * f)) / 2);

    /// <summary>The note: LR lr/div → lr over pct_start, then → lr/div_final; momentum 0.95 → 0.85 → 0.95.</summary>
    internal static (double Lr, double Momentum) Expected(double lrMax, double pct, double div, double divFinal, int step, int total)
    {
        double position = (double)step / total;
        if (position < pct)
        {
            double f = position / pct;
            return (Anneal(lrMax / div, lrMax, f), Anneal(0.95, 0.85, f));
        }
        double g = (position - pct) / (1 - pct);
        return (Anneal(lrMax, lrMax / divFinal, g), Anneal(0.85, 0.95, g));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(12)]
    [InlineData(24)]
    [InlineData(25)]
    [InlineData(26)]
    [InlineData(50)]
    [InlineData(75)]
    [InlineData(99)]
    public void Default_schedule_matches_the_formulas(int step)
    {
        var schedule = OneCycleSchedule.Default;
        var (lr, momentum) = Expected(1e-2, 0.25, 25, 1e5, step, 100);

        Assert.Equal(lr, schedule.LearningRate(1e-2, step, 100), Tolerance);
        Assert.Equal(momentum, schedule.Momentum(step, 100), Tolerance);
    }

    [Fact]
    public void Reference_numbers_at_the_start_the_middle_of_the_warm_up_the_peak_and_the_end()
    {
        var schedule = OneCycleSchedule.Default;
        // Start: lr/div and the first momentum.
        Assert.Equal(4e-4, schedule.LearningRate(1e-2, 0, 200), Tolerance);
        Assert.Equal(0.95, schedule.Momentum(0, 200), Tolerance);
        // Half-way through the warm-up (position 0.125): the mean of both ends.
        Assert.Equal((4e-4 + 1e-2) / 2, schedule.LearningRate(1e-2, 25, 200), Tolerance);
        Assert.Equal(0.90, schedule.Momentum(25, 200), Tolerance);
        // At pct_start: the peak.
        Assert.Equal(1e-2, schedule.LearningRate(1e-2, 50, 200), Tolerance);
        Assert.Equal(0.85, schedule.Momentum(50, 200), Tolerance);
        // Half-way down (position 0.625): the mean of lr and lr/1e5.
        Assert.Equal((1e-2 + 1e-7) / 2, schedule.LearningRate(1e-2, 125, 200), Tolerance);
        Assert.Equal(0.90, schedule.Momentum(125, 200), Tolerance);
        // The last batch sees position 199/200, never 1: close to lr/1e5 but above it.
        double last = schedule.LearningRate(1e-2, 199, 200);
        Assert.InRange(last, 1e-7, 2e-6);
    }

    [Theory]
    [InlineData(0.99, 25, 0, 10)]
    [InlineData(0.99, 25, 5, 10)]
    [InlineData(0.99, 25, 9, 10)]
    [InlineData(0.3, 5, 0, 20)]
    [InlineData(0.3, 5, 6, 20)]
    [InlineData(0.3, 5, 7, 20)]
    [InlineData(0.3, 5, 19, 20)]
    public void Fine_tune_shapes_match_the_formulas(double pct, double div, int step, int total)
    {
        var schedule = OneCycleSchedule.Default with { PctStart = pct, Div = div };
        var (lr, momentum) = Expected(2e-3, pct, div, 1e5, step, total);

        Assert.Equal(lr, schedule.LearningRate(2e-3, step, total), Tolerance);
        Assert.Equal(momentum, schedule.Momentum(step, total), Tolerance);
    }

    [Fact]
    public void Steps_outside_the_fit_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => OneCycleSchedule.Default.LearningRate(1e-3, 10, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => OneCycleSchedule.Default.Momentum(-1, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => (OneCycleSchedule.Default with { PctStart = 1.5 }).Momentum(0, 10));
    }

    [Fact]
    public void Learning_rates_expand_per_group_as_fastai_lr_range()
    {
        Assert.Equal([3e-3, 3e-3], LearningRates.Same(3e-3).For(2));
        Assert.Equal([1e-3, 1e-2], LearningRates.Slice(1e-2).For(2));
        Assert.Equal([1e-3, 1e-3, 1e-2], LearningRates.Slice(1e-2).For(3));
        var geometric = LearningRates.Slice(1e-4, 1e-2).For(3);
        Assert.Equal(1e-4, geometric[0], 1e-15);
        Assert.Equal(1e-3, geometric[1], 1e-15);
        Assert.Equal(1e-2, geometric[2], 1e-15);
        Assert.Equal([1e-2], LearningRates.Slice(1e-4, 1e-2).For(1));
    }

    [Fact]
    public void Fine_tune_plan_is_the_reference_note()
    {
        var plan = FineTunePlan.Create(epochs: 3, baseLr: 2e-3);

        Assert.Equal(2, plan.Count);
        var frozen = plan[0];
        Assert.Equal((1, true), (frozen.Epochs, frozen.FreezeBody));
        Assert.Equal([2e-4, 2e-3], frozen.LearningRates.For(2));
        Assert.Equal((0.99, 25.0, 1e5), (frozen.Schedule.PctStart, frozen.Schedule.Div, frozen.Schedule.DivFinal));

        var unfrozen = plan[1];
        Assert.Equal((3, false), (unfrozen.Epochs, unfrozen.FreezeBody));
        var rates = unfrozen.LearningRates.For(2);
        Assert.Equal(2e-3 / 200, rates[0], 1e-15);
        Assert.Equal(2e-3 / 2, rates[1], 1e-15);
        Assert.Equal((0.3, 5.0, 1e5), (unfrozen.Schedule.PctStart, unfrozen.Schedule.Div, unfrozen.Schedule.DivFinal));
        Assert.Equal((0.95, 0.85, 0.95), (unfrozen.Schedule.MomentumStart, unfrozen.Schedule.MomentumMiddle, unfrozen.Schedule.MomentumEnd));
    }
}
