namespace Experiments.Vision.Training;

/// <summary>What the schedule set before one training batch.</summary>
/// <param name="Phase">Name of the running phase ("frozen", "unfrozen", "one_cycle", "fit").</param>
/// <param name="PhaseIndex">0-based index of the phase within the call.</param>
/// <param name="Epoch">0-based epoch within the phase.</param>
/// <param name="Step">0-based batch within the phase (what the schedule sees).</param>
/// <param name="TotalSteps">Batches of the phase: epochs × batches per epoch.</param>
/// <param name="LearningRates">The learning rate of each parameter group, as set in the optimizer.</param>
/// <param name="Momentum">β₁, as set in the optimizer.</param>
/// <param name="BatchSize">Images in the batch.</param>
public sealed record TrainingBatchInfo(
    string Phase, int PhaseIndex, int Epoch, int Step, int TotalSteps, IReadOnlyList<double> LearningRates, double Momentum, int BatchSize);

/// <summary>Hooks into <see cref="Learner"/>'s loop (fastai's callbacks, reduced to what is needed here). Override what you need.</summary>
public abstract class LearnerCallback
{
    /// <summary>After the schedule set the hyperparameters, before the forward pass of a training batch.</summary>
    public virtual void BeforeBatch(Learner learner, TrainingBatchInfo batch)
    {
    }

    /// <summary>Just before an optimizer step: gradients are complete (after accumulation). Not called for skipped steps.</summary>
    public virtual void BeforeStep(Learner learner)
    {
    }

    /// <summary>After an optimizer step and the zeroing of gradients.</summary>
    public virtual void AfterStep(Learner learner)
    {
    }

    /// <summary>After an epoch's validation.</summary>
    public virtual void AfterEpoch(Learner learner, EpochMetrics metrics)
    {
    }
}
