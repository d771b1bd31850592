using Experiments.Vision.Data;

namespace Experiments.Vision.Transforms;

/// <summary>
/// Resizes every image to <see cref="Height"/> × <see cref="Width"/> by <see cref="ResizeMethod.Squish"/>,
/// <see cref="ResizeMethod.Crop"/> or <see cref="ResizeMethod.Pad"/>, with bilinear resampling: fastai's <c>Resize</c> item transform.
/// </summary>
/// <remarks>
/// <para>
/// Crop and pad pick a region of the target's aspect ratio (<see cref="GetRegion(int, int, Random, bool)"/>) and resample it:
/// for crop the largest that fits inside the image, for pad the smallest that contains it. In training the region's
/// position is uniform at random on each axis (one draw per axis from the item's <see cref="Random"/>, x first);
/// in validation it is centred. Squish resamples the whole image and draws nothing.
/// </para>
/// <para>
/// Immutable and thread-safe: the loader calls it from its decoding threads.
/// </para>
/// </remarks>
public sealed class Resize : IItemTransform
{
    /// <summary>A square target of <paramref name="size"/> pixels.</summary>
    public Resize(int size, ResizeMethod method = ResizeMethod.Crop, PadMode padMode = PadMode.Reflection)
        : this(size, size, method, padMode)
    {
    }

    /// <summary>A target of <paramref name="height"/> rows by <paramref name="width"/> columns (fastai's <c>size=(h, w)</c>).</summary>
    public Resize(int height, int width, ResizeMethod method = ResizeMethod.Crop, PadMode padMode = PadMode.Reflection)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        if (!Enum.IsDefined(method))
        {
            throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown resize method.");
        }

        if (!Enum.IsDefined(padMode))
        {
            throw new ArgumentOutOfRangeException(nameof(padMode), padMode, "Unknown pad mode.");
        }

        Height = height;
        Width = width;
        Method = method;
        PadMode = padMode;
    }

    /// <summary>Rows of the output.</summary>
    public int Height { get; }

    /// <summary>Columns of the output.</summary>
    public int Width { get; }

    public ResizeMethod Method { get; }

    /// <summary>How <see cref="ResizeMethod.Pad"/> fills outside the image (fastai's default: reflection).</summary>
    public PadMode PadMode { get; }

    /// <inheritdoc />
    public ImageData Apply(ImageData image, Random random, bool training)
    {
        if (image.Pixels is null)
        {
            throw new ArgumentException("default(ImageData) is not an image.", nameof(image));
        }

        var pixels = Apply(image.Pixels, image.Width, image.Height, image.Channels, random, training);
        return new ImageData(Width, Height, image.Channels, pixels);
    }

    /// <summary>
    /// Resizes an HWC byte image of <paramref name="width"/> × <paramref name="height"/> × <paramref name="channels"/>
    /// and returns the <see cref="Width"/> × <see cref="Height"/> result, HWC, in a new array.
    /// </summary>
    public byte[] Apply(ReadOnlySpan<byte> pixels, int width, int height, int channels, Random random, bool training)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        if (pixels.Length != (long)width * height * channels)
        {
            throw new ArgumentException(
                $"A {width}×{height} image with {channels} channel(s) has {(long)width * height * channels} bytes, not {pixels.Length}.",
                nameof(pixels));
        }

        var region = GetRegion(width, height, random, training);
        var output = new byte[checked(Width * Height * channels)];
        BilinearResampler.Resample(pixels, width, height, channels, region, PadMode, output, Width, Height);
        return output;
    }

    /// <summary>
    /// True in validation (centre crops), for squish, and for a crop or pad whose region is the whole image (the same
    /// aspect ratio as the target): no position left to draw.
    /// </summary>
    public bool IsDeterministicFor(int width, int height, bool training)
    {
        if (!training || Method == ResizeMethod.Squish)
        {
            return true;
        }
        var region = GetRegion(width, height, 0.5, 0.5);
        return region.Width == width && region.Height == height;
    }

    /// <summary>
    /// The region of a <paramref name="imageWidth"/> × <paramref name="imageHeight"/> image that is resampled to the target:
    /// the whole image for squish; otherwise placed at a random position (training) or centred (validation).
    /// </summary>
    public ResizeRegion GetRegion(int imageWidth, int imageHeight, Random random, bool training)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (Method == ResizeMethod.Squish)
        {
            return GetRegion(imageWidth, imageHeight, 0.5, 0.5);
        }

        // fastai: pcts = (random(), random()) in training (x then y), (0.5, 0.5) in validation.
        double x = training ? random.NextDouble() : 0.5;
        double y = training ? random.NextDouble() : 0.5;
        return GetRegion(imageWidth, imageHeight, x, y);
    }

    /// <summary>
    /// The region for given relative positions: <paramref name="positionX"/> and <paramref name="positionY"/> in [0, 1)
    /// place it from the left/top (0) towards the right/bottom; 0.5 centres it.
    /// </summary>
    public ResizeRegion GetRegion(int imageWidth, int imageHeight, double positionX, double positionY)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(imageWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageHeight, 1);
        if (Method == ResizeMethod.Squish)
        {
            return new ResizeRegion(0, 0, imageWidth, imageHeight);
        }

        // fastai: m = the smaller (crop) or larger (pad) of w/tw and h/th, region = (int(m·tw), int(m·th)).
        // Integer arithmetic here keeps the limiting axis exactly the image's size, where fastai's floats can lose a pixel.
        long byWidth = (long)imageWidth * Height;   // compares w/tw with h/th without division
        long byHeight = (long)imageHeight * Width;
        bool widthLimits = Method == ResizeMethod.Crop ? byWidth < byHeight : byWidth > byHeight;
        int regionWidth, regionHeight;
        if (widthLimits)
        {
            regionWidth = imageWidth;
            regionHeight = (int)Math.Max(1, byWidth / Width);
        }
        else
        {
            regionHeight = imageHeight;
            regionWidth = (int)Math.Max(1, byHeight / Height);
        }

        // fastai: tl = int(pct · (size − region)), truncated towards zero (so padding puts the odd pixel after the image).
        int left = (int)(positionX * (imageWidth - regionWidth));
        int top = (int)(positionY * (imageHeight - regionHeight));
        return new ResizeRegion(left, top, regionWidth, regionHeight);
    }

    public override string ToString() => $"Resize({Height}×{Width}, {Method}{(Method == ResizeMethod.Pad ? $", {PadMode}" : "")})";
}
