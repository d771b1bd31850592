using Experiments.Results;
using Experiments.Runner.Cli;
using Experiments.Runner.Tests.Infrastructure;

namespace Experiments.Runner.Tests.Cluster;

/// <summary><c>list</c> says who runs what: host, process id and the age of the last heartbeat.</summary>
public sealed class ListRunningTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task A_running_trial_is_listed_with_its_host_pid_and_heartbeat_age()
    {
        _workspace.Environment["FIXTURE_SLOW_MS"] = "20000";
        using var host = _workspace.Start("run", "--experiment", "Slow");
        await _workspace.WaitForStartAsync("step=1", host);

        var list = await _workspace.RunAsync("list", "--experiment", "Slow");
        host.Process.Kill(entireProcessTree: true);

        Assert.True(list.ExitCode == 0, list.ToString());
        var line = Assert.Single(list.Lines, l => l.Contains("step=1#1", StringComparison.Ordinal));
        Assert.Matches($@"^\s+running\s+step=1#1 .*\[{Environment.MachineName} pid {host.Process.Id}, heartbeat \d+s ago\]$", line);
        Assert.DoesNotContain("[", Assert.Single(list.Lines, l => l.Contains("step=2#1", StringComparison.Ordinal)));
    }

    [Fact]
    public void Who_text_without_a_heartbeat_names_the_worker_only()
    {
        var running = new RunningTrial("t#1", 1, new WorkerIdentity("node-7", 99, "s"), null, null);
        Assert.Equal("node-7 pid 99", ListCommand.WhoText(running, DateTimeOffset.UtcNow));
        var beat = DateTimeOffset.UtcNow;
        Assert.Equal("node-7 pid 99, heartbeat 2m 5s ago", ListCommand.WhoText(running with { HeartbeatAt = beat }, beat.AddSeconds(125)));
    }
}
