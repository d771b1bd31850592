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
/// Rows are written as the trials are found, and each experiment's counts come after its rows. A successive-halving
/// experiment lists the trials that run or may run: its first rung's, and those the store has registered at higher rungs
/// (promotions); after its counts, one line per rung (how many configurations reach it at least) and the budget that
/// costs next to a grid's.
/// </summary>
internal static class ListCommand
{
    public static Command Create(IReadOnlyList<ExperimentDefinition> experiments, ProjectSettings settings)
    {
        var filter = CommonOptions.Filter();
        var experiment = CommonOptions.Experiment();
        var store = CommonOptions.Store();
        var command = new Command("list", "List every trial with its parameters and status (pending, running, passed, failed, interrupted); for successive halving, the first rung's and the promoted trials, and the trials and budget per rung.")
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
            var rungs = experiment.Search.IsAdaptive ? new RungTally(experiment) : null;
            var trials = rungs is null ? filter.Select(experiment) : rungs.Listed(filter.Select(experiment), records);
            var rows = trials
                .Select(t => new Row(t, records.TryGetValue(t.Id, out var r) ? r.Status : TrialStatus.Pending,
                    running.TryGetValue(t.Id, out var who) ? WhoText(who, now) : string.Empty));
            var counts = new SortedDictionary<TrialStatus, long>();
            total += interactive ? WriteTableOrLines(experiment, rows, counts) : WriteLines(experiment.Name, rows, counts, []);
            foreach (var line in rungs?.Lines() ?? [])
            {
                Console.Out.WriteLine(line);
            }
        }
        Console.Out.WriteLine(total == 1 ? "1 trial" : $"{total} trials");
        return 0;
    }

    private readonly record struct Row(Trial Trial, TrialStatus Status, string Who);

    /// <summary>
    /// The rows and rung lines of a successive-halving experiment. Of the filter's selection (every rung), it lists the
    /// first rung's trials, where every configuration starts, and the higher-rung trials the store knows (registered when
    /// their configuration was promoted); it counts the selection's configurations (values other than the budget) and
    /// repeats as they pass, for <see cref="Lines"/>.
    /// </summary>
    private sealed class RungTally(ExperimentDefinition experiment)
    {
        private readonly SearchSettings _search = experiment.Search;
        private readonly HashSet<string> _configurations = new(StringComparer.Ordinal);
        private readonly HashSet<int> _repeats = [];

        public IEnumerable<Trial> Listed(IEnumerable<Trial> selection, IReadOnlyDictionary<string, TrialRecord> records)
        {
            foreach (var trial in selection)
            {
                var parameters = trial.Parameters.Select(p => KeyValuePair.Create(p.Name, p.Display)).ToArray();
                _configurations.Add(SuccessiveHalving.ConfigurationOf(parameters, _search.BudgetParameter!));
                _repeats.Add(trial.Repeat);
                if (experiment.RungOf(trial) == 0 || records.ContainsKey(trial.Id))
                {
                    yield return trial;
                }
            }
        }

        /// <summary>
        /// <c>rung 1  epochs=3  at least 3 configurations x 2 repeats = 6 trials</c> per rung, then the budget they spend
        /// (restarting at each rung, or continuing from the rung below) next to a grid's, which runs every configuration
        /// at the top rung.
        /// </summary>
        public IEnumerable<string> Lines()
        {
            var key = experiment.Parameters.First(p => p.Name == _search.BudgetParameter).Key;
            var configurations = _configurations.Count;
            var repeats = _repeats.Count;
            var perRung = _search.ConfigurationsPerRung(configurations);
            yield return $"{experiment.Name}: successive halving over {key}, reduction factor {_search.ReductionFactor}";
            var width = _search.Rungs.Max(r => r.ToString(CultureInfo.InvariantCulture).Length);
            for (var rung = 0; rung < perRung.Count; rung++)
            {
                var budget = _search.Rungs[rung].ToString(CultureInfo.InvariantCulture).PadRight(width);
                yield return string.Create(CultureInfo.InvariantCulture,
                    $"  rung {rung}  {key}={budget}  at least {Count(perRung[rung], "configuration")} x {Count(repeats, "repeat")} = {Count((long)perRung[rung] * repeats, "trial")}");
            }
            var restarting = _search.BudgetSpent(perRung, continues: false) * repeats;
            var continuing = _search.BudgetSpent(perRung, continues: true) * repeats;
            var grid = (long)configurations * repeats * _search.MaxBudget;
            yield return string.Create(CultureInfo.InvariantCulture,
                $"  {key} spent: {restarting} restarting at each rung, {continuing} continuing from the rung below; a grid: {grid} ({Count(configurations, "configuration")} x {Count(repeats, "repeat")} x {_search.MaxBudget})");
        }

        private static string Count(long count, string noun)
            => string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? string.Empty : "s")}");
    }

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
