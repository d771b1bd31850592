using Experiments.Runner.Execution.Host;

namespace Experiments.Runner.Tests.Execution;

public class CrashDiagnosisTests
{
    [Theory]
    [InlineData(139, null, "worker process crashed: SIGSEGV (exit 139)")]
    [InlineData(137, null, "killed (SIGKILL, possibly out of memory) (exit 137)")]
    [InlineData(134, null, "worker process crashed: SIGABRT (exit 134)")]
    [InlineData(136, null, "worker process crashed: SIGFPE, an integer division by zero in native code (exit 136); in LibTorch on a virtual machine this is oneDNN on a CPU that hides its cache topology: set EXPERIMENTS_ONEDNN=off")]
    [InlineData(134, "Stack overflow.", "stack overflow (worker process exit 134)")]
    [InlineData(134, "Process terminated. Corrupted state", "worker process terminated: Corrupted state (exit 134)")]
    [InlineData(3, null, "worker process exited unexpectedly (exit 3)")]
    [InlineData(0, null, "worker process exited unexpectedly (exit 0)")]
    public void Describes_how_the_worker_died(int exitCode, string? runtimeMessage, string expected)
        => Assert.Equal(expected, CrashDiagnosis.Describe(exitCode, runtimeMessage));

    [Fact]
    public void The_report_keeps_the_last_stderr_lines_and_remembers_the_runtimes_message()
    {
        var stderr = new StderrMonitor(capacity: 3);
        stderr.Add("Stack overflow.");
        for (var i = 0; i < 10; i++)
        {
            stderr.Add($"   at Recurse() line {i}");
        }

        var report = CrashDiagnosis.Report(134, stderr);

        Assert.StartsWith("stack overflow (worker process exit 134)", report);
        Assert.Contains("line 9", report);
        Assert.DoesNotContain("line 6", report);
    }
}
