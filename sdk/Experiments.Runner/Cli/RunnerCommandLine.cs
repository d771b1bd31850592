using System.CommandLine;
using Experiments.Runner.Cli.Deploy;
using Experiments.Runner.Data;

namespace Experiments.Runner.Cli;

/// <summary>The command tree of an experiment project.</summary>
internal static class RunnerCommandLine
{
    public static RootCommand Create(IReadOnlyList<ExperimentDefinition> experiments, ProjectSettings settings)
    {
        var names = string.Join(", ", experiments.Select(e => $"{e.Name} ({e.MatrixSize} trials)"));
        var root = new RootCommand(
            $"Runs the experiments of this project test-runner style. Experiments: {(names.Length > 0 ? names : "none")}. "
            + $"Results: {settings.StorePath}. With no command, 'run' is assumed.")
        {
            ListCommand.Create(experiments, settings),
            RunCommand.Create(experiments, settings),
            ReportCommand.Create(experiments, settings),
            ExportCommand.Create(experiments, settings),
            DataCommand.Create(DatasetSourceDiscovery.FromEntryAssembly),
            MergeCommand.Create(),
            DeployCommand.Create(experiments, settings),
            WorkerCommand.Create(experiments),
        };
        return root;
    }
}
