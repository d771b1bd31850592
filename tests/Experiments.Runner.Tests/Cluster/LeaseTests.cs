using Experiments.Results;
using Experiments.Runner.Execution.Host;
using Experiments.Runner.Tests.Infrastructure;
using Experiments.Store.Sqlite;

namespace Experiments.Runner.Tests.Cluster;

/// <summary>
/// A trial left running on another machine: never released by a process-id check here, claimable again once its
/// heartbeat is older than <c>run --lease</c>.
/// </summary>
public sealed class LeaseTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public void Only_workers_of_this_host_are_checked_by_process_id()
    {
        var identity = new HostIdentity();
        // A process id that cannot exist here: on this host the worker is dead, on another it is left to the lease.
        Assert.False(identity.IsAlive(new WorkerIdentity(Environment.MachineName, int.MaxValue, "gone")));
        Assert.True(identity.IsAlive(new WorkerIdentity("some-other-node", int.MaxValue, "gone")));
        Assert.True(identity.IsAlive(identity.ForSlot(0)));
    }

    [Fact]
    public async Task A_trial_of_another_host_is_claimed_again_only_after_the_lease()
    {
        // The small trials passed in a first run; then two trials claimed by a node elsewhere: one beat 40 s ago, one just now.
        var first = await _workspace.RunAsync("run", "-e", "Fast", "--filter", "Arch=small");
        Assert.True(first.ExitCode == 0, first.ToString());
        var elsewhere = new WorkerIdentity("node-elsewhere", 4711, "s1");
        using (var stale = new SqliteResultStore(_workspace.StorePath, new FixedClock(DateTimeOffset.UtcNow.AddSeconds(-40))))
        {
            Assert.Equal(1, stale.TryClaim("Fast", "tiny/lr=0.01#1", elsewhere, DateTimeOffset.UtcNow, false, TimeSpan.FromMinutes(1)));
        }
        using (var fresh = new SqliteResultStore(_workspace.StorePath))
        {
            Assert.Equal(1, fresh.TryClaim("Fast", "tiny/lr=0.1#1", elsewhere, DateTimeOffset.UtcNow, false, TimeSpan.FromMinutes(1)));
        }

        var run = await _workspace.RunAsync("run", "-e", "Fast", "--lease", "30");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain("left running by a run that died", run.StandardOutput);
        Assert.Equal((3, 0, 1), run.Closing); // the trial with a live lease is skipped, not run
        var trials = _workspace.Trials("Fast").ToDictionary(t => t.TrialId);
        Assert.Equal((TrialStatus.Passed, 2), (trials["tiny/lr=0.01#1"].Status, trials["tiny/lr=0.01#1"].Attempt));
        Assert.Equal(TrialStatus.Running, trials["tiny/lr=0.1#1"].Status);
        Assert.Equal(elsewhere.ToString(), trials["tiny/lr=0.1#1"].Worker);
    }

    [Fact]
    public async Task A_lease_shorter_than_three_heartbeats_is_a_usage_error()
    {
        var run = await _workspace.RunAsync("run", "-e", "Fast", "--lease", "5");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--lease 5 is too short", run.StandardError + run.StandardOutput);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
