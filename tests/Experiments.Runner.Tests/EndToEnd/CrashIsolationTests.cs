using Experiments.Results;
using Experiments.Runner.Tests.Infrastructure;

namespace Experiments.Runner.Tests.EndToEnd;

/// <summary>Trials that fail in every way, including taking their worker process down, in one sweep.</summary>
public sealed class CrashIsolationTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Every_failure_is_recorded_with_its_reason_and_the_sweep_goes_on()
    {
        var run = await _workspace.RunAsync("run", "--experiment", "Crash");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal((2, 6, 0), run.Closing);
        var lines = run.TrialLines.ToDictionary(l => l.TrialId);
        Assert.Equal("System.InvalidOperationException: the model exploded", lines["throw#1"].Details);
        Assert.Equal("metric 'train_loss' is NaN (epoch 2)", lines["nan#1"].Details);
        Assert.StartsWith("out of memory:", lines["oom#1"].Details);
        Assert.Equal("stack overflow (worker process exit 134)", lines["stack-overflow#1"].Details);
        Assert.Equal("killed (SIGKILL, possibly out of memory) (exit 137)", lines["sigkill#1"].Details);
        Assert.Equal("worker process crashed: SIGSEGV (exit 139)", lines["sigsegv#1"].Details);
        Assert.True(lines["pass-after#1"].Passed, run.ToString());

        var trials = _workspace.Trials("Crash").ToDictionary(t => t.TrialId);
        Assert.Equal(TrialStatus.Passed, trials["pass#1"].Status);
        Assert.Equal(TrialStatus.Passed, trials["pass-after#1"].Status);
        Assert.All(trials.Values.Where(t => !t.TrialId.StartsWith("pass", StringComparison.Ordinal)), t => Assert.Equal(TrialStatus.Failed, t.Status));

        // The store keeps the whole story: the stack trace, and the crashed worker's last words.
        Assert.Contains("at RunnerFixture.CrashExperiment", trials["throw#1"].Error);
        Assert.Contains("starting sigsegv#1", trials["sigsegv#1"].Error);
        Assert.DoesNotContain("starting sigkill#1", trials["sigsegv#1"].Error);

        // Caught failures keep the worker; crashes replace it.
        var before = (int)trials["pass#1"].Metrics["worker_pid"];
        var after = (int)trials["pass-after#1"].Metrics["worker_pid"];
        Assert.NotEqual(before, after);
    }

    [Fact]
    public async Task Caught_failures_keep_the_same_worker()
    {
        var run = await _workspace.RunAsync("run", "--experiment", "Crash", "--filter", "Mode=pass,throw,nan,oom");

        Assert.Equal((1, 3, 0), run.Closing);
        var workerPids = Directory.GetFiles(_workspace.MarkerDirectory, "*.started")
            .Select(f => Path.GetFileName(f).Split('.')[^2])
            .Distinct()
            .ToArray();
        Assert.Single(workerPids);
    }
}
