namespace Experiments.Vision.Training;

/// <summary>
/// fastai's default optimizer, <c>Adam(lr, mom=0.9, sqr_mom=0.99, eps=1e-5, wd=0.01, decouple_wd=True)</c> with
/// <c>wd_bn_bias=False</c>: Adam with decoupled weight decay (AdamW), none on biases and normalisation parameters.
/// </summary>
public sealed record AdamWOptions
{
    public static AdamWOptions Default { get; } = new();

    /// <summary>β₁ when no schedule sets it (fastai's <c>mom</c>, 0.9: used by a plain <c>fit</c>).</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>β₂ (fastai's <c>sqr_mom</c>, 0.99).</summary>
    public double SquareMomentum { get; init; } = 0.99;

    /// <summary>Added to the denominator (fastai's <c>eps</c>, 1e-5).</summary>
    public double Eps { get; init; } = 1e-5;

    /// <summary>Decoupled weight decay (fastai's <c>wd</c>, 0.01): <c>p ← p · (1 − lr · wd)</c> before the Adam step.</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>Whether biases and normalisation parameters are decayed too (fastai's <c>wd_bn_bias</c>, false).</summary>
    public bool DecayNormAndBias { get; init; }

    /// <summary>
    /// Run each step as one SIMD pass per parameter when every parameter is a dense (contiguous or channels-last) float32 CPU tensor (default
    /// true; see <see cref="AdamWOptimizer"/>). False: always TorchSharp's <c>optim.AdamW</c>, e.g. to compare.
    /// </summary>
    public bool Fused { get; init; } = true;

    internal void Validate()
    {
        if (!(Momentum >= 0 && Momentum < 1) || !(SquareMomentum >= 0 && SquareMomentum < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Momentum), "β₁ and β₂ are in [0, 1).");
        }
        if (!(Eps >= 0) || !(WeightDecay >= 0) || !double.IsFinite(Eps) || !double.IsFinite(WeightDecay))
        {
            throw new ArgumentOutOfRangeException(nameof(Eps), "eps and weight decay must be finite and not negative.");
        }
    }
}
