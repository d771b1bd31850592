using Experiments.Results;
using Experiments.Runner.Tests.Infrastructure;

namespace Experiments.Runner.Tests.EndToEnd;

/// <summary>Stopping a sweep: by signal (clean, interrupted trial retried) and by kill -9 (nothing completed lost).</summary>
public sealed class InterruptionTests : IDisposable
{
    private const int SigInt = 2;
    private const int SigKill = 9;
    private const int SigTerm = 15;

    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Theory]
    [InlineData(SigTerm, 143)]
    [InlineData(SigInt, 130)]
    public async Task A_signal_interrupts_the_running_trial_and_the_next_run_completes_it(int signal, int exitCode)
    {
        _workspace.Environment["FIXTURE_SLOW_MS"] = "20000";
        using var host = _workspace.Start("run", "--experiment", "Slow");
        await _workspace.WaitForStartAsync("step=1", host);

        if (IsIgnored(Environment.ProcessId, signal))
        {
            // Tests started with the signal ignored (nohup, a background job of a script): POSIX passes that on to
            // children and the run keeps it, as it should. Only the inheritance can be checked here.
            Assert.True(IsIgnored(host.Process.Id, signal), "the run should keep a signal its parent ignored");
            host.Process.Kill(entireProcessTree: true);
            return;
        }
        host.Signal(signal);
        var run = await host.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(run.ExitCode == exitCode, run.ToString());
        var line = Assert.Single(run.TrialLines);
        Assert.Equal(("step=1#1", false), (line.TrialId, line.Passed));
        Assert.StartsWith("interrupted", line.Details);
        Assert.Equal((0, 1, 0), run.Closing);
        var trials = _workspace.Trials("Slow").ToDictionary(t => t.TrialId);
        Assert.Equal(TrialStatus.Interrupted, trials["step=1#1"].Status);
        Assert.Equal(TrialStatus.Pending, trials["step=2#1"].Status);

        _workspace.Environment["FIXTURE_SLOW_MS"] = "100";
        var next = await _workspace.RunAsync("run", "--experiment", "Slow", "--filter", "step=1");
        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.Equal((1, 0, 0), next.Closing);
        Assert.Equal(2, _workspace.Attempts("Slow")["step=1#1"]);
    }

    [Fact]
    public async Task Kill_9_of_the_host_loses_no_completed_trial_and_the_next_run_finishes_the_rest()
    {
        _workspace.Environment["FIXTURE_SLOW_MS"] = "600";
        using var host = _workspace.Start("run", "--experiment", "Slow");
        var workerPid = await _workspace.WaitForStartAsync("step=2", host);

        host.Signal(SigKill);
        await host.Process.WaitForExitAsync();

        // The store opens and reads; the finished trial is there, the one in flight is still marked running.
        var trials = _workspace.Trials("Slow").ToDictionary(t => t.TrialId);
        Assert.Equal(TrialStatus.Passed, trials["step=1#1"].Status);
        Assert.Equal(TrialStatus.Running, trials["step=2#1"].Status);

        // The orphaned worker notices its host is gone and leaves.
        await WaitForExitAsync(workerPid, TimeSpan.FromSeconds(15));

        _workspace.Environment["FIXTURE_SLOW_MS"] = "100";
        var next = await _workspace.RunAsync("run", "--experiment", "Slow");
        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.Contains("left running by a run that died will run again", next.StandardOutput);
        Assert.Equal((3, 0, 0), next.Closing);
        var attempts = _workspace.Attempts("Slow");
        Assert.Equal(1, attempts["step=1#1"]);
        Assert.Equal(2, attempts["step=2#1"]);
        Assert.All(_workspace.Trials("Slow"), t => Assert.Equal(TrialStatus.Passed, t.Status));
    }

    private static async Task WaitForExitAsync(int pid, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                if (process.HasExited)
                {
                    return;
                }
            }
            catch (ArgumentException)
            {
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail($"worker {pid} outlived its host by {timeout}");
    }

    /// <summary>Whether a process ignores a signal (Linux: the SigIgn mask of /proc/PID/status).</summary>
    private static bool IsIgnored(int pid, int signal)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null
            && (ulong.Parse(line["SigIgn:".Length..].Trim(), System.Globalization.NumberStyles.HexNumber) & (1UL << (signal - 1))) != 0;
    }
}
