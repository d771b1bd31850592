namespace Experiments.Vision.Training;

/// <summary>One <c>fit_one_cycle</c> call of a training plan.</summary>
/// <param name="Name">"frozen", "unfrozen" or "one_cycle".</param>
/// <param name="Epochs">Epochs of this phase.</param>
/// <param name="FreezeBody">True: the body is frozen (norm layers trainable) during this phase; false: everything trains.</param>
/// <param name="LearningRates">Peak learning rates (fastai's <c>lr_max</c>), per parameter group.</param>
/// <param name="Schedule">The one-cycle shape.</param>
public sealed record OneCyclePhase(string Name, int Epochs, bool FreezeBody, LearningRates LearningRates, OneCycleSchedule Schedule);

/// <summary>
/// fastai's <c>fine_tune(epochs, base_lr, freeze_epochs=1, lr_mult=100, pct_start=0.3, div=5.0)</c> as data:
/// <code>
/// self.freeze()
/// self.fit_one_cycle(freeze_epochs, slice(base_lr), pct_start=0.99)
/// base_lr /= 2
/// self.unfreeze()
/// self.fit_one_cycle(epochs, slice(base_lr/lr_mult, base_lr), pct_start=pct_start, div=div)
/// </code>
/// With two groups (body, head): frozen phase body <c>base_lr/10</c>, head <c>base_lr</c>, <c>div</c> 25; unfrozen
/// phase body <c>base_lr/200</c>, head <c>base_lr/2</c>, <c>div</c> 5. Freezing and unfreezing both reset the
/// optimizer state (fastai's <c>freeze_to</c> calls <c>opt.clear_state()</c>).
/// </summary>
public static class FineTunePlan
{
    /// <summary>The phases of <c>fine_tune</c>. A phase of 0 epochs is left out (fastai runs it as an empty fit), but
    /// <c>base_lr</c> is halved even when <paramref name="freezeEpochs"/> is 0, as in fastai.</summary>
    public static IReadOnlyList<OneCyclePhase> Create(int epochs, double baseLr, int freezeEpochs = 1, double lrMult = 100, double pctStart = 0.3, double div = 5)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epochs);
        ArgumentOutOfRangeException.ThrowIfNegative(freezeEpochs);
        if (!(baseLr > 0) || !double.IsFinite(baseLr))
        {
            throw new ArgumentOutOfRangeException(nameof(baseLr), baseLr, "The base learning rate must be positive and finite.");
        }
        if (!(lrMult > 0) || !double.IsFinite(lrMult))
        {
            throw new ArgumentOutOfRangeException(nameof(lrMult), lrMult, "lr_mult must be positive and finite.");
        }
        var phases = new List<OneCyclePhase>(2);
        if (freezeEpochs > 0)
        {
            phases.Add(new OneCyclePhase("frozen", freezeEpochs, FreezeBody: true, LearningRates.Slice(baseLr),
                OneCycleSchedule.Default with { PctStart = 0.99 }));
        }
        double half = baseLr / 2;
        if (epochs > 0)
        {
            phases.Add(new OneCyclePhase("unfrozen", epochs, FreezeBody: false, LearningRates.Slice(half / lrMult, half),
                OneCycleSchedule.Default with { PctStart = pctStart, Div = div }));
        }
        foreach (var phase in phases)
        {
            phase.Schedule.Validate();
        }
        return phases;
    }
}
