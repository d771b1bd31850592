using Experiments.Benchmarks.Measurement;
using Experiments.Benchmarks.Reporting;

namespace Experiments.Benchmarks;

/// <summary>What the sections share: the options, the machine, the report and the reference matmul rates.</summary>
public sealed class RunContext(BenchmarkOptions options, MachineInfo machine, RunReport report)
{
    public BenchmarkOptions Options { get; } = options;

    public MachineInfo Machine { get; } = machine;

    public RunReport Report { get; } = report;

    /// <summary>fp32 reference rate (GFLOP/s): the best median over the sizes of torch.matmul and of the same product as a 1×1 convolution; the reference for "% of matmul".</summary>
    public double? MatmulFp32 { get; set; }

    /// <summary>fp32 rate of the 3×3 convolution case (GFLOP/s): what oneDNN reaches on a model-like layer.</summary>
    public double? Conv3x3Fp32 { get; set; }

    /// <summary>bf16 matmul rate (GFLOP/s), when the CPU has bf16 and it was measured.</summary>
    public double? MatmulBf16 { get; set; }

    /// <summary>The fp32 reference, measured now with the simple harness if the matmul section did not run.</summary>
    public double ReferenceMatmulFp32()
    {
        if (MatmulFp32 is null)
        {
            RunReport.Progress("matmul reference (fp32 2048², matmul and 1×1 convolution, simple harness: 1 warm-up, median of 5)");
            MatmulFp32 = Sections.MatmulSection.SimpleRate(2048, repeats: 5);
        }
        return MatmulFp32.Value;
    }

    /// <summary>The 3×3 convolution rate, measured now with the simple harness if the matmul section did not run.</summary>
    public double ReferenceConv3x3Fp32()
    {
        if (Conv3x3Fp32 is null)
        {
            RunReport.Progress("3×3 convolution reference (fp32, simple harness: 1 warm-up, median of 5)");
            Conv3x3Fp32 = Sections.MatmulSection.SimpleRate(2048, repeats: 5, kinds: [Sections.MatmulBenchmarks.Fp32Conv3]);
        }
        return Conv3x3Fp32.Value;
    }

    /// <summary>The reference for a loop in bf16: the bf16 matmul rate (measured now with the simple harness if needed).</summary>
    public double ReferenceMatmulBf16()
    {
        if (MatmulBf16 is null)
        {
            RunReport.Progress("matmul reference (bf16 2048², simple harness: 1 warm-up, median of 5)");
            MatmulBf16 = Sections.MatmulSection.SimpleRate(2048, repeats: 5, kinds: [Sections.MatmulBenchmarks.Bf16]);
        }
        return MatmulBf16.Value;
    }
}
