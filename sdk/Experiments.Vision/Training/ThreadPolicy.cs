using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Vision.Training;

/// <summary>
/// How many threads LibTorch's CPU kernels get during a fit. LibTorch's default is one OpenMP thread per core, and its
/// idle threads spin while they wait for the others. When another process keeps a core busy, one of the threads is
/// descheduled at every parallel region and the rest spin until it returns: on a 2-core machine next to a busy process,
/// 2 threads trained resnet18 at 19.6 img/s where 1 thread gave 244. So a fit first looks at how much CPU the other
/// processes are using and leaves their cores to them.
/// </summary>
public static class ThreadPolicy
{
    /// <summary>How long the other processes' CPU use is sampled at the start of a fit.</summary>
    public static readonly TimeSpan SampleWindow = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Part of a core the other processes may use before that core counts as taken: a light, bursty neighbour (a shell,
    /// a monitor) costs little, a CPU-bound one makes every parallel region wait for the thread it displaces.
    /// </summary>
    public const double TakenCoreThreshold = 0.25;

    /// <summary>
    /// The thread count for a fit: the cores left after the other processes' use (a core counts as taken from
    /// <see cref="TakenCoreThreshold"/> of it on), at least 1 and at most <paramref name="current"/> (LibTorch's setting,
    /// which <c>OMP_NUM_THREADS</c> or a runner with several workers may have lowered).
    /// </summary>
    /// <param name="cores">Logical cores of the machine.</param>
    /// <param name="current">LibTorch's thread count now.</param>
    /// <param name="othersBusyCores">Cores' worth of CPU time the other processes used while sampled (0 on an idle machine).</param>
    public static int Decide(int cores, int current, double othersBusyCores)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cores, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(current, 1);
        if (!double.IsFinite(othersBusyCores) || othersBusyCores < 0)
        {
            othersBusyCores = 0;
        }
        int taken = (int)Math.Ceiling(othersBusyCores - TakenCoreThreshold);
        return Math.Clamp(cores - Math.Max(0, taken), 1, current);
    }

    /// <summary>
    /// Cores' worth of CPU time used by processes other than this one over <paramref name="window"/> (Linux:
    /// <c>/proc/stat</c> minus <c>/proc/self/stat</c>); null where that cannot be read.
    /// </summary>
    public static double? SampleOthersBusyCores(TimeSpan window)
    {
        if (!OperatingSystem.IsLinux() || CpuTimes() is not { } before)
        {
            return null;
        }
        Thread.Sleep(window);
        return CpuTimes() is { } after ? OthersBusyCores(before, after, Environment.ProcessorCount) : null;
    }

    /// <summary>Other processes' busy cores between two samples: (machine busy − own) / machine total × cores.</summary>
    public static double OthersBusyCores(CpuSample before, CpuSample after, int cores)
    {
        long total = after.MachineTotal - before.MachineTotal;
        if (total <= 0)
        {
            return 0;
        }
        long others = after.MachineBusy - before.MachineBusy - (after.Own - before.Own);
        return Math.Max(0, (double)others / total * cores);
    }

    /// <summary>
    /// The machine's busy and total clock ticks from the first line of <c>/proc/stat</c>
    /// (<c>cpu user nice system idle iowait irq softirq steal …</c>): busy = user + nice + system + irq + softirq + steal,
    /// total = busy + idle + iowait (guest time is already in user).
    /// </summary>
    public static (long Busy, long Total) ParseProcStat(string firstLine)
    {
        var fields = firstLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 8 || fields[0] != "cpu")
        {
            throw new FormatException($"Not the first line of /proc/stat: '{firstLine}'.");
        }
        long Field(int i) => i < fields.Length ? long.Parse(fields[i], CultureInfo.InvariantCulture) : 0;
        long busy = Field(1) + Field(2) + Field(3) + Field(6) + Field(7) + Field(8);
        return (busy, busy + Field(4) + Field(5));
    }

    /// <summary>A process's user + system clock ticks from its <c>/proc/PID/stat</c> line (fields 14 and 15, counted after the parenthesised name, which may hold spaces).</summary>
    public static long ParseProcessTicks(string statLine)
    {
        int end = statLine.LastIndexOf(')');
        var fields = statLine[(end + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (end < 0 || fields.Length < 13)
        {
            throw new FormatException($"Not a /proc/PID/stat line: '{statLine}'.");
        }
        // fields[0] is field 3 (state): utime (14) and stime (15) are fields[11] and fields[12].
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    /// <summary>Applies the policy for a fit: <paramref name="requested"/> threads, or (null) the automatic choice; restores LibTorch's setting when disposed.</summary>
    internal static ThreadScope Enter(int? requested, Device device)
    {
        int before = get_num_threads();
        // One thread is already the fewest the policy could choose: no need to sample (a runner with several workers
        // gives each one thread).
        if (requested == 0 || device.type != DeviceType.CPU || (requested is null && before == 1))
        {
            return new ThreadScope(before, before);
        }
        int threads = requested ?? (SampleOthersBusyCores(SampleWindow) is { } others ? Decide(Environment.ProcessorCount, before, others) : before);
        if (threads != before)
        {
            set_num_threads(threads);
        }
        return new ThreadScope(before, threads);
    }

    private static CpuSample? CpuTimes()
    {
        try
        {
            using var stat = new StreamReader("/proc/stat");
            var (busy, total) = ParseProcStat(stat.ReadLine() ?? "");
            long own = ParseProcessTicks(File.ReadAllText("/proc/self/stat"));
            return new CpuSample(busy, total, own);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            Trace.TraceWarning($"Cannot read the CPU times for the thread policy: {e.Message}");
            return null;
        }
    }
}

/// <summary>Clock ticks of the machine (busy and total, every core) and of this process at one moment.</summary>
public readonly record struct CpuSample(long MachineBusy, long MachineTotal, long Own);

/// <summary>The thread count of one fit; restores the previous one when disposed.</summary>
internal sealed class ThreadScope(int before, int threads) : IDisposable
{
    /// <summary>The thread count during the fit.</summary>
    public int Threads { get; } = threads;

    public void Dispose()
    {
        if (Threads != before)
        {
            set_num_threads(before);
        }
    }
}
