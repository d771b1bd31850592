using Experiments.Vision.Data;
using Experiments.Vision.Transforms;
using static Experiments.Vision.Tests.Transforms.SyntheticImages;

namespace Experiments.Vision.Tests.Transforms;

public sealed class ResizeTests
{
    private static readonly Random Unused = new(0);

    /// <summary>100 × 50: red left quarter, green middle half, blue right quarter.</summary>
    private static ImageData Bands() => Rgb(100, 50, (x, _) => x < 25 ? Red : x < 75 ? Green : Blue);

    [Theory]
    [InlineData(97, 61, 1, 50, 40, PadMode.Reflection)]   // shrinking: wide kernels
    [InlineData(97, 61, 3, 130, 90, PadMode.Reflection)]  // enlarging
    [InlineData(500, 375, 3, 224, 224, PadMode.Zeros)]    // a photo to a model's size, zero padding rows and columns
    [InlineData(28, 28, 3, 32, 32, PadMode.Border)]
    public void The_SIMD_vertical_pass_gives_exactly_the_element_by_element_result(int width, int height, int channels, int targetWidth, int targetHeight, PadMode padMode)
    {
        var random = new Random(width * height);
        var pixels = new byte[width * height * channels];
        random.NextBytes(pixels);
        // A region larger than the image on one axis (padding) and offset on the other.
        var region = new ResizeRegion(width / 7, -height / 5, width - (width / 7), height + (height / 3));
        var simd = new byte[targetWidth * targetHeight * channels];
        var scalar = new byte[simd.Length];

        BilinearResampler.Resample(pixels, width, height, channels, region, padMode, simd, targetWidth, targetHeight);
        BilinearResampler.Resample(pixels, width, height, channels, region, padMode, scalar, targetWidth, targetHeight, simd: false);

        Assert.Equal(scalar, simd);
        Assert.Contains(simd, b => b is > 0 and < 255); // a real image came out, not a cleared buffer
    }

    [Fact]
    public void A_thread_reuses_its_last_resampling_plan_only_for_the_same_sizes_region_and_padding()
    {
        var random = new Random(5);
        var pixels = new byte[40 * 30 * 3];
        random.NextBytes(pixels);
        var settings = new (int Channels, ResizeRegion Region, PadMode Pad, int Width, int Height)[]
        {
            (3, new ResizeRegion(0, 0, 40, 30), PadMode.Reflection, 24, 16),
            (3, new ResizeRegion(0, 0, 40, 30), PadMode.Reflection, 24, 17),   // another target
            (3, new ResizeRegion(2, -3, 36, 36), PadMode.Reflection, 24, 16),  // another region
            (3, new ResizeRegion(2, -3, 36, 36), PadMode.Zeros, 24, 16),       // another padding
            (1, new ResizeRegion(0, 0, 40, 30), PadMode.Reflection, 24, 16),   // another channel count (the first 1200 bytes as grey)
        };
        byte[] Run(int k)
        {
            var (channels, region, pad, width, height) = settings[k];
            var output = new byte[width * height * channels];
            BilinearResampler.Resample(pixels.AsSpan(0, 40 * 30 * channels), 40, 30, channels, region, pad, output, width, height);
            return output;
        }

        // Each on a thread of its own (a fresh plan), then all interleaved twice on this thread: the same bytes every time.
        var alone = Enumerable.Range(0, settings.Length).Select(k =>
        {
            byte[]? result = null;
            var thread = new Thread(() => result = Run(k));
            thread.Start();
            thread.Join();
            return result!;
        }).ToArray();
        for (int round = 0; round < 2; round++)
        {
            for (int k = settings.Length - 1; k >= 0; k--)
            {
                Assert.Equal(alone[k], Run(k));
                Assert.Equal(alone[k], Run(k));
            }
        }
        Assert.NotEqual(alone[0], alone[2]);
        Assert.NotEqual(alone[2], alone[3]);
    }

    [Theory]
    [InlineData(28, 28, ResizeMethod.Crop, true, true)]     // square to square: the region is the whole image
    [InlineData(40, 30, ResizeMethod.Crop, true, false)]    // a crop position to draw
    [InlineData(40, 30, ResizeMethod.Crop, false, true)]    // validation: centred
    [InlineData(40, 30, ResizeMethod.Pad, true, false)]
    [InlineData(40, 30, ResizeMethod.Squish, true, true)]
    public void A_resize_is_deterministic_when_no_position_is_left_to_draw(int width, int height, ResizeMethod method, bool training, bool expected)
    {
        var resize = new Resize(32, method);

        Assert.Equal(expected, resize.IsDeterministicFor(width, height, training));
        if (expected)
        {
            var image = Rgb(width, height, (x, y) => [(byte)(x * 5), (byte)(y * 7), (byte)(x + y)]);
            Assert.Equal(resize.Apply(image, new Random(1), training).Pixels, resize.Apply(image, new Random(2), training).Pixels);
        }
    }

    [Fact]
    public void Squish_resizes_the_whole_image_and_keeps_the_corner_colours()
    {
        // Quadrants: red top-left, green top-right, blue bottom-left, white bottom-right.
        var image = Rgb(100, 50, (x, y) => (x < 50, y < 25) switch
        {
            (true, true) => Red,
            (false, true) => Green,
            (true, false) => Blue,
            _ => White,
        });

        var output = new Resize(20, ResizeMethod.Squish).Apply(image, Unused, training: true);

        Assert.Equal((20, 20, 3), (output.Width, output.Height, output.Channels));
        Assert.Equal(Red, At(output, 0, 0));
        Assert.Equal(Green, At(output, 19, 0));
        Assert.Equal(Blue, At(output, 0, 19));
        Assert.Equal(White, At(output, 19, 19));
        Assert.Equal(new ResizeRegion(0, 0, 100, 50), new Resize(20, ResizeMethod.Squish).GetRegion(100, 50, Unused, training: true));
    }

    [Fact]
    public void Squish_draws_nothing_and_is_the_same_in_training_and_validation()
    {
        var image = Rgb(37, 23, (x, y) => [(byte)(x * 6), (byte)(y * 11), (byte)((x + y) * 4)]);
        var random = new Random(5);
        var resize = new Resize(16, 24, ResizeMethod.Squish);

        var train = resize.Apply(image, random, training: true);
        var valid = resize.Apply(image, random, training: false);

        Assert.Equal(train.Pixels, valid.Pixels);
        Assert.Equal(new Random(5).Next(), random.Next());
    }

    [Fact]
    public void Crop_in_validation_is_centred_and_keeps_the_centre_band()
    {
        var resize = new Resize(50, ResizeMethod.Crop);

        Assert.Equal(new ResizeRegion(25, 0, 50, 50), resize.GetRegion(100, 50, Unused, training: false));
        var output = resize.Apply(Bands(), Unused, training: false);
        Assert.All(Enumerable.Range(0, 50 * 50), i => Assert.Equal(Green, At(output, i % 50, i / 50)));

        // Resampled to another size, still only the centre band.
        var small = new Resize(32, ResizeMethod.Crop).Apply(Bands(), Unused, training: false);
        Assert.Equal((32, 32), (small.Width, small.Height));
        Assert.All(Enumerable.Range(0, 32 * 32), i => Assert.Equal(Green, At(small, i % 32, i / 32)));
    }

    [Fact]
    public void Crop_regions_follow_fastai_rounding()
    {
        var square = new Resize(64, ResizeMethod.Crop);

        // Odd leftover: int(0.5 × 45) = 22 from the left, 23 to the right.
        Assert.Equal(new ResizeRegion(22, 0, 55, 55), square.GetRegion(100, 55, Unused, training: false));
        Assert.Equal(new ResizeRegion(0, 22, 55, 55), square.GetRegion(55, 100, Unused, training: false));
        Assert.Equal(new ResizeRegion(0, 0, 64, 64), square.GetRegion(64, 64, Unused, training: false));

        // Extremes of the random position: flush left/top (0) and as far right/bottom as fits (just under 1).
        Assert.Equal(new ResizeRegion(0, 0, 55, 55), square.GetRegion(100, 55, 0.0, 0.0));
        Assert.Equal(new ResizeRegion(44, 0, 55, 55), square.GetRegion(100, 55, 0.9999, 0.9999));
    }

    [Fact]
    public void Random_crops_stay_inside_the_image_and_vary_with_the_seed()
    {
        var resize = new Resize(40, ResizeMethod.Crop);
        var lefts = new HashSet<int>();
        var tops = new HashSet<int>();
        for (int seed = 0; seed < 200; seed++)
        {
            var wide = resize.GetRegion(100, 50, new Random(seed), training: true);
            Assert.Equal((0, 50, 50), (wide.Top, wide.Width, wide.Height));
            Assert.InRange(wide.Left, 0, 50);
            lefts.Add(wide.Left);

            var tall = resize.GetRegion(30, 90, new Random(seed), training: true);
            Assert.Equal((0, 30, 30), (tall.Left, tall.Width, tall.Height));
            Assert.InRange(tall.Top, 0, 60);
            tops.Add(tall.Top);
        }

        Assert.True(lefts.Count > 30, $"only {lefts.Count} distinct crop positions");
        Assert.True(tops.Count > 30, $"only {tops.Count} distinct crop positions");

        // The same seed gives the same crop; the crop shows the image's pixels at that position.
        var image = Rgb(100, 50, (x, y) => [(byte)x, (byte)y, 7]);
        var first = new Resize(50, ResizeMethod.Crop).Apply(image, new Random(3), training: true);
        var again = new Resize(50, ResizeMethod.Crop).Apply(image, new Random(3), training: true);
        Assert.Equal(first.Pixels, again.Pixels);
        int left = new Resize(50, ResizeMethod.Crop).GetRegion(100, 50, new Random(3), training: true).Left;
        Assert.Equal(new byte[] { (byte)left, 0, 7 }, At(first, 0, 0));
        Assert.Equal(new byte[] { (byte)(left + 49), 49, 7 }, At(first, 49, 49));
    }

    [Fact]
    public void Pad_with_zeros_keeps_the_aspect_ratio_with_black_bars()
    {
        var image = Rgb(100, 50, (_, _) => White);
        var resize = new Resize(100, ResizeMethod.Pad, PadMode.Zeros);

        Assert.Equal(new ResizeRegion(0, -25, 100, 100), resize.GetRegion(100, 50, Unused, training: false));
        var output = resize.Apply(image, Unused, training: false);
        for (int y = 0; y < 100; y++)
        {
            var expected = y is >= 25 and < 75 ? White : Black;
            Assert.Equal(expected, At(output, 0, y));
            Assert.Equal(expected, At(output, 99, y));
        }

        // Downscaled, the image still spans the middle half (edges blend over about a pixel).
        var small = new Resize(40, ResizeMethod.Pad, PadMode.Zeros).Apply(image, Unused, training: false);
        Assert.Equal(Black, At(small, 20, 8));
        Assert.Equal(White, At(small, 20, 12));
        Assert.Equal(White, At(small, 20, 28));
        Assert.Equal(Black, At(small, 20, 31));
    }

    [Fact]
    public void Pad_puts_the_odd_pixel_after_the_image_like_fastai()
    {
        // int(0.5 × −45) = −22: 22 rows above, 23 below.
        Assert.Equal(new ResizeRegion(0, -22, 100, 100), new Resize(8, ResizeMethod.Pad).GetRegion(100, 55, Unused, training: false));
        Assert.Equal(new ResizeRegion(-22, 0, 100, 100), new Resize(8, ResizeMethod.Pad).GetRegion(55, 100, Unused, training: false));
    }

    [Fact]
    public void Pad_with_border_repeats_the_edge_pixels()
    {
        // Top row red, bottom row blue, green between.
        var image = Rgb(60, 30, (_, y) => y == 0 ? Red : y == 29 ? Blue : Green);

        var output = new Resize(60, ResizeMethod.Pad, PadMode.Border).Apply(image, Unused, training: false);

        for (int y = 0; y < 60; y++)
        {
            var expected = y <= 15 ? Red : y >= 44 ? Blue : Green;
            Assert.Equal(expected, At(output, 30, y));
        }
    }

    [Fact]
    public void Pad_with_reflection_mirrors_the_image_without_repeating_the_edge()
    {
        // Row y has value 5·y; padded to 100 × 100, output row r shows image row r − 25, mirrored outside.
        var image = Grey(100, 50, (_, y) => 5 * y);

        var output = new Resize(100, ResizeMethod.Pad, PadMode.Reflection).Apply(image, Unused, training: false);

        for (int r = 0; r < 100; r++)
        {
            int row = r - 25;
            int mirrored = row < 0 ? -row : row > 49 ? 98 - row : row;
            Assert.Equal(5 * mirrored, output.Pixels[(r * 100) + 10]);
        }
    }

    [Fact]
    public void Reflection_wider_than_the_image_repeats_the_mirror_as_numpy_does()
    {
        // numpy.pad([a, b, c], 4, "reflect") = [a, b, c, b, | a, b, c, | b, a, b, c]: periodic, period 2·(3 − 1).
        int[] expected = [0, 1, 2, 1, 0, 1, 2, 1, 0, 1, 2];
        for (int i = -4; i <= 6; i++)
        {
            Assert.Equal(expected[i + 4], PadIndex.Map(i, 3, PadMode.Reflection));
        }

        Assert.Equal(0, PadIndex.Map(-3, 1, PadMode.Reflection));
        Assert.Equal(2, PadIndex.Map(9, 3, PadMode.Border));
        Assert.Equal(-1, PadIndex.Map(-1, 3, PadMode.Zeros));
    }

    [Fact]
    public void Random_pad_positions_keep_the_whole_image_inside_the_region()
    {
        var resize = new Resize(32, ResizeMethod.Pad, PadMode.Zeros);
        var tops = new HashSet<int>();
        for (int seed = 0; seed < 100; seed++)
        {
            var region = resize.GetRegion(80, 20, new Random(seed), training: true);
            Assert.Equal((0, 80, 80), (region.Left, region.Width, region.Height));
            Assert.InRange(region.Top, -60, 0);
            Assert.True(region.Bottom >= 20);
            tops.Add(region.Top);
        }

        Assert.True(tops.Count > 20);
    }

    [Fact]
    public void Rectangular_targets_are_height_by_width()
    {
        // 100 × 100 with horizontal bands: red rows 0–24, green 25–74, blue 75–99.
        var image = Rgb(100, 100, (_, y) => y < 25 ? Red : y < 75 ? Green : Blue);

        var crop = new Resize(20, 40, ResizeMethod.Crop);
        Assert.Equal((20, 40), (crop.Height, crop.Width));
        Assert.Equal(new ResizeRegion(0, 25, 100, 50), crop.GetRegion(100, 100, Unused, training: false));
        var cropped = crop.Apply(image, Unused, training: false);
        Assert.Equal((40, 20), (cropped.Width, cropped.Height));
        Assert.All(Enumerable.Range(0, 40 * 20), i => Assert.Equal(Green, At(cropped, i % 40, i / 40)));

        var pad = new Resize(40, 20, ResizeMethod.Pad, PadMode.Zeros);
        Assert.Equal(new ResizeRegion(0, -50, 100, 200), pad.GetRegion(100, 100, Unused, training: false));
        var padded = pad.Apply(image, Unused, training: false);
        Assert.Equal((20, 40), (padded.Width, padded.Height));
        Assert.Equal(Black, At(padded, 10, 0));
        Assert.Equal(Red, At(padded, 10, 11));
        Assert.Equal(Green, At(padded, 10, 20));
        Assert.Equal(Blue, At(padded, 10, 28));
        Assert.Equal(Black, At(padded, 10, 39));

        var squished = new Resize(10, 30, ResizeMethod.Squish).Apply(image, Unused, training: false);
        Assert.Equal((30, 10), (squished.Width, squished.Height));
    }

    [Fact]
    public void Bilinear_matches_pillow()
    {
        // Pillow's Resample.c arithmetic for [0, 255] → 4 pixels: centres at 0.25, 0.75, 1.25, 1.75 of the input,
        // edge pixels clipped to the input, inner ones weighted 0.75 / 0.25 → 63.75 and 191.25, rounded.
        var up = new Resize(1, 4, ResizeMethod.Squish).Apply(Grey(2, 1, (x, _) => x * 255), Unused, training: false);
        Assert.Equal(new byte[] { 0, 64, 191, 255 }, up.Pixels);

        // Shrinking averages over the widened triangle: [0, 100, 200, 250] → 2 pixels. Output 0 is centred at 1.0
        // with support 2: weights 0.75, 0.75, 0.25 on inputs 0–2 → 125 / 1.75 = 71.4; output 1: 362.5 / 1.75 = 207.1.
        var down = new Resize(1, 2, ResizeMethod.Squish).Apply(Grey(4, 1, (x, _) => new[] { 0, 100, 200, 250 }[x]), Unused, training: false);
        Assert.Equal(new byte[] { 71, 207 }, down.Pixels);

        // Same size is the identity.
        var image = Rgb(13, 7, (x, y) => [(byte)(x * 19), (byte)(y * 31), (byte)(x * y)]);
        Assert.Equal(image.Pixels, new Resize(7, 13, ResizeMethod.Squish).Apply(image, Unused, training: false).Pixels);
    }

    [Fact]
    public void Grey_images_keep_one_channel()
    {
        var output = new Resize(8, ResizeMethod.Crop).Apply(Grey(28, 28, (x, y) => x + y), new Random(1), training: true);

        Assert.Equal((8, 8, 1), (output.Width, output.Height, output.Channels));
    }

    [Fact]
    public void Is_an_item_transform_that_does_not_touch_its_input()
    {
        var image = Bands();
        var before = image.Pixels.ToArray();
        IItemTransform transform = new Resize(24, ResizeMethod.Pad, PadMode.Reflection);

        var output = transform.Apply(image, new Random(9), training: true);

        Assert.Equal(before, image.Pixels);
        Assert.Equal((24, 24, 3), (output.Width, output.Height, output.Channels));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Resize(0));
    }
}
