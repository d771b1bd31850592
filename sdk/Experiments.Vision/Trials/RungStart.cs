namespace Experiments.Vision.Trials;

/// <summary>How a vision trial above the first rung of a successive-halving experiment starts (<see cref="VisionTrialSettings.RungStart"/>).</summary>
public enum RungStart
{
    /// <summary>
    /// <see cref="Continue"/> for a model that starts from pretrained weights (fine_tune), <see cref="Restart"/> for one
    /// trained from scratch: measured on the Fashion-MNIST sample, continuing 1 → 3 → 9 epochs matched a 9-epoch
    /// restart's error with pretrained weights (0.220 both, mean of 2 seeds, in 6 epochs instead of 10) but not from
    /// scratch (0.335 against 0.240): a chain of short one-cycles does not train a random model as far as one long one.
    /// </summary>
    Auto,

    /// <summary>
    /// Load the model the same configuration's trial one rung below left (<see cref="Checkpoints.ContinuationCheckpoint"/>)
    /// and train only the added epochs, with a new one-cycle over them (a warm restart; pretrained: fine_tune's unfrozen
    /// phase, no frozen epoch). Without a usable checkpoint the trial restarts, and says so.
    /// </summary>
    Continue,

    /// <summary>Train the rung's whole budget from scratch (or from the pretrained weights), as a grid trial does.</summary>
    Restart,
}
