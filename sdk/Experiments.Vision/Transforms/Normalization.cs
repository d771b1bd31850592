using System.Globalization;
using Experiments.Vision.Data;
using static TorchSharp.torch;

namespace Experiments.Vision.Transforms;

/// <summary>
/// Per-channel normalisation of NCHW batches, <c>(x − mean) / std</c>, and its inverse: fastai's <c>Normalize</c>.
/// Statistics are for images scaled to [0, 1]; apply after batch augmentation.
/// </summary>
public sealed class Normalization
{
    private readonly double[] _mean;
    private readonly double[] _std;

    /// <param name="mean">Per channel; a single value applies to every channel.</param>
    /// <param name="std">Per channel, positive; as many values as <paramref name="mean"/>.</param>
    public Normalization(IReadOnlyList<double> mean, IReadOnlyList<double> std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Count == 0 || mean.Count != std.Count)
        {
            throw new ArgumentException($"Need one mean and one std per channel; got {mean.Count} and {std.Count}.");
        }

        if (mean.Any(m => !double.IsFinite(m)) || std.Any(s => !(s > 0) || !double.IsFinite(s)))
        {
            throw new ArgumentException("Means must be finite and standard deviations finite and positive.");
        }

        _mean = [.. mean];
        _std = [.. std];
    }

    /// <summary>ImageNet's statistics (torchvision, timm's <c>IMAGENET_DEFAULT_MEAN/STD</c>): ResNet, ConvNeXt, RegNet.</summary>
    public static Normalization ImageNet { get; } = new([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]);

    /// <summary>0.5 / 0.5 per channel (timm's <c>IMAGENET_INCEPTION_MEAN/STD</c>): ViT with augreg weights; maps [0, 1] to [−1, 1].</summary>
    public static Normalization Inception { get; } = new([0.5, 0.5, 0.5], [0.5, 0.5, 0.5]);

    public IReadOnlyList<double> Mean => _mean;

    public IReadOnlyList<double> Std => _std;

    /// <summary>
    /// Statistics of a sample batch, as fastai's <c>Normalize</c> computes them when given none: mean and (unbiased)
    /// standard deviation per channel over images and pixels, plus 1e-7.
    /// </summary>
    /// <param name="images">N × C × H × W, values in [0, 1].</param>
    public static Normalization FromBatch(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4)
        {
            throw new ArgumentException($"Expected an N×C×H×W batch; got shape [{string.Join(", ", images.shape)}].", nameof(images));
        }

        using var scope = NewDisposeScope();
        var x = images.to_type(ScalarType.Float64);
        long[] axes = [0, 2, 3];
        var mean = x.mean(axes).cpu().data<double>().ToArray();
        var std = x.std(axes, unbiased: true).cpu().data<double>().ToArray();
        return new Normalization(mean, std.Select(s => s + 1e-7).ToArray());
    }

    /// <summary>
    /// Statistics of decoded images (of any sizes) over every pixel of the first <paramref name="maxImages"/> of them,
    /// scaled to [0, 1]: per-channel mean and unbiased standard deviation plus 1e-7, as <see cref="FromBatch"/>.
    /// </summary>
    public static Normalization FromImages(IEnumerable<ImageData> images, int maxImages = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxImages, 1);

        // Byte sums are exact in 64 bits for any realistic sample, so there is no cancellation in the variance.
        long[]? sums = null, squares = null;
        long pixels = 0;
        int channels = 0, seen = 0;
        foreach (var image in images.Take(maxImages))
        {
            if (sums is null)
            {
                channels = image.Channels;
                sums = new long[channels];
                squares = new long[channels];
            }
            else if (image.Channels != channels)
            {
                throw new ArgumentException($"Image {seen} has {image.Channels} channel(s), earlier ones {channels}.", nameof(images));
            }

            var data = image.Pixels;
            for (int i = 0; i < data.Length; i++)
            {
                int v = data[i];
                sums[i % channels] += v;
                squares![i % channels] += v * v;
            }

            pixels += (long)image.Width * image.Height;
            seen++;
        }

        if (sums is null || pixels < 2)
        {
            throw new ArgumentException("Need at least two pixels to estimate statistics.", nameof(images));
        }

        var mean = new double[channels];
        var std = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            double sum = sums[c], n = pixels;
            mean[c] = sum / n / 255.0;
            double variance = (squares![c] - (sum * sum / n)) / (n - 1) / (255.0 * 255.0);
            std[c] = Math.Sqrt(Math.Max(variance, 0)) + 1e-7;
        }

        return new Normalization(mean, std);
    }

    /// <summary>
    /// <c>(x − mean) / std</c> per channel; a new tensor on the images' device and dtype. A grey batch (1 channel) with
    /// statistics for 3 channels comes out with 3: what normalising the grey images converted to RGB gives.
    /// </summary>
    public Tensor Normalize(Tensor images) => Map(images, inverse: false);

    /// <summary><c>x · std + mean</c> per channel: undoes <see cref="Normalize"/> (for display, or to compare with the input).</summary>
    public Tensor Denormalize(Tensor images) => Map(images, inverse: true);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"Normalization(mean [{string.Join(", ", _mean)}], std [{string.Join(", ", _std)}])");

    private Tensor Map(Tensor images, bool inverse)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4 || !images.is_floating_point())
        {
            throw new ArgumentException(
                $"Expected a floating-point N×C×H×W batch; got {images.dtype} [{string.Join(", ", images.shape)}].", nameof(images));
        }

        long channels = images.shape[1];
        // A grey batch with statistics for more channels broadcasts to them: the grey image converted to RGB, then normalised.
        bool greyToColour = !inverse && channels == 1;
        if (_mean.Length != 1 && _mean.Length != channels && !greyToColour)
        {
            throw new ArgumentException(
                $"These statistics are for {_mean.Length} channels but the images have {channels}.", nameof(images));
        }

        using var scope = NewDisposeScope();
        var mean = tensor(_mean).to(images.dtype).to(images.device).reshape(1, _mean.Length, 1, 1);
        var std = tensor(_std).to(images.dtype).to(images.device).reshape(1, _std.Length, 1, 1);
        var result = inverse ? (images * std) + mean : (images - mean) / std;
        return result.MoveToOuterDisposeScope();
    }
}
