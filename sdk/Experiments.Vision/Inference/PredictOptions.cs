using Experiments.Vision.Transforms;
using static TorchSharp.torch;

namespace Experiments.Vision.Inference;

/// <summary>How <see cref="Predictor"/> and <see cref="Tta"/> feed a model.</summary>
public sealed record PredictOptions
{
    public static PredictOptions Default { get; } = new();

    /// <summary>
    /// Applied to every batch after any augmentation, as in training (null: the model sees images in [0, 1]).
    /// Must be the normalisation the model was trained with.
    /// </summary>
    public Normalization? Normalization { get; init; }

    /// <summary>Where batches go; null: the device of the model's first parameter (the CPU for a model without any).</summary>
    public Device? Device { get; init; }

    /// <summary>Multi-label: a class is predicted when its probability is strictly above this (fastai's 0.5).</summary>
    public double Threshold { get; init; } = ClassificationMetrics.DefaultThreshold;
}
