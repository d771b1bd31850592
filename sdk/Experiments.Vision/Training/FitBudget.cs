namespace Experiments.Vision.Training;

/// <summary>
/// A wall-clock budget for one fit (<see cref="LearnerOptions.MaxFitTime"/>): how many epochs fit in it, planned from the
/// measured time of the first steps, so that a one-cycle schedule is laid out over the epochs that fit and completes.
/// </summary>
/// <remarks>
/// <para><b>Plan.</b> After <see cref="CalibrationSteps"/> steps of the last phase (the one whose length can give: a
/// <c>fit_one_cycle</c>'s only phase, <c>fine_tune</c>'s unfrozen phase) the seconds per step <c>t</c> are measured
/// (without the first step, which carries the warm-up), and the phase gets the most epochs <c>E</c> (at most the asked
/// ones, at least one) with <c>(E·b − done)·t + E·v ≤ budget − elapsed</c>, <c>b</c> batches per epoch and <c>v</c> the
/// validation time of an epoch: measured when an epoch of the fit has ended, otherwise estimated as a forward pass,
/// a third of a training step per image. Its schedule then runs over <c>E·b</c> steps.</para>
/// <para><b>Re-plan.</b> At the end of each of its epochs the phase is planned again with the measured times, and may only
/// get shorter (a slower machine than calibrated); the schedule is re-laid over the new total, so it still ends at its
/// final value.</para>
/// <para><b>Stop.</b> Should the clock pass the budget anyway (a fit whose single epoch does not fit, or a frozen phase
/// that ate the time), the fit stops after the current batch, validates, and says so (<see cref="FitResult.StoppedAtBudget"/>).</para>
/// </remarks>
public sealed class FitBudget
{
    private readonly TimeProvider _clock;
    private readonly long _start;

    public FitBudget(TimeSpan budget, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (budget <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(budget), budget, "MaxFitTime must be positive.");
        }
        Budget = budget;
        _clock = clock;
        _start = clock.GetTimestamp();
    }

    public TimeSpan Budget { get; }

    /// <summary>Time since the fit started, on the budget's clock.</summary>
    public TimeSpan Elapsed => _clock.GetElapsedTime(_start);

    /// <summary>Seconds left before the budget is spent (negative once it is).</summary>
    public double RemainingSeconds => (Budget - Elapsed).TotalSeconds;

    public bool Spent => Elapsed >= Budget;

    /// <summary>A timestamp of the budget's clock.</summary>
    public long Now() => _clock.GetTimestamp();

    /// <summary>Seconds between two timestamps of the budget's clock.</summary>
    public double Seconds(long from, long to) => _clock.GetElapsedTime(from, to).TotalSeconds;

    /// <summary>Steps of a phase after which its length is planned: a tenth of an epoch, at least 3, at most an epoch.</summary>
    public static int CalibrationSteps(int batchesPerEpoch) => Math.Min(batchesPerEpoch, Math.Max(3, batchesPerEpoch / 10));

    /// <summary>
    /// The most epochs of a phase that fit in <paramref name="availableSeconds"/>, between <paramref name="minEpochs"/> and
    /// <paramref name="askedEpochs"/>.
    /// </summary>
    /// <param name="askedEpochs">The epochs asked for (the most it may get).</param>
    /// <param name="minEpochs">The fewest it may get (the epochs already begun; at least 1).</param>
    /// <param name="doneSteps">Steps of the phase already taken (they are part of the planned epochs).</param>
    /// <param name="batchesPerEpoch">Training batches per epoch.</param>
    /// <param name="stepSeconds">Measured seconds per training step.</param>
    /// <param name="validationSeconds">Seconds of one epoch's validation (measured or estimated).</param>
    /// <param name="availableSeconds">What is left of the budget now.</param>
    public static int PlanEpochs(int askedEpochs, int minEpochs, int doneSteps, int batchesPerEpoch, double stepSeconds, double validationSeconds, double availableSeconds)
    {
        minEpochs = Math.Max(1, minEpochs);
        if (askedEpochs <= minEpochs)
        {
            return askedEpochs;
        }
        double perEpoch = (batchesPerEpoch * Math.Max(stepSeconds, 0)) + Math.Max(validationSeconds, 0);
        if (!(perEpoch > 0))
        {
            return askedEpochs; // nothing measured takes time: everything fits
        }
        double fits = (availableSeconds + (doneSteps * stepSeconds)) / perEpoch;
        return (int)Math.Clamp(Math.Floor(fits), minEpochs, askedEpochs);
    }
}
