using System.CommandLine;
using Experiments.Runner.Reporting;

namespace Experiments.Runner.Cli;

/// <summary><c>report</c>: writes the Markdown report from the store, running nothing.</summary>
internal static class ReportCommand
{
    public static Command Create(IReadOnlyList<ExperimentDefinition> experiments, ProjectSettings settings)
    {
        var experiment = CommonOptions.Experiment();
        var store = CommonOptions.Store();
        var output = CommonOptions.ReportDirectory();
        var command = new Command("report", "Write the Markdown report of each experiment from the results store (runs nothing).")
        {
            experiment,
            store,
            output,
        };
        command.SetAction(result => CommandErrors.Guard(() =>
        {
            var selected = ExperimentSelection.Select(experiments, result.GetValue(experiment));
            var resolved = settings.WithOverrides(result.GetValue(store), result.GetValue(output));
            return StoredResults.ForEach(resolved, selected, (resultStore, info) =>
            {
                var path = ReportWriter.WriteMarkdown(resultStore, info, resolved, device: null);
                Console.Out.WriteLine($"Report: {path}");
            });
        }));
        return command;
    }
}
