using System.Runtime.InteropServices;

namespace Experiments.Vision.Data;

/// <summary>
/// Lowers the scheduling priority of the calling thread on Linux (its nice value; .NET's <c>Thread.Priority</c> does
/// nothing there). A loader thread at low priority takes a core only when the training threads leave it: libtorch's
/// OpenMP threads then keep their cores, instead of a whole parallel region waiting for the one of them that the
/// loader pushed off its core.
/// </summary>
internal static class ThreadNice
{
    private const int PriorityProcess = 0;

    /// <summary>Sets the calling thread's nice value (0 normal, 19 lowest); false where that is not possible.</summary>
    public static bool TrySetCurrent(int nice)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        try
        {
            // On Linux, PRIO_PROCESS with a thread id sets that one thread.
            return setpriority(PriorityProcess, gettid(), nice) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int gettid();

    [DllImport("libc", EntryPoint = "setpriority")]
    private static extern int setpriority(int which, int who, int prio);
}
