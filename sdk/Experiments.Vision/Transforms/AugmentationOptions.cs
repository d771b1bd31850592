namespace Experiments.Vision.Transforms;

/// <summary>
/// Settings of <see cref="BatchAugmentation"/>, with fastai's <c>aug_transforms()</c> defaults: horizontal flip (p 0.5),
/// rotation ±10°, zoom 1–1.1, perspective warp ±0.2 (each p 0.75), brightness and contrast 0.2 (each p 0.75).
/// </summary>
/// <remarks>
/// A part is off when its magnitude is zero (<see cref="MaxRotate"/>, <see cref="MaxWarp"/>, <see cref="MaxLighting"/>),
/// when <see cref="MinZoom"/> = <see cref="MaxZoom"/> = 1, or when <see cref="Flip"/> is false, as in fastai.
/// </remarks>
public sealed record AugmentationOptions
{
    /// <summary>fastai's <c>aug_transforms()</c>.</summary>
    public static AugmentationOptions Default { get; } = new();

    /// <summary>Nothing: every part off, so training batches pass through unchanged, like validation ones.</summary>
    public static AugmentationOptions None { get; } = new()
    {
        Flip = false,
        MaxRotate = 0,
        MinZoom = 1,
        MaxZoom = 1,
        MaxWarp = 0,
        MaxLighting = 0,
    };

    /// <summary>Random flips (fastai's <c>do_flip</c>): horizontal, or dihedral with <see cref="FlipVertical"/>.</summary>
    public bool Flip { get; init; } = true;

    /// <summary>
    /// fastai's <c>flip_vert</c>: instead of a horizontal flip, one of the 8 dihedral transforms (flips, 90° turns,
    /// transposes), uniform among them when the flip happens.
    /// </summary>
    public bool FlipVertical { get; init; }

    /// <summary>Probability that an image is flipped (fastai: always 0.5).</summary>
    public double FlipProbability { get; init; } = 0.5;

    /// <summary>Rotation angle, uniform in ±this many degrees (fastai's <c>max_rotate</c>).</summary>
    public double MaxRotate { get; init; } = 10;

    /// <summary>Smallest zoom factor (fastai's <c>min_zoom</c>; above 1 zooms in).</summary>
    public double MinZoom { get; init; } = 1;

    /// <summary>Largest zoom factor (fastai's <c>max_zoom</c>).</summary>
    public double MaxZoom { get; init; } = 1.1;

    /// <summary>Perspective warp magnitude in normalised coordinates (fastai's <c>max_warp</c>), drawn per axis in ±this.</summary>
    public double MaxWarp { get; init; } = 0.2;

    /// <summary>Brightness and contrast magnitude (fastai's <c>max_lighting</c>).</summary>
    public double MaxLighting { get; init; } = 0.2;

    /// <summary>Probability of each of rotation, zoom and each warp axis (fastai's <c>p_affine</c>).</summary>
    public double AffineProbability { get; init; } = 0.75;

    /// <summary>Probability of each of brightness and contrast (fastai's <c>p_lighting</c>).</summary>
    public double LightingProbability { get; init; } = 0.75;

    /// <summary>
    /// How the resampling fills positions that fall outside the image (fastai's <c>pad_mode</c>; default reflection).
    /// </summary>
    public PadMode PadMode { get; init; } = PadMode.Reflection;

    /// <summary>Whether any of flip, rotation, zoom or warp is on (one resampling of the batch).</summary>
    public bool HasGeometry => Flip || MaxRotate != 0 || MinZoom != 1 || MaxZoom != 1 || MaxWarp != 0;

    /// <summary>Whether brightness and contrast are on.</summary>
    public bool HasLighting => MaxLighting != 0;

    /// <summary>fastai's <c>mult</c>: these options with rotation, lighting and warp magnitudes multiplied by <paramref name="multiplier"/>.</summary>
    public AugmentationOptions Scaled(double multiplier) => this with
    {
        MaxRotate = MaxRotate * multiplier,
        MaxLighting = MaxLighting * multiplier,
        MaxWarp = MaxWarp * multiplier,
    };

    internal void Validate()
    {
        CheckProbability(FlipProbability, nameof(FlipProbability));
        CheckProbability(AffineProbability, nameof(AffineProbability));
        CheckProbability(LightingProbability, nameof(LightingProbability));
        CheckFinite(MaxRotate, nameof(MaxRotate));
        CheckFinite(MaxWarp, nameof(MaxWarp));
        if (!Enum.IsDefined(PadMode))
        {
            throw new ArgumentOutOfRangeException(nameof(PadMode), PadMode, "Unknown pad mode.");
        }

        if (!(MinZoom > 0) || !double.IsFinite(MaxZoom) || MinZoom > MaxZoom)
        {
            throw new ArgumentException($"Zoom needs 0 < {nameof(MinZoom)} ≤ {nameof(MaxZoom)}; got {MinZoom} and {MaxZoom}.");
        }

        // Brightness draws in 0.5·(1 ± l) and contrast in exp(±ln(1 − l)): both need l < 1.
        if (!(MaxLighting >= 0 && MaxLighting < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxLighting), MaxLighting, "Lighting needs 0 ≤ MaxLighting < 1.");
        }
    }

    private static void CheckProbability(double p, string name)
    {
        if (!(p >= 0 && p <= 1))
        {
            throw new ArgumentOutOfRangeException(name, p, "A probability is between 0 and 1.");
        }
    }

    private static void CheckFinite(double value, string name)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be finite.");
        }
    }
}
