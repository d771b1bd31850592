using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Vision.Transforms;

/// <summary>
/// fastai's batch augmentation (<c>aug_transforms</c>) on NCHW floating-point tensors on their own device: flip, rotation,
/// zoom and perspective warp fused into one sampling grid and a single bilinear <c>grid_sample</c> (reflection padding
/// by default, <c>align_corners=True</c>), then brightness and contrast in logit space. Every choice is drawn per image;
/// validation batches pass through unchanged.
/// </summary>
/// <remarks>
/// <para>
/// Expects images in [0, 1] (lighting works on their logits), before normalisation — as fastai orders it.
/// The random choices are drawn on the host from this instance's <see cref="Random"/> (seeded for determinism,
/// the same on every device) and the tensor work runs where the images are.
/// </para>
/// <para>
/// Not thread-safe (the random source is shared): use one instance per loader. Temporaries are disposed inside a
/// <see cref="DisposeScope"/>; the result is moved to the caller's scope.
/// </para>
/// </remarks>
public sealed class BatchAugmentation
{
    private readonly Random _random;

    /// <param name="options">The augmentations; <see cref="AugmentationOptions.Default"/> when null.</param>
    /// <param name="seed">Seed for the draws; null for a random seed.</param>
    public BatchAugmentation(AugmentationOptions? options = null, int? seed = null)
        : this(options ?? AugmentationOptions.Default, seed is { } s ? new Random(s) : new Random())
    {
    }

    /// <param name="options">The augmentations.</param>
    /// <param name="random">Where the per-image choices come from.</param>
    public BatchAugmentation(AugmentationOptions options, Random random)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        options.Validate();
        Options = options;
        _random = random;
    }

    public AugmentationOptions Options { get; }

    /// <summary>
    /// Augments a training batch with fresh draws, one per image; returns <paramref name="images"/> itself
    /// (not a copy) when <paramref name="training"/> is false or every augmentation is off.
    /// </summary>
    /// <param name="images">N × C × H × W, floating point, values in [0, 1].</param>
    /// <param name="training">False for validation batches, which pass through unchanged.</param>
    public Tensor Apply(Tensor images, bool training)
    {
        CheckImages(images);
        if (!training || !(Options.HasGeometry || Options.HasLighting))
        {
            return images;
        }

        var draws = Draw((int)images.shape[0]);
        return Apply(images, draws, Options.HasGeometry, Options.HasLighting);
    }

    /// <summary>
    /// Augments a batch with given choices, one per image (to replay or fix an augmentation). The geometric pass runs when
    /// these options have a geometric part or a draw is not the geometric identity; lighting likewise.
    /// </summary>
    public Tensor Apply(Tensor images, IReadOnlyList<AugmentationDraw> draws)
    {
        CheckImages(images);
        ArgumentNullException.ThrowIfNull(draws);
        if (draws.Count != images.shape[0])
        {
            throw new ArgumentException($"{draws.Count} draws for a batch of {images.shape[0]} images.", nameof(draws));
        }

        foreach (var draw in draws)
        {
            ArgumentNullException.ThrowIfNull(draw, nameof(draws));
            if (!(draw.Zoom > 0) || !double.IsFinite(draw.Zoom) || !(draw.Contrast > 0) || (uint)draw.Dihedral > 7)
            {
                throw new ArgumentException($"Invalid draw {draw}: zoom and contrast must be positive, the dihedral index 0 to 7.", nameof(draws));
            }
        }

        bool geometry = Options.HasGeometry || draws.Any(d => !d.IsGeometricIdentity);
        bool lighting = Options.HasLighting || draws.Any(d => !d.IsLightingNeutral);
        return geometry || lighting ? Apply(images, draws, geometry, lighting) : images;
    }

    /// <summary>Draws the choices for <paramref name="count"/> images, in order.</summary>
    public AugmentationDraw[] Draw(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var draws = new AugmentationDraw[count];
        for (int i = 0; i < count; i++)
        {
            draws[i] = Draw();
        }

        return draws;
    }

    /// <summary>
    /// Draws the choices for one image as fastai does (each part kept with its probability, else neutral;
    /// warp x and y and brightness and contrast each have their own coin).
    /// </summary>
    public AugmentationDraw Draw()
    {
        var o = Options;
        int dihedral = 0;
        if (o.Flip)
        {
            int k = o.FlipVertical ? _random.Next(8) : 1;
            dihedral = Keep(o.FlipProbability) ? k : 0;
        }

        double warpX = 0, warpY = 0;
        if (o.MaxWarp != 0)
        {
            warpX = Masked(Uniform(-o.MaxWarp, o.MaxWarp), o.AffineProbability, 0);
            warpY = Masked(Uniform(-o.MaxWarp, o.MaxWarp), o.AffineProbability, 0);
        }

        double rotation = o.MaxRotate != 0 ? Masked(Uniform(-o.MaxRotate, o.MaxRotate), o.AffineProbability, 0) : 0;

        double zoom = 1, centerX = 0.5, centerY = 0.5;
        if (o.MinZoom != 1 || o.MaxZoom != 1)
        {
            zoom = Masked(Uniform(o.MinZoom, o.MaxZoom), o.AffineProbability, 1);
            centerX = _random.NextDouble();
            centerY = _random.NextDouble();
        }

        double brightness = 0.5, contrast = 1;
        if (o.MaxLighting != 0)
        {
            double l = o.MaxLighting;
            brightness = Masked(Uniform(0.5 * (1 - l), 0.5 * (1 + l)), o.LightingProbability, 0.5);
            contrast = Masked(Math.Exp(Uniform(Math.Log(1 - l), -Math.Log(1 - l))), o.LightingProbability, 1);
        }

        return new AugmentationDraw
        {
            Dihedral = dihedral,
            RotationDegrees = rotation,
            Zoom = zoom,
            ZoomCenterX = centerX,
            ZoomCenterY = centerY,
            WarpX = warpX,
            WarpY = warpY,
            Brightness = brightness,
            Contrast = contrast,
        };
    }

    /// <summary>fastai's logit: clamped to [1e-7, 1 − 1e-7] so 0 and 1 stay finite.</summary>
    internal static double Logit(double x)
    {
        x = Math.Clamp(x, 1e-7, 1 - 1e-7);
        return -Math.Log((1 / x) - 1);
    }

    private Tensor Apply(Tensor images, IReadOnlyList<AugmentationDraw> draws, bool geometry, bool lighting)
    {
        using var scope = NewDisposeScope();
        var dtype = images.dtype;

        // Half precision would lose the logit clamp (1 − 1e-7 rounds to 1) and grid_sample may lack half kernels on the CPU.
        var x = dtype is ScalarType.Float32 or ScalarType.Float64 ? images : images.to_type(ScalarType.Float32);
        if (geometry)
        {
            x = Resample(x, draws, Options.PadMode);
        }

        if (lighting)
        {
            x = Light(x, draws);
        }

        if (x.dtype != dtype)
        {
            x = x.to_type(dtype);
        }

        return x.MoveToOuterDisposeScope();
    }

    private static Tensor Resample(Tensor x, IReadOnlyList<AugmentationDraw> draws, PadMode padMode)
    {
        long n = x.shape[0], height = x.shape[2], width = x.shape[3];
        var values = new double[n * 9];
        bool perspective = false;
        for (int i = 0; i < n; i++)
        {
            AugmentationGeometry.SourceMatrix(draws[i], height, width).CopyTo(values, i * 9);
            perspective |= draws[i].WarpX != 0 || draws[i].WarpY != 0;
        }

        var matrices = tensor(values).reshape(n, 9).to(x.dtype).to(x.device);
        var xs = Steps(width, x).reshape(1, 1, width);
        var ys = Steps(height, x).reshape(1, height, 1);
        Tensor Entry(int index) => matrices[TensorIndex.Colon, TensorIndex.Single(index)].reshape(n, 1, 1);

        // One grid for the fused transform: source = M·(x, y, 1), divided by its third coordinate when warped.
        var gridX = (Entry(0) * xs) + (Entry(1) * ys) + Entry(2);
        var gridY = (Entry(3) * xs) + (Entry(4) * ys) + Entry(5);
        if (perspective)
        {
            var w = (Entry(6) * xs) + (Entry(7) * ys) + Entry(8);
            gridX = gridX / w;
            gridY = gridY / w;
        }

        var grid = stack([gridX, gridY], dim: 3);
        var padding = padMode switch
        {
            PadMode.Zeros => GridSamplePaddingMode.Zeros,
            PadMode.Border => GridSamplePaddingMode.Border,
            _ => GridSamplePaddingMode.Reflection,
        };
        return nn.functional.grid_sample(x, grid, GridSampleMode.Bilinear, padding, align_corners: true);
    }

    /// <summary>affine_grid's base coordinates with align_corners=True: −1 to 1 over pixel centres (0 for a single pixel).</summary>
    private static Tensor Steps(long count, Tensor like) =>
        count == 1
            ? zeros(1, dtype: like.dtype, device: like.device)
            : linspace(-1, 1, count, dtype: like.dtype, device: like.device);

    private static Tensor Light(Tensor x, IReadOnlyList<AugmentationDraw> draws)
    {
        long n = x.shape[0];
        var shift = draws.Select(d => Logit(d.Brightness)).ToArray();
        var factor = draws.Select(d => d.Contrast).ToArray();
        var brightness = tensor(shift).to(x.dtype).to(x.device).reshape(n, 1, 1, 1);
        var contrast = tensor(factor).to(x.dtype).to(x.device).reshape(n, 1, 1, 1);

        // fastai's LightingTfm: sigmoid of the logits (clamped to [1e-7, 1 − 1e-7]), brightness added then contrast
        // multiplied. torch.logit(x, eps) is that clamp and log(x / (1 − x)) = fastai's −log(1/x − 1), in one kernel;
        // the rest runs in place on that new tensor.
        return x.logit(1e-7).add_(brightness).mul_(contrast).sigmoid_();
    }

    private static void CheckImages(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4)
        {
            throw new ArgumentException($"Expected an N×C×H×W batch; got shape [{string.Join(", ", images.shape)}].", nameof(images));
        }

        if (!images.is_floating_point())
        {
            throw new ArgumentException($"Expected floating-point images in [0, 1]; got {images.dtype}.", nameof(images));
        }
    }

    private bool Keep(double probability) => _random.NextDouble() < probability;

    private double Uniform(double low, double high) => low + ((high - low) * _random.NextDouble());

    private double Masked(double value, double probability, double neutral) => Keep(probability) ? value : neutral;
}
