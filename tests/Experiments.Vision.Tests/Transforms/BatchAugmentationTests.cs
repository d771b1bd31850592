using Experiments.Vision.Transforms;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Vision.Tests.Transforms;

public sealed class BatchAugmentationTests
{
    private static readonly AugmentationOptions Nothing = AugmentationOptions.None;

    public BatchAugmentationTests() => TorchRuntime.EnsureLoaded();

    /// <summary>A batch of distinct values in (0, 1): every pixel of every channel of every image differs.</summary>
    private static Tensor Ramp(long n, long c, long h, long w) =>
        (arange(n * c * h * w, dtype: ScalarType.Float32).reshape(n, c, h, w) + 1) / ((n * c * h * w) + 2);

    [Fact]
    public void Validation_batches_pass_through_unchanged()
    {
        using var scope = NewDisposeScope();
        var images = Ramp(4, 3, 8, 10);
        var augmentation = new BatchAugmentation(AugmentationOptions.Default, seed: 1);

        var output = augmentation.Apply(images, training: false);

        Assert.Same(images, output);
        Assert.Same(images, new BatchAugmentation(Nothing, seed: 1).Apply(images, training: true));
    }

    [Fact]
    public void Flip_with_probability_one_mirrors_every_image()
    {
        using var scope = NewDisposeScope();
        var images = Ramp(3, 3, 7, 12);
        var augmentation = new BatchAugmentation(Nothing with { Flip = true, FlipProbability = 1 }, seed: 2);

        var output = augmentation.Apply(images, training: true);

        AssertClose(images.flip(3), output, 1e-5);
    }

    [Fact]
    public void Identity_draws_resample_to_the_same_image()
    {
        using var scope = NewDisposeScope();
        var images = Ramp(2, 3, 9, 14);
        var augmentation = new BatchAugmentation(AugmentationOptions.Default, seed: 3);

        var output = augmentation.Apply(images, [AugmentationDraw.Identity, AugmentationDraw.Identity]);

        AssertClose(images, output, 1e-5);
    }

    [Fact]
    public void A_quarter_turn_moves_pixels_clockwise()
    {
        using var scope = NewDisposeScope();
        var images = Ramp(1, 2, 11, 11);
        var augmentation = new BatchAugmentation(Nothing, seed: 4);

        var output = augmentation.Apply(images, [new AugmentationDraw { RotationDegrees = 90 }]);

        // Clockwise as displayed: torch.rot90 with k = −1 over (H, W); the pixel right of centre goes below it.
        AssertClose(images.rot90(-1, (2, 3)), output, 1e-5);
        Assert.Equal(images[0, 0, 5, 8].item<float>(), output[0, 0, 8, 5].item<float>(), 1e-5f);
    }

    [Fact]
    public void A_rotation_by_a_fixed_angle_moves_a_blob_where_expected()
    {
        using var scope = NewDisposeScope();

        // A smooth blob at column 22, row 15 of a 31 × 31 image (centre 15, 15).
        var rows = arange(31, dtype: ScalarType.Float32).reshape(31, 1);
        var columns = arange(31, dtype: ScalarType.Float32).reshape(1, 31);
        var blob = exp(-(((columns - 22).pow(2) + (rows - 15).pow(2)) / 4.0)).reshape(1, 1, 31, 31);

        var output = new BatchAugmentation(Nothing, seed: 5).Apply(blob, [new AugmentationDraw { RotationDegrees = 30 }]);

        // Turned 30° clockwise about the centre: offset (7, 0) becomes (7 cos 30°, 7 sin 30°) = (6.06, 3.5).
        double total = output.sum().item<float>();
        double x = (output * columns).sum().item<float>() / total;
        double y = (output * rows).sum().item<float>() / total;
        Assert.Equal(15 + (7 * Math.Cos(Math.PI / 6)), x, 0.1);
        Assert.Equal(15 + (7 * Math.Sin(Math.PI / 6)), y, 0.1);
    }

    [Fact]
    public void Zoom_magnifies_about_its_centre()
    {
        using var scope = NewDisposeScope();
        var images = Ramp(1, 1, 21, 21);

        var output = new BatchAugmentation(Nothing, seed: 6).Apply(images, [new AugmentationDraw { Zoom = 2 }]);

        // Half the field of view: output corner (0, 0) samples input (5, 5), the centre stays.
        Assert.Equal(images[0, 0, 5, 5].item<float>(), output[0, 0, 0, 0].item<float>(), 1e-5f);
        Assert.Equal(images[0, 0, 10, 10].item<float>(), output[0, 0, 10, 10].item<float>(), 1e-5f);
        Assert.Equal(images[0, 0, 15, 15].item<float>(), output[0, 0, 20, 20].item<float>(), 1e-5f);
    }

    [Theory]
    [InlineData(PadMode.Reflection)]
    [InlineData(PadMode.Border)]
    [InlineData(PadMode.Zeros)]
    public void Zooming_out_fills_outside_the_image_by_the_pad_mode(PadMode padMode)
    {
        using var scope = NewDisposeScope();
        var images = Ramp(1, 1, 21, 21);

        var output = new BatchAugmentation(Nothing with { PadMode = padMode }, seed: 6).Apply(images, [new AugmentationDraw { Zoom = 0.5 }]);

        // Output corner (0, 0) samples normalised (−2, −2), ten pixels before the first: reflected about pixel 0
        // (align_corners=True) that is pixel 10, the centre; the border repeats pixel 0; zeros is 0.
        float expected = padMode switch
        {
            PadMode.Reflection => images[0, 0, 10, 10].item<float>(),
            PadMode.Border => images[0, 0, 0, 0].item<float>(),
            _ => 0f,
        };
        Assert.Equal(expected, output[0, 0, 0, 0].item<float>(), 1e-5f);
        Assert.Equal(images[0, 0, 10, 10].item<float>(), output[0, 0, 10, 10].item<float>(), 1e-5f);
    }

    [Fact]
    public void The_warp_maps_the_moved_corners_back_to_the_image_corners()
    {
        double x = 0.15, y = -0.1;
        var h = AugmentationGeometry.Perspective(x, y);
        double[,] original = { { -1, -1 }, { -1, 1 }, { 1, -1 }, { 1, 1 } };
        double[,] target = { { -1 - y, -1 - x }, { -1 + y, 1 + x }, { 1 + y, -1 + x }, { 1 - y, 1 - x } };
        for (int i = 0; i < 4; i++)
        {
            double px = target[i, 0], py = target[i, 1];
            double w = (h[6] * px) + (h[7] * py) + h[8];
            Assert.Equal(original[i, 0], ((h[0] * px) + (h[1] * py) + h[2]) / w, 1e-9);
            Assert.Equal(original[i, 1], ((h[3] * px) + (h[4] * py) + h[5]) / w, 1e-9);
        }

        // No warp is the identity.
        Assert.Equal([1, 0, 0, 0, 1, 0, 0, 0, 1], AugmentationGeometry.Perspective(0, 0).Select(v => Math.Round(v, 12) + 0.0));
    }

    [Fact]
    public void Lighting_follows_fastais_logit_formulas()
    {
        using var scope = NewDisposeScope();
        float[] values = [0f, 0.2f, 0.5f, 0.9f, 1f];
        var images = tensor(values).reshape(1, 1, 1, 5).expand(3, 1, 1, 5).contiguous();
        AugmentationDraw[] draws =
        [
            new() { Brightness = 0.6 },                   // brightness only
            new() { Contrast = 1.25 },                    // contrast only
            new() { Brightness = 0.6, Contrast = 0.8 },   // both: brightness added first, then contrast
        ];

        var output = new BatchAugmentation(Nothing, seed: 7).Apply(images, draws);

        static double Logit(double p)
        {
            p = Math.Clamp(p, 1e-7, 1 - 1e-7);
            return -Math.Log((1 / p) - 1);
        }

        static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
        for (int i = 0; i < values.Length; i++)
        {
            double p = values[i];
            Assert.Equal(Sigmoid(Logit(p) + Logit(0.6)), output[0, 0, 0, i].item<float>(), 1e-6);
            Assert.Equal(Sigmoid(Logit(p) * 1.25), output[1, 0, 0, i].item<float>(), 1e-6);
            Assert.Equal(Sigmoid((Logit(p) + Logit(0.6)) * 0.8), output[2, 0, 0, i].item<float>(), 1e-6);
        }

        // Hand-computed: mid-grey takes the brightness value itself and is fixed by contrast;
        // 0.2 with brightness 0.6 and contrast 0.8 → σ(0.8 · (ln 0.25 + ln 1.5)) = 0.31332.
        Assert.Equal(0.6, output[0, 0, 0, 2].item<float>(), 1e-6);
        Assert.Equal(0.5, output[1, 0, 0, 2].item<float>(), 1e-6);
        Assert.Equal(0.3133157, output[2, 0, 0, 1].item<float>(), 1e-6);
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Float16)]
    public void Shapes_and_dtypes_are_preserved(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var images = Ramp(5, 3, 17, 23).to_type(dtype);

        var output = new BatchAugmentation(AugmentationOptions.Default, seed: 8).Apply(images, training: true);

        Assert.Equal(images.shape, output.shape);
        Assert.Equal(dtype, output.dtype);
        Assert.Equal((images.device_type, images.device_index), (output.device_type, output.device_index));
        Assert.True(output.isfinite().all().item<bool>());
        Assert.InRange(output.min().to_type(ScalarType.Float32).item<float>(), 0f, 1f);
        Assert.InRange(output.max().to_type(ScalarType.Float32).item<float>(), 0f, 1f);
    }

    [Fact]
    public void The_same_seed_gives_the_same_batch_and_another_seed_another()
    {
        using var scope = NewDisposeScope();
        var images = Ramp(8, 3, 16, 16);

        var first = new BatchAugmentation(AugmentationOptions.Default, seed: 42).Apply(images, training: true);
        var again = new BatchAugmentation(AugmentationOptions.Default, seed: 42).Apply(images, training: true);
        var other = new BatchAugmentation(AugmentationOptions.Default, seed: 43).Apply(images, training: true);

        Assert.True(first.allclose(again, rtol: 0, atol: 0));
        Assert.False(first.allclose(other, rtol: 0, atol: 0));
        Assert.Equal(new BatchAugmentation(seed: 42).Draw(8), new BatchAugmentation(seed: 42).Draw(8));
    }

    [Fact]
    public void Default_draws_follow_aug_transforms_ranges_and_probabilities()
    {
        var draws = new BatchAugmentation(AugmentationOptions.Default, seed: 9).Draw(4000);

        Assert.All(draws, d =>
        {
            Assert.InRange(d.Dihedral, 0, 1);
            Assert.InRange(d.RotationDegrees, -10, 10);
            Assert.InRange(d.Zoom, 1, 1.1);
            Assert.InRange(d.WarpX, -0.2, 0.2);
            Assert.InRange(d.WarpY, -0.2, 0.2);
            Assert.InRange(d.Brightness, 0.4, 0.6);
            Assert.InRange(d.Contrast, 0.8, 1.25);
        });
        AssertRate(0.5, draws.Count(d => d.Dihedral == 1));
        AssertRate(0.75, draws.Count(d => d.RotationDegrees != 0));
        AssertRate(0.75, draws.Count(d => d.Zoom != 1));
        AssertRate(0.75, draws.Count(d => d.WarpX != 0));
        AssertRate(0.75 * 0.75, draws.Count(d => d.WarpX != 0 && d.WarpY != 0));
        AssertRate(0.75, draws.Count(d => d.Brightness != 0.5));
        AssertRate(0.75, draws.Count(d => d.Contrast != 1));

        void AssertRate(double expected, int count) => Assert.InRange(count / 4000.0, expected - 0.03, expected + 0.03);
    }

    [Fact]
    public void Repeated_calls_leave_no_tensors_behind()
    {
        using var scope = NewDisposeScope();
        var images = Ramp(4, 3, 12, 12);
        var augmentation = new BatchAugmentation(AugmentationOptions.Default, seed: 10);
        var normalization = Normalization.ImageNet;
        augmentation.Apply(images, training: true).Dispose();

        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 20; i++)
        {
            using var augmented = augmentation.Apply(images, training: true);
            using var normalized = normalization.Normalize(augmented);
        }

        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Rejects_what_is_not_a_float_batch()
    {
        using var scope = NewDisposeScope();
        var augmentation = new BatchAugmentation(seed: 11);

        Assert.Throws<ArgumentException>(() => augmentation.Apply(zeros(3, 8, 8), training: true));
        Assert.Throws<ArgumentException>(() => augmentation.Apply(zeros(new long[] { 1, 3, 8, 8 }, ScalarType.Byte), training: true));
        Assert.Throws<ArgumentException>(() => augmentation.Apply(zeros(2, 3, 8, 8), [AugmentationDraw.Identity]));
        Assert.Throws<ArgumentException>(() => augmentation.Apply(zeros(1, 3, 8, 8), [new AugmentationDraw { Zoom = 0 }]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchAugmentation(AugmentationOptions.Default with { AffineProbability = 2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchAugmentation(AugmentationOptions.Default with { MaxLighting = 1 }));
    }

    private static void AssertClose(Tensor expected, Tensor actual, double tolerance)
    {
        Assert.Equal(expected.shape, actual.shape);
        double difference = (expected - actual).abs().max().item<float>();
        Assert.True(difference <= tolerance, $"max difference {difference}");
    }
}
