using System.Text;

namespace Experiments.Runner.Execution.Host;

/// <summary>Turns how a worker process ended into a reason a person can act on.</summary>
internal static class CrashDiagnosis
{
    private static readonly Dictionary<int, string> SignalNames = new()
    {
        [1] = "SIGHUP",
        [2] = "SIGINT",
        [3] = "SIGQUIT",
        [4] = "SIGILL",
        [5] = "SIGTRAP",
        [6] = "SIGABRT",
        [7] = "SIGBUS",
        [8] = "SIGFPE",
        [9] = "SIGKILL",
        [11] = "SIGSEGV",
        [13] = "SIGPIPE",
        [15] = "SIGTERM",
    };

    /// <summary>The first line of the reason (shown in the console).</summary>
    public static string Describe(int exitCode, string? runtimeMessage)
    {
        if (runtimeMessage is not null && runtimeMessage.StartsWith("Stack overflow", StringComparison.Ordinal))
        {
            return $"stack overflow (worker process exit {exitCode})";
        }
        if (runtimeMessage is not null && runtimeMessage.StartsWith("Out of memory", StringComparison.Ordinal))
        {
            return $"out of memory (worker process exit {exitCode})";
        }
        if (runtimeMessage is not null && runtimeMessage.StartsWith("Process terminated.", StringComparison.Ordinal))
        {
            return $"worker process terminated: {runtimeMessage["Process terminated.".Length..].Trim()} (exit {exitCode})";
        }

        // .NET reports death by signal N as exit code 128 + N on Unix.
        if (!OperatingSystem.IsWindows() && exitCode > 128 && SignalNames.TryGetValue(exitCode - 128, out var signal))
        {
            return signal switch
            {
                "SIGKILL" => $"killed (SIGKILL, possibly out of memory) (exit {exitCode})",
                // An integer division by zero in native code. LibTorch's oneDNN does this on CPUs that hide their
                // cache topology (some virtual machines); the vision library can switch it off.
                "SIGFPE" => $"worker process crashed: SIGFPE, an integer division by zero in native code (exit {exitCode}); "
                    + "in LibTorch on a virtual machine this is oneDNN on a CPU that hides its cache topology: set EXPERIMENTS_ONEDNN=off",
                _ => $"worker process crashed: {signal} (exit {exitCode})",
            };
        }
        return $"worker process exited unexpectedly (exit {exitCode})";
    }

    /// <summary>The full reason for the store: the first line plus what the worker last wrote to stderr.</summary>
    public static string Report(int exitCode, StderrMonitor stderr)
    {
        var text = new StringBuilder(Describe(exitCode, stderr.RuntimeMessage));
        var tail = stderr.Tail;
        if (tail.Count > 0)
        {
            text.Append("\n--- last ").Append(tail.Count).Append(" lines of the worker's stderr ---");
            foreach (var line in tail)
            {
                text.Append('\n').Append(line);
            }
        }
        return text.ToString();
    }
}
