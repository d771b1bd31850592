namespace Experiments.Vision.Training;

/// <summary>
/// fastai's one-cycle policy (<c>fit_one_cycle</c>) as a pure function of the batch: the learning rate rises by a
/// cosine from <c>lrMax / Div</c> to <c>lrMax</c> over the first <see cref="PctStart"/> of training, then falls by a
/// cosine to <c>lrMax / DivFinal</c>; the momentum (Adam's β₁) goes the other way, <see cref="MomentumStart"/> →
/// <see cref="MomentumMiddle"/> → <see cref="MomentumEnd"/>. The defaults are <c>fit_one_cycle</c>'s
/// (<c>div=25, div_final=1e5, pct_start=0.25, moms=(0.95, 0.85, 0.95)</c>).
/// </summary>
/// <remarks>
/// fastai's <c>ParamScheduler</c> evaluates the schedule before every batch at position <c>step / total</c>, where
/// <c>step</c> counts the batches of the fit from 0 and <c>total</c> is epochs × batches per epoch — so the last batch
/// sees <c>(total − 1) / total</c>, never 1. The two halves are <c>combine_scheds([pct, 1 − pct], [SchedCos(start,
/// middle), SchedCos(middle, end)])</c>; at exactly <c>pct</c> the second half starts (both give <c>middle</c>).
/// Deviation: fastai keeps the phase boundaries in a float32 tensor; here everything is double, so values differ from
/// fastai's in the 7th significant digit at most.
/// </remarks>
public sealed record OneCycleSchedule
{
    /// <summary><c>fit_one_cycle</c>'s defaults.</summary>
    public static OneCycleSchedule Default { get; } = new();

    /// <summary>Share of the steps spent warming up (fastai <c>pct_start</c>, default 0.25), from 0 to 1.</summary>
    public double PctStart { get; init; } = 0.25;

    /// <summary>The first learning rate is <c>lrMax / Div</c> (fastai <c>div</c>, default 25).</summary>
    public double Div { get; init; } = 25;

    /// <summary>The last learning rate is <c>lrMax / DivFinal</c> (fastai <c>div_final</c>, default 1e5).</summary>
    public double DivFinal { get; init; } = 1e5;

    /// <summary>Momentum (β₁) at the start (fastai <c>moms[0]</c>, 0.95).</summary>
    public double MomentumStart { get; init; } = 0.95;

    /// <summary>Momentum at the peak learning rate (fastai <c>moms[1]</c>, 0.85).</summary>
    public double MomentumMiddle { get; init; } = 0.85;

    /// <summary>Momentum at the end (fastai <c>moms[2]</c>, 0.95).</summary>
    public double MomentumEnd { get; init; } = 0.95;

    /// <summary>The training progress fastai's scheduler sees before batch <paramref name="step"/> of <paramref name="total"/>.</summary>
    public static double Position(long step, long total)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(total, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(step, total);
        return (double)step / total;
    }

    /// <summary>The learning rate of a parameter group whose peak is <paramref name="lrMax"/>, before batch <paramref name="step"/>.</summary>
    public double LearningRate(double lrMax, long step, long total)
    {
        Validate();
        return Combined(PctStart, lrMax / Div, lrMax, lrMax / DivFinal, Position(step, total));
    }

    /// <summary>The momentum (Adam's β₁) before batch <paramref name="step"/>.</summary>
    public double Momentum(long step, long total)
    {
        Validate();
        return Combined(PctStart, MomentumStart, MomentumMiddle, MomentumEnd, Position(step, total));
    }

    /// <summary>fastai's <c>SchedCos(start, end)(position)</c>: <c>start + (1 + cos(π(1 − position))) · (end − start) / 2</c>.</summary>
    public static double Cosine(double start, double end, double position) =>
        start + ((1 + Math.Cos(Math.PI * (1 - position))) * (end - start) / 2);

    /// <summary>fastai's <c>combined_cos(pct, start, middle, end)(position)</c>.</summary>
    public static double Combined(double pct, double start, double middle, double end, double position) =>
        position < pct
            ? Cosine(start, middle, position / pct)
            : Cosine(middle, end, (position - pct) / (1 - pct));

    internal void Validate()
    {
        if (!(PctStart >= 0 && PctStart <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(PctStart), PctStart, "pct_start is a fraction from 0 to 1.");
        }
        if (!(Div > 0) || !(DivFinal > 0) || !double.IsFinite(Div) || !double.IsFinite(DivFinal))
        {
            throw new ArgumentOutOfRangeException(nameof(Div), $"div ({Div}) and div_final ({DivFinal}) must be positive and finite.");
        }
        foreach (var m in (double[])[MomentumStart, MomentumMiddle, MomentumEnd])
        {
            if (!(m >= 0 && m < 1))
            {
                throw new ArgumentOutOfRangeException(nameof(MomentumStart), m, "Momenta (Adam's β₁) are in [0, 1).");
            }
        }
    }
}
