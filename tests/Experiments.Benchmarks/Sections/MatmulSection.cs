using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Experiments.Benchmarks.Measurement;
using Experiments.Benchmarks.Reporting;
using Experiments.Vision;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Benchmarks.Sections;

/// <summary>
/// Issue 6 item 1: the machine's matrix-multiply rate through LibTorch, fp32 and (where the CPU has it) bf16.
/// An N×N by N×N product is 2·N³ floating-point operations; the rate is that over BenchmarkDotNet's median time.
/// </summary>
public static class MatmulSection
{
    public static void Run(RunContext context)
    {
        var options = context.Options;
        MatmulBenchmarks.SizeValues = options.MatmulSizes;
        MatmulBenchmarks.KindValues = context.Machine.HasBf16 ? [MatmulBenchmarks.Fp32, MatmulBenchmarks.Fp32Conv, MatmulBenchmarks.Fp32Conv3, MatmulBenchmarks.Bf16] : [MatmulBenchmarks.Fp32, MatmulBenchmarks.Fp32Conv, MatmulBenchmarks.Fp32Conv3];
        RunReport.Progress($"matmul: BenchmarkDotNet, sizes {string.Join(", ", options.MatmulSizes)}, {string.Join(", ", MatmulBenchmarks.KindValues)}");
        var results = MicroBenchmarks.Run(options, "matmul", typeof(MatmulBenchmarks));

        var table = new ResultTable("matmul", "Matrix multiply through LibTorch (N×N · N×N, 2·N³ FLOP), and a 3×3 convolution for comparison",
            "kind", "N", "median ms", "min ms", "max ms", "GFLOP/s (median)", "GFLOP/s (best)", "torch threads");
        double fp32Matmul = 0, fp32Conv = 0, fp32Conv3 = 0;
        foreach (var result in results.OrderBy(r => MatmulBenchmarks.KindValues.ToList().IndexOf(r.Parameters["Kind"])).ThenBy(r => int.Parse(r.Parameters["N"], System.Globalization.CultureInfo.InvariantCulture)))
        {
            int n = int.Parse(result.Parameters["N"], System.Globalization.CultureInfo.InvariantCulture);
            string kind = result.Parameters["Kind"];
            double flop = MatmulBenchmarks.Flops(kind, n);
            var ns = result.Nanoseconds;
            double median = flop / ns.Median;    // FLOP per ns = GFLOP/s
            double best = flop / ns.Min;
            table.Add(kind, n, ns.Median / 1e6, ns.Min / 1e6, ns.Max / 1e6, median, best, MicroBenchmarks.TorchThreads);
            switch (kind)
            {
                case MatmulBenchmarks.Fp32:
                    fp32Matmul = Math.Max(fp32Matmul, median);
                    break;
                case MatmulBenchmarks.Fp32Conv:
                    fp32Conv = Math.Max(fp32Conv, median);
                    break;
                case MatmulBenchmarks.Fp32Conv3:
                    fp32Conv3 = Math.Max(fp32Conv3, median);
                    break;
                default:
                    context.MatmulBf16 = Math.Max(context.MatmulBf16 ?? 0, median);
                    break;
            }
        }
        context.MatmulFp32 = Math.Max(fp32Matmul, fp32Conv);
        context.Conv3x3Fp32 = fp32Conv3;
        table.Note($"fp32 reference for the training tables: {context.MatmulFp32:0.#} GFLOP/s, the better of torch.matmul ({fp32Matmul:0.#}, MKL's sgemm) and the same product "
            + $"as a 1×1 convolution ({fp32Conv:0.#}, oneDNN): the convolutions of the models run on oneDNN, and on AMD CPUs MKL's sgemm may not use its AVX-512 kernels.");
        if (!context.Machine.HasBf16)
        {
            table.Add("bf16 matmul", "", "", "", "", "not supported", "not supported", "");
            table.Note("bf16: not supported by this CPU (no avx512_bf16 or amx_bf16 in /proc/cpuinfo); LibTorch would emulate it, slower than fp32.");
        }
        else
        {
            table.Note($"bf16: the CPU has {string.Join(" and ", context.Machine.Flags.Where(f => f.Contains("bf16", StringComparison.Ordinal)))}; "
                + $"best bf16 matmul rate / fp32 reference: {(context.MatmulBf16 ?? double.NaN) / (context.MatmulFp32 ?? double.NaN):0.00}×.");
        }
        table.Note($"BenchmarkDotNet in-process, {options.MicroWarmupCount} warm-up and {options.MicroIterationCount} measured iterations of ≥ {options.MicroIterationMilliseconds:0} ms each; "
            + "'fp32 conv1x1' is the same N×N·N×N product as a 1×1 convolution of an N-channel input with N positions (conv2d); "
            + "'fp32 conv3x3' (not part of the reference) is a 3×3 convolution, batch 8, N/4 channels in and out, 32×32, 2·(N/4)²·9·32·32·8 FLOP: what oneDNN reaches on a model-like layer.");
        if (fp32Conv3 > context.MatmulFp32)
        {
            table.Note($"The 3×3 convolution runs at {fp32Conv3 / context.MatmulFp32:0.00}× the fp32 reference: convolution-heavy models can exceed 100 % of matmul.");
        }
        context.Report.Add(table);
    }

    /// <summary>
    /// The fp32 reference rate in GFLOP/s with a plain harness: the better of torch.matmul and the same product as a 1×1
    /// convolution (see <see cref="MatmulBenchmarks"/>), each one warm-up product and the median of <paramref name="repeats"/>;
    /// with <paramref name="kinds"/>, the best of those cases instead.
    /// </summary>
    public static double SimpleRate(int n, int repeats, IReadOnlyList<string>? kinds = null)
    {
        TorchRuntime.EnsureLoaded();
        var benchmark = new MatmulBenchmarks { N = n };
        double best = 0;
        foreach (var kind in kinds ?? [MatmulBenchmarks.Fp32, MatmulBenchmarks.Fp32Conv])
        {
            benchmark.Kind = kind;
            benchmark.Setup();
            benchmark.Multiply();
            var seconds = new List<double>();
            for (int i = 0; i < repeats; i++)
            {
                var clock = Stopwatch.StartNew();
                benchmark.Multiply();
                seconds.Add(clock.Elapsed.TotalSeconds);
            }
            benchmark.Cleanup();
            best = Math.Max(best, MatmulBenchmarks.Flops(kind, n) / Stats.Of(seconds).Median / 1e9);
        }
        return best;
    }
}

/// <summary>
/// BenchmarkDotNet cases of <see cref="MatmulSection"/> (parameters are set by the section before the run): an N×N by N×N
/// product as torch.matmul in fp32 (MKL's sgemm) and bf16 (oneDNN), and in fp32 as a 1×1 convolution (oneDNN): weight
/// (N, N, 1, 1) over an input of N channels and N positions (32 × N/32), the same 2·N³ FLOPs.
/// </summary>
public class MatmulBenchmarks
{
    public const string Fp32 = "fp32 matmul";
    public const string Fp32Conv = "fp32 conv1x1";
    public const string Fp32Conv3 = "fp32 conv3x3";
    public const string Bf16 = "bf16 matmul";

    /// <summary>
    /// FLOPs of one operation: 2·N³ for the products; for the 3×3 convolution (batch 8, N/4 channels in and out, 32×32,
    /// padding 1) 2 · (N/4)² · 9 · 32 · 32 · 8.
    /// </summary>
    public static double Flops(string kind, int n) => kind == Fp32Conv3 ? 2.0 * (n / 4) * (n / 4) * 9 * 32 * 32 * 8 : 2.0 * n * n * n;

    public static IReadOnlyList<int> SizeValues { get; set; } = [1024, 2048];

    public static IReadOnlyList<string> KindValues { get; set; } = [Fp32, Fp32Conv];

    public static IEnumerable<int> Sizes() => SizeValues;

    public static IEnumerable<string> Kinds() => KindValues;

    [ParamsSource(nameof(Sizes))]
    public int N { get; set; }

    [ParamsSource(nameof(Kinds))]
    public string Kind { get; set; } = Fp32;

    private Tensor? _a;
    private Tensor? _b;

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.EnsureLoaded();
        if (MicroBenchmarks.TorchThreads > 0)
        {
            set_num_threads(MicroBenchmarks.TorchThreads);
        }
        using var scope = NewDisposeScope();
        if (Kind == Fp32Conv3)
        {
            _a = randn(8, N / 4, 32, 32).MoveToOuterDisposeScope();
            _b = randn(N / 4, N / 4, 3, 3).MoveToOuterDisposeScope();
            return;
        }
        if (Kind == Fp32Conv)
        {
            _a = randn(1, N, 32, N / 32).MoveToOuterDisposeScope();
            _b = randn(N, N, 1, 1).MoveToOuterDisposeScope();
            return;
        }
        var type = Kind == Bf16 ? ScalarType.BFloat16 : ScalarType.Float32;
        _a = randn(N, N).to_type(type).MoveToOuterDisposeScope();
        _b = randn(N, N).to_type(type).MoveToOuterDisposeScope();
    }

    [Benchmark]
    public void Multiply()
    {
        using var c = Kind switch
        {
            Fp32Conv => nn.functional.conv2d(_a!, _b!),
            Fp32Conv3 => nn.functional.conv2d(_a!, _b!, padding: [1, 1]),
            _ => _a!.matmul(_b!),
        };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _a?.Dispose();
        _b?.Dispose();
    }
}
