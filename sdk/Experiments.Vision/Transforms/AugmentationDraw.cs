namespace Experiments.Vision.Transforms;

/// <summary>
/// The random choices <see cref="BatchAugmentation"/> made for one image (what fastai's <c>draw</c> arguments fix);
/// the defaults are the identity. Pass a list of them to <see cref="BatchAugmentation.Apply(TorchSharp.torch.Tensor, IReadOnlyList{AugmentationDraw})"/>
/// to replay or fix an augmentation.
/// </summary>
public sealed record AugmentationDraw
{
    /// <summary>The identity: no flip, no rotation, zoom 1, no warp, neutral lighting.</summary>
    public static AugmentationDraw Identity { get; } = new();

    /// <summary>A horizontal flip and nothing else.</summary>
    public static AugmentationDraw HorizontalFlip { get; } = new() { Dihedral = 1 };

    /// <summary>
    /// One of the 8 symmetries of the square, fastai's dihedral index: 0 identity, 1 horizontal flip, 2 vertical flip,
    /// 3 and 5 quarter turns, 4 half turn, 6 and 7 transposes.
    /// </summary>
    public int Dihedral { get; init; }

    /// <summary>Rotation in degrees; positive turns the content clockwise as displayed (rows downwards).</summary>
    public double RotationDegrees { get; init; }

    /// <summary>Zoom factor; above 1 magnifies.</summary>
    public double Zoom { get; init; } = 1;

    /// <summary>Where the zoom centres horizontally, 0 (left) to 1 (right).</summary>
    public double ZoomCenterX { get; init; } = 0.5;

    /// <summary>Where the zoom centres vertically, 0 (top) to 1 (bottom).</summary>
    public double ZoomCenterY { get; init; } = 0.5;

    /// <summary>Perspective warp along x in normalised coordinates (fastai's <c>x_t</c>).</summary>
    public double WarpX { get; init; }

    /// <summary>Perspective warp along y in normalised coordinates (fastai's <c>y_t</c>).</summary>
    public double WarpY { get; init; }

    /// <summary>Brightness in (0, 1), added in logit space; 0.5 leaves the image unchanged.</summary>
    public double Brightness { get; init; } = 0.5;

    /// <summary>Contrast factor (> 0) multiplying the logits; 1 leaves the image unchanged.</summary>
    public double Contrast { get; init; } = 1;

    /// <summary>Whether the geometric part (flip, rotation, zoom, warp) is the identity.</summary>
    public bool IsGeometricIdentity =>
        Dihedral == 0 && RotationDegrees == 0 && Zoom == 1 && WarpX == 0 && WarpY == 0;

    /// <summary>Whether brightness and contrast are neutral.</summary>
    public bool IsLightingNeutral => Brightness == 0.5 && Contrast == 1;
}
