using System.Numerics;
using System.Runtime.InteropServices;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Experiments.Vision.Training;

/// <summary>
/// The AdamW update of <see cref="AdamWOptimizer"/> as one pass over each parameter's memory on the CPU: for every element
/// the decay, both moments and the parameter are updated together, with SIMD, split across the torch threads.
/// </summary>
/// <remarks>
/// <para><b>Why.</b> TorchSharp's <c>optim.AdamW</c> runs about ten tensor operations per parameter, each a native call and
/// a full pass over memory (plus two temporary tensors): for a model of many small tensors the calls dominate, for a big
/// one the memory traffic (about 20 reads and writes per element against 7 here). Measured on a 2-core CPU: regnety_002
/// (190 tensors) 9.5 → 2.3 ms per step, resnet18 (11.7M parameters) 29 → 6.3 ms.</para>
/// <para><b>The same arithmetic</b>, in float32 and in TorchSharp's order: <c>p ← p·(1 − lr·wd)</c>;
/// <c>m ← β₁m + (1 − β₁)g</c>; <c>v ← β₂v + (1 − β₂)g²</c>; <c>p ← p − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + eps)</c>
/// with t counted per parameter and the current β₁ in the correction (results agree with <c>optim.AdamW</c> to rounding;
/// a test compares them). The moments live in managed arrays, allocated at a parameter's first step.</para>
/// <para><b>When.</b> Only for float32 CPU parameters whose elements fill one block of memory — contiguous, or
/// channels-last (NHWC strides) — viewed as flat spans of their live memory, the gradient in the same layout;
/// <see cref="AdamWOptimizer"/> uses TorchSharp's optimizer otherwise (GPU, bf16).</para>
/// </remarks>
internal sealed class FusedAdamWStep
{
    /// <summary>Elements per unit of parallel work: large enough to amortise the hand-off, small enough to balance two cores.</summary>
    private const int ChunkElements = 1 << 15;

    private readonly Entry[] _entries;

    /// <param name="parameters">Each parameter with its logical group (the learning rate it takes) and whether it is decayed.</param>
    public FusedAdamWStep(IReadOnlyList<(Parameter Parameter, int Group, bool Decay)> parameters)
    {
        _entries = [.. parameters.Select(p => new Entry(p.Parameter, p.Group, p.Decay))];
    }

    /// <summary>Whether every parameter can be updated in place through its memory: CPU, float32, dense (contiguous or channels-last), under 2 GiB.</summary>
    public static bool Supports(IEnumerable<Parameter> parameters) =>
        parameters.All(p => p.device_type == DeviceType.CPU && p.dtype == ScalarType.Float32 && IsDense(p)
            && p.numel() <= int.MaxValue / sizeof(float));

    /// <summary>Contiguous, or a 4-d tensor with channels-last strides: either way its elements fill one block of memory.</summary>
    internal static bool IsDense(Tensor t)
    {
        if (t.is_contiguous())
        {
            return true;
        }
        if (t.dim() != 4)
        {
            return false;
        }
        long[] shape = t.shape, stride = t.stride();
        long c = shape[1], h = shape[2], w = shape[3];
        // NHWC order: C fastest, then W, then H, then N (sizes of 1 may carry any stride).
        return (c == 1 || stride[1] == 1) && (w == 1 || stride[3] == c) && (h == 1 || stride[2] == w * c) && (shape[0] == 1 || stride[0] == h * w * c);
    }

    /// <summary>The tensor's block of memory as a flat, contiguous view (the same elements, in memory order).</summary>
    private static Tensor Flat(Tensor t) => t.is_contiguous() ? t.view(-1) : t.as_strided([t.numel()], [1], t.storage_offset());

    /// <summary>One step for every parameter that has a gradient; the others (frozen) are neither stepped nor decayed.</summary>
    public void Step(IReadOnlyList<double> learningRates, double beta1, double beta2, double eps, double weightDecay)
    {
        using var scope = NewDisposeScope();
        var work = new List<Work>(_entries.Length);
        var chunks = new List<(int Work, int Start, int Length)>();
        foreach (var entry in _entries)
        {
            var grad = entry.Parameter.grad;
            if (grad is null)
            {
                continue;
            }
            if (!grad.stride().SequenceEqual(entry.Parameter.stride()))
            {
                // Autograd gives a dense parameter's gradient its layout; should it not, copy it into that layout.
                var aligned = empty_strided(entry.Parameter.shape, entry.Parameter.stride(), ScalarType.Float32);
                aligned.copy_(grad);
                grad = aligned;
            }
            int n = (int)entry.Parameter.numel();
            entry.M ??= new float[n];
            entry.V ??= new float[n];
            entry.Steps++;
            double lr = learningRates[entry.Group];
            var coefficients = new Coefficients(
                Decay: entry.Decay ? (float)(1 - (lr * weightDecay)) : 1f,
                Beta1: (float)beta1,
                OneMinusBeta1: (float)(1 - beta1),
                Beta2: (float)beta2,
                OneMinusBeta2: (float)(1 - beta2),
                StepSize: (float)(lr / (1 - Math.Pow(beta1, entry.Steps))),
                SqrtCorrection2: (float)Math.Sqrt(1 - Math.Pow(beta2, entry.Steps)),
                Eps: (float)eps);
            int index = work.Count;
            work.Add(new Work(entry, Flat(entry.Parameter), Flat(grad), coefficients));
            for (int start = 0; start < n; start += ChunkElements)
            {
                chunks.Add((index, start, Math.Min(ChunkElements, n - start)));
            }
        }

        int threads = Math.Max(1, get_num_threads());
        if (threads == 1 || chunks.Count == 1)
        {
            foreach (var (w, start, length) in chunks)
            {
                Update(work[w], start, length);
            }
            return;
        }
        Parallel.For(0, chunks.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
        {
            var (w, start, length) = chunks[i];
            Update(work[w], start, length);
        });
    }

    private static void Update(Work work, int start, int length)
    {
        var p = MemoryMarshal.Cast<byte, float>(work.Parameter.bytes).Slice(start, length);
        var g = MemoryMarshal.Cast<byte, float>(work.Grad.bytes).Slice(start, length);
        Update(p, g, work.Entry.M.AsSpan(start, length), work.Entry.V.AsSpan(start, length), work.Coefficients);
    }

    /// <summary>The update of one span of elements: SIMD over whole vectors, then the tail element by element.</summary>
    internal static void Update(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, in Coefficients c)
    {
        var pv = MemoryMarshal.Cast<float, Vector<float>>(p);
        var gv = MemoryMarshal.Cast<float, Vector<float>>(g);
        var mv = MemoryMarshal.Cast<float, Vector<float>>(m);
        var vv = MemoryMarshal.Cast<float, Vector<float>>(v);
        var decay = new Vector<float>(c.Decay);
        var beta1 = new Vector<float>(c.Beta1);
        var oneMinusBeta1 = new Vector<float>(c.OneMinusBeta1);
        var beta2 = new Vector<float>(c.Beta2);
        var oneMinusBeta2 = new Vector<float>(c.OneMinusBeta2);
        var stepSize = new Vector<float>(c.StepSize);
        var sqrtCorrection2 = new Vector<float>(c.SqrtCorrection2);
        var eps = new Vector<float>(c.Eps);
        for (int i = 0; i < pv.Length; i++)
        {
            var gi = gv[i];
            var mi = (mv[i] * beta1) + (gi * oneMinusBeta1);
            var vi = (vv[i] * beta2) + (gi * gi * oneMinusBeta2);
            mv[i] = mi;
            vv[i] = vi;
            pv[i] = (pv[i] * decay) - (stepSize * (mi / ((Vector.SquareRoot(vi) / sqrtCorrection2) + eps)));
        }
        for (int i = pv.Length * Vector<float>.Count; i < p.Length; i++)
        {
            float gi = g[i];
            float mi = (m[i] * c.Beta1) + (gi * c.OneMinusBeta1);
            float vi = (v[i] * c.Beta2) + (gi * gi * c.OneMinusBeta2);
            m[i] = mi;
            v[i] = vi;
            p[i] = (p[i] * c.Decay) - (c.StepSize * (mi / ((MathF.Sqrt(vi) / c.SqrtCorrection2) + c.Eps)));
        }
    }

    /// <summary>A step's scalars for one parameter, in float32 as the tensor operations would use them.</summary>
    internal readonly record struct Coefficients(
        float Decay, float Beta1, float OneMinusBeta1, float Beta2, float OneMinusBeta2, float StepSize, float SqrtCorrection2, float Eps);

    private sealed class Entry(Parameter parameter, int group, bool decay)
    {
        public Parameter Parameter { get; } = parameter;

        public int Group { get; } = group;

        public bool Decay { get; } = decay;

        public float[]? M { get; set; }

        public float[]? V { get; set; }

        public int Steps { get; set; }
    }

    /// <summary>One parameter's step: flat views of the parameter and of its gradient, and the scalars.</summary>
    private sealed record Work(Entry Entry, Tensor Parameter, Tensor Grad, Coefficients Coefficients);
}
