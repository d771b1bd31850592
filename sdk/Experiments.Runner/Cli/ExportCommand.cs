using System.CommandLine;
using Experiments.Runner.Reporting;

namespace Experiments.Runner.Cli;

/// <summary>
/// <c>export csv</c>: one row per trial from the store (trial id and configuration, one column per parameter, the model
/// family, the standard metrics such as <c>error_rate</c> and <c>fit_time</c>, the other metrics and the run's bookkeeping).
/// </summary>
internal static class ExportCommand
{
    public static Command Create(IReadOnlyList<ExperimentDefinition> experiments, ProjectSettings settings)
    {
        var export = new Command("export", "Export results from the store.");
        export.Subcommands.Add(CreateCsv(experiments, settings));
        return export;
    }

    private static Command CreateCsv(IReadOnlyList<ExperimentDefinition> experiments, ProjectSettings settings)
    {
        var experiment = CommonOptions.Experiment();
        var store = CommonOptions.Store();
        var output = new Option<string?>("--output", "-o")
        {
            Description = "The CSV file to write, or an existing folder (default: <reports>/<experiment>.csv).",
        };
        var command = new Command("csv", "Write every trial of each experiment as CSV.")
        {
            experiment,
            store,
            output,
        };
        command.SetAction(result => CommandErrors.Guard(() =>
        {
            var selected = ExperimentSelection.Select(experiments, result.GetValue(experiment));
            var resolved = settings.WithOverrides(result.GetValue(store), null);
            var target = result.GetValue(output);
            var toFolder = target is null || Directory.Exists(target);
            if (!toFolder && selected.Count > 1)
            {
                throw new CliException("--output names one file but there are several experiments: add --experiment, or give a folder.");
            }
            return StoredResults.ForEach(resolved, selected, (resultStore, info) =>
            {
                var path = target is null
                    ? ReportWriter.DefaultCsvPath(resolved, info.Name)
                    : toFolder ? Path.Combine(target, Path.GetFileName(ReportWriter.DefaultCsvPath(resolved, info.Name))) : target;
                Console.Out.WriteLine($"CSV: {ReportWriter.WriteCsv(resultStore, info, Path.GetFullPath(path))}");
            });
        }));
        return command;
    }
}
