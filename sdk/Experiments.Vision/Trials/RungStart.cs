namespace Experiments.Vision.Trials;

/// <summary>How a vision trial above the first rung of a successive-halving experiment starts (<see cref="VisionTrialSettings.RungStart"/>).</summary>
public enum RungStart
{
    /// <summary>
    /// Load the model the same configuration's trial one rung below left (<see cref="Checkpoints.ContinuationCheckpoint"/>)
    /// and train only the added epochs, with a new one-cycle over them (a warm restart; pretrained: fine_tune's unfrozen
    /// phase, no frozen epoch). Without a usable checkpoint the trial restarts, and says so.
    /// </summary>
    Continue,

    /// <summary>Train the rung's whole budget from scratch (or from the pretrained weights), as a grid trial does.</summary>
    Restart,
}
