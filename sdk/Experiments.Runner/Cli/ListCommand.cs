using System.CommandLine;
using System.Globalization;
using Experiments.Results;
using Experiments.Runner.Filtering;
using Experiments.Runner.Terminal;
using Spectre.Console;

namespace Experiments.Runner.Cli;

/// <summary>
/// <c>list</c>: every trial of the matrix with its parameters and its status in the store; for running trials, who
/// runs them (host, process id) and how old their last heartbeat is, so a cluster run shows which task does what.
/// </summary>
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
            var running = RunningOf(store, experiment.Name, records.Values);
            var now = DateTimeOffset.UtcNow;
            var rows = experiment.Trials
                .Where(filter.Matches)
                .Select(t => (Trial: t, Status: records.TryGetValue(t.Id, out var r) ? r.Status : TrialStatus.Pending,
                    Who: running.TryGetValue(t.Id, out var who) ? WhoText(who, now) : string.Empty))
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

    /// <summary>The running trials by id, with their heartbeats when the store keeps them.</summary>
    private static Dictionary<string, RunningTrial> RunningOf(IResultStore? store, string experiment, IEnumerable<TrialRecord> records)
    {
        var running = store is IRunningTrials withHeartbeats
            ? withHeartbeats.GetRunning(experiment)
            : records.Where(r => r.Status == TrialStatus.Running)
                .Select(r => new RunningTrial(r.TrialId, r.Attempt, WorkerIdentity.Parse(r.Worker), r.StartedAt, null))
                .ToArray();
        return running.ToDictionary(r => r.TrialId, StringComparer.Ordinal);
    }

    /// <summary><c>node-3 pid 4711, heartbeat 4s ago</c>: enough to find the process and to see a dead one.</summary>
    internal static string WhoText(RunningTrial running, DateTimeOffset now)
    {
        var who = running.Worker is { } worker
            ? string.Create(CultureInfo.InvariantCulture, $"{worker.Host} pid {worker.ProcessId}")
            : "unknown worker";
        return running.HeartbeatAt is { } beat ? $"{who}, heartbeat {AgeText(now - beat)} ago" : who;
    }

    internal static string AgeText(TimeSpan age)
    {
        var seconds = Math.Max(0, (long)age.TotalSeconds);
        return seconds switch
        {
            < 60 => string.Create(CultureInfo.InvariantCulture, $"{seconds}s"),
            < 3600 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}m {seconds % 60}s"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}h {seconds % 3600 / 60}m"),
        };
    }

    private static void WritePlain(string heading, IReadOnlyList<(Trial Trial, TrialStatus Status, string Who)> rows)
    {
        Console.Out.WriteLine(heading);
        foreach (var (trial, status, who) in rows)
        {
            var parameters = string.Join(' ', trial.Parameters.Select(p => $"{p.Name}={p.Display}"));
            Console.Out.WriteLine($"  {StatusText(status),-11} {trial.Id}  {parameters}{(who.Length > 0 ? $"  [{who}]" : string.Empty)}");
        }
    }

    private static void WriteTable(ExperimentDefinition experiment, string heading, IReadOnlyList<(Trial Trial, TrialStatus Status, string Who)> rows)
    {
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(heading));
        table.AddColumn("Trial");
        foreach (var parameter in experiment.Parameters)
        {
            table.AddColumn(Markup.Escape(parameter.Name));
        }
        table.AddColumn("Status");
        var anyRunning = rows.Any(r => r.Who.Length > 0);
        if (anyRunning)
        {
            table.AddColumn("Running on");
        }
        foreach (var (trial, status, who) in rows)
        {
            var cells = new List<string> { Markup.Escape(trial.Id) };
            cells.AddRange(trial.Parameters.Select(p => Markup.Escape(p.Display)));
            cells.Add($"[{StatusColour(status)}]{StatusText(status)}[/]");
            if (anyRunning)
            {
                cells.Add(Markup.Escape(who));
            }
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
