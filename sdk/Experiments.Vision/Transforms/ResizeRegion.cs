namespace Experiments.Vision.Transforms;

/// <summary>
/// The rectangle of a source image, in its pixel coordinates, that <see cref="Resize"/> resamples to the target size.
/// It may extend past the image (<see cref="ResizeMethod.Pad"/>): <see cref="Left"/> and <see cref="Top"/> are then
/// negative or <see cref="Right"/> and <see cref="Bottom"/> exceed the image, and the outside is filled by a <see cref="PadMode"/>.
/// </summary>
public readonly record struct ResizeRegion(int Left, int Top, int Width, int Height)
{
    /// <summary>One past the last column.</summary>
    public int Right => Left + Width;

    /// <summary>One past the last row.</summary>
    public int Bottom => Top + Height;
}
