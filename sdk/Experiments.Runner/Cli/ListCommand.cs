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
/// Rows are written as the trials are found, and each experiment's counts come after its rows.
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

    /// <summary>Interactive <c>list</c> draws a table up to this many rows of an experiment; beyond, it streams plain lines.</summary>
    internal const int MaxTableRows = 1000;

    private static int Execute(IReadOnlyList<ExperimentDefinition> all, ProjectSettings settings, string? name, string? filterText)
    {
        var selected = ExperimentSelection.Filters(ExperimentSelection.Select(all, name), filterText);
        using var store = StoreAccess.OpenExisting(StoreAccess.Locate(settings));
        var interactive = ConsoleMode.IsInteractive;
        long total = 0;
        foreach (var (experiment, filter) in selected)
        {
            var records = store?.GetTrials(experiment.Name).ToDictionary(r => r.TrialId, StringComparer.Ordinal)
                ?? new Dictionary<string, TrialRecord>(StringComparer.Ordinal);
            var running = RunningOf(store, experiment.Name, records.Values);
            var now = DateTimeOffset.UtcNow;
            // Streamed: the filter hands its parameter clauses to the matrix's index arithmetic, so the trials come as
            // they are found (the first at once, even in a matrix of a billion) and the counts follow the rows.
            var rows = filter.Select(experiment)
                .Select(t => new Row(t, records.TryGetValue(t.Id, out var r) ? r.Status : TrialStatus.Pending,
                    running.TryGetValue(t.Id, out var who) ? WhoText(who, now) : string.Empty));
            var counts = new SortedDictionary<TrialStatus, long>();
            total += interactive ? WriteTableOrLines(experiment, rows, counts) : WriteLines(experiment.Name, rows, counts, []);
        }
        Console.Out.WriteLine(total == 1 ? "1 trial" : $"{total} trials");
        return 0;
    }

    private readonly record struct Row(Trial Trial, TrialStatus Status, string Who);

    /// <summary><c>Fast: 8 trials (5 pending, 3 passed)</c>.</summary>
    private static string Summary(string experiment, long count, SortedDictionary<TrialStatus, long> counts)
        => $"{experiment}: {count} trials{(count > 0 ? $" ({string.Join(", ", counts.Select(c => $"{c.Value} {StatusText(c.Key)}"))})" : string.Empty)}";

    private static void Tally(SortedDictionary<TrialStatus, long> counts, TrialStatus status)
        => counts[status] = counts.GetValueOrDefault(status) + 1;

    /// <summary>The experiment's name, one line per trial as it comes, then the summary; returns the number of trials.</summary>
    private static long WriteLines(string experiment, IEnumerable<Row> rows, SortedDictionary<TrialStatus, long> counts, IReadOnlyList<Row> alreadyCounted)
    {
        Console.Out.WriteLine($"{experiment}:");
        long count = 0;
        foreach (var row in alreadyCounted)
        {
            WriteLine(row);
            count++;
        }
        foreach (var row in rows)
        {
            WriteLine(row);
            Tally(counts, row.Status);
            count++;
        }
        Console.Out.WriteLine(Summary(experiment, count, counts));
        return count;
    }

    private static void WriteLine(Row row)
    {
        var parameters = string.Join(' ', row.Trial.Parameters.Select(p => $"{p.Name}={p.Display}"));
        Console.Out.WriteLine($"  {StatusText(row.Status),-11} {row.Trial.Id}  {parameters}{(row.Who.Length > 0 ? $"  [{row.Who}]" : string.Empty)}");
    }

    /// <summary>A table when the experiment's rows are at most <see cref="MaxTableRows"/>; else streamed lines.</summary>
    private static long WriteTableOrLines(ExperimentDefinition experiment, IEnumerable<Row> rows, SortedDictionary<TrialStatus, long> counts)
    {
        var buffered = new List<Row>();
        using var enumerator = rows.GetEnumerator();
        while (enumerator.MoveNext())
        {
            buffered.Add(enumerator.Current);
            Tally(counts, enumerator.Current.Status);
            if (buffered.Count > MaxTableRows)
            {
                return WriteLines(experiment.Name, Rest(enumerator), counts, buffered);
            }
        }
        WriteTable(experiment, Summary(experiment.Name, buffered.Count, counts), buffered);
        return buffered.Count;
    }

    private static IEnumerable<Row> Rest(IEnumerator<Row> enumerator)
    {
        while (enumerator.MoveNext())
        {
            yield return enumerator.Current;
        }
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

    private static void WriteTable(ExperimentDefinition experiment, string heading, IReadOnlyList<Row> rows)
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
