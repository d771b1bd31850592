using System.Buffers;
using System.Numerics;

namespace Experiments.Vision.Transforms;

/// <summary>
/// Pillow's bilinear resize of 8-bit images (<c>Image.resize(size, BILINEAR)</c>, what fastai's <c>Resize</c> calls),
/// ported from its <c>libImaging/Resample.c</c> in the same arithmetic: a separable triangle filter on pixel centres
/// whose support widens with the scale when shrinking (so downscaling averages instead of aliasing), clipped to the
/// input and renormalised at the edges, with 22-bit fixed-point weights, a horizontal pass into an 8-bit intermediate,
/// then a vertical pass, each rounded and clamped.
/// </summary>
internal static class BilinearResampler
{
    private const int PrecisionBits = 32 - 8 - 2;

    /// <summary>
    /// Resamples <paramref name="region"/> of an HWC byte image (pixels outside it filled by <paramref name="padMode"/>,
    /// as if the image had been cropped and padded first) to <paramref name="destination"/>, an HWC buffer of
    /// <paramref name="targetWidth"/> × <paramref name="targetHeight"/>. <paramref name="simd"/> false runs the vertical
    /// pass element by element (the same result; for tests).
    /// </summary>
    public static void Resample(
        ReadOnlySpan<byte> source, int width, int height, int channels,
        ResizeRegion region, PadMode padMode,
        Span<byte> destination, int targetWidth, int targetHeight, bool simd = true)
    {
        var plan = Plan.For(new PlanKey(width, height, channels, region, padMode, targetWidth, targetHeight));
        var rows = plan.Rows;
        var horizontal = plan.Horizontal;
        var vertical = plan.Vertical;
        var offsets = plan.Offsets;

        int rowLength = targetWidth * channels;
        int half = 1 << (PrecisionBits - 1);

        byte[] intermediate = ArrayPool<byte>.Shared.Rent(region.Height * rowLength);
        int[] sums = ArrayPool<int>.Shared.Rent(rowLength);
        try
        {
            // Horizontal pass: every region row to the target width (rows of zero padding stay zero).
            for (int r = 0; r < region.Height; r++)
            {
                var row = intermediate.AsSpan(r * rowLength, rowLength);
                int sourceRow = rows[r];
                if (sourceRow < 0)
                {
                    row.Clear();
                    continue;
                }

                var pixels = source.Slice(sourceRow * width * channels, width * channels);
                for (int x = 0; x < targetWidth; x++)
                {
                    var weights = horizontal.WeightsOf(x);
                    var taps = offsets.AsSpan(x * horizontal.Stride, weights.Length);
                    if (channels == 3)
                    {
                        int s0 = half, s1 = half, s2 = half;
                        for (int k = 0; k < taps.Length; k++)
                        {
                            int o = taps[k];
                            if (o >= 0)
                            {
                                int w = weights[k];
                                s0 += w * pixels[o];
                                s1 += w * pixels[o + 1];
                                s2 += w * pixels[o + 2];
                            }
                        }

                        row[3 * x] = Clip8(s0);
                        row[(3 * x) + 1] = Clip8(s1);
                        row[(3 * x) + 2] = Clip8(s2);
                        continue;
                    }

                    for (int c = 0; c < channels; c++)
                    {
                        int sum = half;
                        for (int k = 0; k < taps.Length; k++)
                        {
                            int o = taps[k];
                            if (o >= 0)
                            {
                                sum += weights[k] * pixels[o + c];
                            }
                        }

                        row[(x * channels) + c] = Clip8(sum);
                    }
                }
            }

            // Vertical pass: whole rows at a time, weighted and accumulated.
            var accumulator = sums.AsSpan(0, rowLength);
            for (int y = 0; y < targetHeight; y++)
            {
                int start = vertical.Start[y];
                var weights = vertical.WeightsOf(y);
                Accumulate(intermediate.AsSpan(start * rowLength, weights.Length * rowLength), rowLength, weights, half, accumulator, simd);
                var target = destination.Slice(y * rowLength, rowLength);
                for (int i = 0; i < target.Length; i++)
                {
                    target[i] = Clip8(accumulator[i]);
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(sums);
            ArrayPool<byte>.Shared.Return(intermediate);
        }
    }

    /// <summary>
    /// <c>accumulator[i] = half + Σₖ weights[k] · rows[k·rowLength + i]</c>, whole SIMD vectors of bytes widened to
    /// 32-bit integers at a time (the same integer arithmetic as element by element), then the tail.
    /// </summary>
    private static void Accumulate(ReadOnlySpan<byte> rows, int rowLength, ReadOnlySpan<int> weights, int half, Span<int> accumulator, bool simd)
    {
        int i = 0;
        if (simd && Vector.IsHardwareAccelerated)
        {
            int width = Vector<byte>.Count;
            int quarter = Vector<int>.Count;
            for (; i + width <= rowLength; i += width)
            {
                var a0 = new Vector<int>(half);
                var a1 = a0;
                var a2 = a0;
                var a3 = a0;
                for (int k = 0; k < weights.Length; k++)
                {
                    var w = new Vector<int>(weights[k]);
                    var bytes = new Vector<byte>(rows.Slice((k * rowLength) + i, width));
                    Vector.Widen(bytes, out Vector<ushort> low, out Vector<ushort> high);
                    Vector.Widen(low, out Vector<uint> p0, out Vector<uint> p1);
                    Vector.Widen(high, out Vector<uint> p2, out Vector<uint> p3);
                    a0 += w * Vector.AsVectorInt32(p0);
                    a1 += w * Vector.AsVectorInt32(p1);
                    a2 += w * Vector.AsVectorInt32(p2);
                    a3 += w * Vector.AsVectorInt32(p3);
                }
                a0.CopyTo(accumulator.Slice(i, quarter));
                a1.CopyTo(accumulator.Slice(i + quarter, quarter));
                a2.CopyTo(accumulator.Slice(i + (2 * quarter), quarter));
                a3.CopyTo(accumulator.Slice(i + (3 * quarter), quarter));
            }
        }
        for (; i < rowLength; i++)
        {
            int sum = half;
            for (int k = 0; k < weights.Length; k++)
            {
                sum += weights[k] * rows[(k * rowLength) + i];
            }
            accumulator[i] = sum;
        }
    }

    private static byte Clip8(int sum)
    {
        int value = sum >> PrecisionBits;
        return value < 0 ? (byte)0 : value > 255 ? (byte)255 : (byte)value;
    }

    private readonly record struct PlanKey(int Width, int Height, int Channels, ResizeRegion Region, PadMode PadMode, int TargetWidth, int TargetHeight);

    /// <summary>
    /// What a resampling needs besides the pixels: the source rows, both kernels and the source offset of every column's
    /// taps. It depends only on the sizes, the region and the padding, so each thread keeps its last one: a data set of
    /// one image size (Fashion-MNIST, pre-resized folders) computes it once per thread instead of once per image.
    /// </summary>
    private sealed class Plan
    {
        [ThreadStatic]
        private static Plan? _last;

        private Plan(PlanKey key)
        {
            Key = key;
            int[] columns = PadIndex.MapRange(key.Region.Left, key.Region.Width, key.Width, key.PadMode);
            Rows = PadIndex.MapRange(key.Region.Top, key.Region.Height, key.Height, key.PadMode);
            Horizontal = Kernel.Create(key.Region.Width, key.TargetWidth);
            Vertical = Kernel.Create(key.Region.Height, key.TargetHeight);

            // Per output column and tap: the offset of the source pixel in a row, or -1 for zero padding.
            Offsets = new int[key.TargetWidth * Horizontal.Stride];
            for (int x = 0; x < key.TargetWidth; x++)
            {
                for (int k = 0; k < Horizontal.CountOf(x); k++)
                {
                    int column = columns[Horizontal.Start[x] + k];
                    Offsets[(x * Horizontal.Stride) + k] = column < 0 ? -1 : column * key.Channels;
                }
            }
        }

        public PlanKey Key { get; }

        public int[] Rows { get; }

        public Kernel Horizontal { get; }

        public Kernel Vertical { get; }

        public int[] Offsets { get; }

        public static Plan For(PlanKey key) => _last is { } plan && plan.Key == key ? plan : _last = new Plan(key);
    }

    /// <summary>Per output pixel: the first input pixel and the fixed-point weights of the pixels from there.</summary>
    private sealed class Kernel
    {
        private readonly int[] _count;
        private readonly int[] _weights;
        private readonly int _stride;

        private Kernel(int[] start, int[] count, int[] weights, int stride)
        {
            Start = start;
            _count = count;
            _weights = weights;
            _stride = stride;
        }

        public int[] Start { get; }

        /// <summary>Room per output pixel in the weight table.</summary>
        public int Stride => _stride;

        public int CountOf(int output) => _count[output];

        public ReadOnlySpan<int> WeightsOf(int output) => _weights.AsSpan(output * _stride, _count[output]);

        /// <summary>Pillow's <c>precompute_coeffs</c> (bilinear filter, support 1) and <c>normalize_coeffs_8bpc</c>.</summary>
        public static Kernel Create(int inputSize, int outputSize)
        {
            double scale = (double)inputSize / outputSize;
            double filterScale = Math.Max(scale, 1.0);
            double support = filterScale;
            int stride = ((int)Math.Ceiling(support) * 2) + 1;

            var start = new int[outputSize];
            var count = new int[outputSize];
            var weights = new int[outputSize * stride];
            var raw = new double[stride];
            for (int output = 0; output < outputSize; output++)
            {
                double center = (output + 0.5) * scale;
                double ss = 1.0 / filterScale;
                int min = Math.Max((int)(center - support + 0.5), 0);
                int max = Math.Min((int)(center + support + 0.5), inputSize);
                int n = max - min;
                double total = 0;
                for (int k = 0; k < n; k++)
                {
                    double x = Math.Abs((k + min - center + 0.5) * ss);
                    double w = x < 1.0 ? 1.0 - x : 0.0;
                    raw[k] = w;
                    total += w;
                }

                start[output] = min;
                count[output] = n;
                for (int k = 0; k < n; k++)
                {
                    double v = total != 0 ? raw[k] / total : raw[k];
                    weights[(output * stride) + k] = v < 0
                        ? (int)(-0.5 + (v * (1 << PrecisionBits)))
                        : (int)(0.5 + (v * (1 << PrecisionBits)));
                }
            }

            return new Kernel(start, count, weights, stride);
        }
    }
}
