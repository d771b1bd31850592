namespace Experiments.Vision.Transforms;

/// <summary>How <see cref="Resize"/> fits an image to the target size (fastai's <c>ResizeMethod</c>).</summary>
public enum ResizeMethod
{
    /// <summary>The whole image is resized to the target, changing its aspect ratio if needed.</summary>
    Squish,

    /// <summary>
    /// The largest region of the target's aspect ratio that fits inside the image is resized to the target:
    /// at a random position in training, centred in validation.
    /// </summary>
    Crop,

    /// <summary>
    /// The smallest region of the target's aspect ratio that contains the image is resized to the target;
    /// the part outside the image is filled as <see cref="PadMode"/> says. Random position in training, centred in validation.
    /// </summary>
    Pad,
}
