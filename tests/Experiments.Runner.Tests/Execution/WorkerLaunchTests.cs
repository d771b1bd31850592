using Experiments.Runner.Execution.Host;

namespace Experiments.Runner.Tests.Execution;

public sealed class WorkerLaunchTests
{
    [Fact]
    public void Workers_start_the_same_program_with_the_worker_command_and_wait_passively_when_sharing_cores()
    {
        var launch = new WorkerLaunch("/usr/bin/dotnet", ["exec", "/app/X.dll", WorkerLaunch.WorkerCommand]);
        string? own = Environment.GetEnvironmentVariable(WorkerLaunch.OpenMpWaitPolicy);

        var info = launch.ToStartInfo();

        Assert.Equal("/usr/bin/dotnet", info.FileName);
        Assert.Equal(["exec", "/app/X.dll", "worker"], info.ArgumentList);
        Assert.True(info.RedirectStandardInput && info.RedirectStandardOutput && info.RedirectStandardError);
        // One worker keeps OpenMP's default (spinning is faster alone); several wait passively so they do not starve
        // each other; the user's own setting is kept either way.
        Assert.Equal(string.IsNullOrEmpty(own) ? null : own, info.Environment.TryGetValue(WorkerLaunch.OpenMpWaitPolicy, out var single) ? single : null);
        var shared = launch.ForWorkers(2).ToStartInfo();
        Assert.Equal(string.IsNullOrEmpty(own) ? "PASSIVE" : own, shared.Environment[WorkerLaunch.OpenMpWaitPolicy]);
    }

    [Fact]
    public void Several_workers_share_the_cores_out_unless_the_user_sized_the_thread_pools()
    {
        var launch = new WorkerLaunch("/app/X", [WorkerLaunch.WorkerCommand]);
        bool userSet = WorkerLaunch.ThreadCountVariables.Any(v => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(v)));

        var one = launch.ForWorkers(1);
        var many = launch.ForWorkers(Environment.ProcessorCount * 2);
        var two = launch.ForWorkers(2);

        Assert.Null(one.ComputeThreads);
        Assert.Equal(1, many.ComputeThreads);
        Assert.Equal(Math.Max(1, Environment.ProcessorCount / 2), two.ComputeThreads);
        if (!userSet)
        {
            var info = two.ToStartInfo();
            Assert.All(WorkerLaunch.ThreadCountVariables, v => Assert.Equal(two.ComputeThreads.ToString(), info.Environment[v]));
            Assert.DoesNotContain(one.ToStartInfo().Environment, e => e.Key == "OMP_NUM_THREADS" && e.Value == "1" && Environment.ProcessorCount > 1);
        }
    }
}
