using System.CommandLine;
using Experiments.Runner.Execution.Host;
using Experiments.Runner.Execution.Worker;

namespace Experiments.Runner.Cli;

/// <summary>The hidden <c>worker</c> command: this program started by its own <c>run</c> to execute trials.</summary>
internal static class WorkerCommand
{
    public static Command Create(IReadOnlyList<ExperimentDefinition> experiments)
    {
        var command = new Command(WorkerLaunch.WorkerCommand, "Serve trials to a host process over stdin/stdout (started by run).")
        {
            Hidden = true,
        };
        command.SetAction((_, _) => WorkerHost.RunAsync(experiments));
        return command;
    }
}
