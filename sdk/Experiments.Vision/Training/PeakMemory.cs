using System.Diagnostics;

namespace Experiments.Vision.Training;

/// <summary>
/// Peak memory of a fit. TorchSharp 0.107 exposes no CUDA allocator statistics (no <c>torch.cuda.max_memory_allocated</c>),
/// so this is the process's peak resident set (<see cref="Process.PeakWorkingSet64"/>, Linux <c>VmHWM</c>) on every
/// device — on a GPU it does not include device memory, and the source string says so.
/// </summary>
internal static class PeakMemory
{
    public const string ProcessPeakSinceReset = "process_peak_working_set";
    public const string ProcessPeakSinceStart = "process_peak_working_set_since_start";

    /// <summary>
    /// Resets the process's peak resident set to its current size (Linux ≥ 4.0; value 5 of <c>clear_refs</c> touches
    /// nothing else) — after giving back what earlier work in this process left behind (a full, compacting GC and
    /// glibc's <c>malloc_trim</c>), so that in a worker reused across trials the peak is this fit's, not the sum of
    /// what earlier trials left in the heaps.
    /// </summary>
    public static bool TryReset()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        try
        {
            System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            TrimNativeHeap();
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public static long ProcessPeak()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.PeakWorkingSet64;
    }

    public static string Describe(bool reset, bool cuda) =>
        (reset ? ProcessPeakSinceReset : ProcessPeakSinceStart) + (cuda ? " (host; CUDA allocator peak not exposed by TorchSharp 0.107)" : "");

    /// <summary>glibc's <c>malloc_trim(0)</c>: returns free native heap pages (libtorch's CPU tensors) to the system; absent elsewhere.</summary>
    private static void TrimNativeHeap()
    {
        try
        {
            _ = malloc_trim(0);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // musl or another libc: nothing to trim with.
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);
}
