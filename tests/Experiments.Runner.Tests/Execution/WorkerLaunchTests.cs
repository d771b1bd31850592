using Experiments.Running.Execution;

namespace Experiments.Runner.Tests.Execution;

public sealed class WorkerLaunchTests
{
    [Fact]
    public void Workers_start_the_same_program_with_the_worker_command_and_passive_openmp_threads()
    {
        var launch = new WorkerLaunch("/usr/bin/dotnet", ["exec", "/app/X.dll", WorkerLaunch.WorkerCommand]);
        string? own = Environment.GetEnvironmentVariable(WorkerLaunch.OpenMpWaitPolicy);

        var info = launch.ToStartInfo();

        Assert.Equal("/usr/bin/dotnet", info.FileName);
        Assert.Equal(["exec", "/app/X.dll", "worker"], info.ArgumentList);
        Assert.True(info.RedirectStandardInput && info.RedirectStandardOutput && info.RedirectStandardError);
        // Spinning OpenMP threads starve every other process on the cores; the user's own setting is kept.
        Assert.Equal(string.IsNullOrEmpty(own) ? "PASSIVE" : own, info.Environment[WorkerLaunch.OpenMpWaitPolicy]);
    }
}
