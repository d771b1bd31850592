using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using Experiments.Vision;
using static TorchSharp.torch;

namespace Experiments.Benchmarks.Measurement;

/// <summary>What this machine is: CPU, the instruction-set flags that matter for LibTorch, cores, load, runtime.</summary>
public sealed record MachineInfo(
    string CpuModel,
    int LogicalCores,
    IReadOnlyList<string> Flags,
    string Torch,
    int TorchThreads,
    int TorchInteropThreads,
    string Runtime,
    string Configuration)
{
    private static readonly string[] InterestingFlags = ["avx2", "fma", "avx512f", "avx512_vnni", "avx_vnni", "avx512_bf16", "amx_bf16", "amx_tile", "amx_int8"];

    /// <summary>The CPU has bf16 arithmetic that LibTorch's oneDNN kernels use: AVX512-BF16 or AMX-BF16.</summary>
    public bool HasBf16 => Flags.Contains("avx512_bf16") || Flags.Contains("amx_bf16");

    public static MachineInfo Read()
    {
        string model = RuntimeInformation.ProcessArchitecture.ToString();
        var flags = new List<string>();
        if (File.Exists("/proc/cpuinfo"))
        {
            var lines = File.ReadAllLines("/proc/cpuinfo");
            model = lines.FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? model;
            var present = lines.FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal))?.Split(':', 2)[1]
                .Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal) ?? [];
            flags.AddRange(InterestingFlags.Where(present.Contains));
        }
        var runtime = TorchRuntime.EnsureLoaded();
        bool optimized = Assembly.GetExecutingAssembly().GetCustomAttribute<DebuggableAttribute>() is not { IsJITOptimizerDisabled: true };
        return new MachineInfo(model, Environment.ProcessorCount, flags,
            $"TorchSharp {runtime.TorchSharpVersion}, LibTorch {runtime.LibTorchVersion}",
            get_num_threads(), get_num_interop_threads(),
            $"{RuntimeInformation.FrameworkDescription} on {RuntimeInformation.OSDescription}",
            optimized ? "Release" : "Debug (not optimised: run with -c Release)");
    }

    /// <summary>The 1-, 5- and 15-minute load averages: how busy the machine was (others' work makes numbers noisy).</summary>
    public static string LoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return string.Create(CultureInfo.InvariantCulture, $"{parts[0]} / {parts[1]} / {parts[2]} (1 / 5 / 15 min, {Environment.ProcessorCount} cores)");
        }
        catch (IOException)
        {
            return "n/a";
        }
    }
}
