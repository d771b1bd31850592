using System.CommandLine;
using Experiments.Results;
using Experiments.Runner.Filtering;
using Experiments.Runner.Terminal;
using Spectre.Console;

namespace Experiments.Runner.Cli;

/// <summary><c>list</c>: every trial of the matrix with its parameters and its status in the store.</summary>
internal static class ListCommand
{
    public static Command Create(IReadOnlyList<ExperimentDefinition> experiments, ProjectSettings settings)
    {
        var filter = CommonOptions.Filter();
        var experiment = CommonOptions.Experiment();
        var store = CommonOptions.Store();
        var command = new Command("list", "List every trial with its parameters and status (pending, running, passed, failed, interrupted).")
        {
            filter,
            experiment,
            store,
        };
        command.SetAction(result => CommandErrors.Guard(() => Execute(
            experiments,
            settings.WithOverrides(result.GetValue(store), null),
            result.GetValue(experiment),
            result.GetValue(filter))));
        return command;
    }

    private static int Execute(IReadOnlyList<ExperimentDefinition> all, ProjectSettings settings, string? name, string? filterText)
    {
        var selected = ExperimentSelection.Filters(ExperimentSelection.Select(all, name), filterText);
        using var store = StoreAccess.OpenExisting(StoreAccess.Locate(settings));
        var interactive = ConsoleMode.IsInteractive;
        var total = 0;
        foreach (var (experiment, filter) in selected)
        {
            var records = store?.GetTrials(experiment.Name).ToDictionary(r => r.TrialId, StringComparer.Ordinal)
                ?? new Dictionary<string, TrialRecord>(StringComparer.Ordinal);
            var rows = experiment.Trials
                .Where(filter.Matches)
                .Select(t => (Trial: t, Status: records.TryGetValue(t.Id, out var r) ? r.Status : TrialStatus.Pending))
                .ToArray();
            total += rows.Length;
            var counts = string.Join(", ", rows.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} {StatusText(g.Key)}"));
            var heading = $"{experiment.Name}: {rows.Length} trials{(rows.Length > 0 ? $" ({counts})" : string.Empty)}";
            if (interactive)
            {
                WriteTable(experiment, heading, rows);
            }
            else
            {
                WritePlain(heading, rows);
            }
        }
        Console.Out.WriteLine(total == 1 ? "1 trial" : $"{total} trials");
        return 0;
    }

    private static void WritePlain(string heading, IReadOnlyList<(Trial Trial, TrialStatus Status)> rows)
    {
        Console.Out.WriteLine(heading);
        foreach (var (trial, status) in rows)
        {
            var parameters = string.Join(' ', trial.Parameters.Select(p => $"{p.Name}={p.Display}"));
            Console.Out.WriteLine($"  {StatusText(status),-11} {trial.Id}  {parameters}");
        }
    }

    private static void WriteTable(ExperimentDefinition experiment, string heading, IReadOnlyList<(Trial Trial, TrialStatus Status)> rows)
    {
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(heading));
        table.AddColumn("Trial");
        foreach (var parameter in experiment.Parameters)
        {
            table.AddColumn(Markup.Escape(parameter.Name));
        }
        table.AddColumn("Status");
        foreach (var (trial, status) in rows)
        {
            var cells = new List<string> { Markup.Escape(trial.Id) };
            cells.AddRange(trial.Parameters.Select(p => Markup.Escape(p.Display)));
            cells.Add($"[{StatusColour(status)}]{StatusText(status)}[/]");
            table.AddRow(cells.ToArray());
        }
        AnsiConsole.Write(table);
    }

    internal static string StatusText(TrialStatus status) => status.ToString().ToLowerInvariant();

    private static string StatusColour(TrialStatus status) => status switch
    {
        TrialStatus.Passed => "green",
        TrialStatus.Failed => "red",
        TrialStatus.Running => "blue",
        TrialStatus.Interrupted => "yellow",
        _ => "grey",
    };
}
