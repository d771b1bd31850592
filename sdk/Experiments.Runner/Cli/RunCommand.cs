using System.CommandLine;
using System.Runtime.ExceptionServices;
using Experiments.Results;
using Experiments.Runner.Execution.Host;
using Experiments.Runner.Filtering;
using Experiments.Runner.Reporting;
using Experiments.Runner.Terminal;
using Spectre.Console;

namespace Experiments.Runner.Cli;

/// <summary>
/// <c>run</c>: registers the matrix, frees trials abandoned by dead runs, runs the pending trials in worker processes,
/// prints one line per trial and the closing count, and writes the report.
/// </summary>
internal static class RunCommand
{
    /// <summary>Between beats, and by default how old a beat must be before another host may take the trial over.</summary>
    internal static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);
    internal static readonly TimeSpan DefaultLease = TimeSpan.FromSeconds(60);
    private static readonly int MinimumLeaseSeconds = (int)(3 * HeartbeatInterval.TotalSeconds);

    /// <summary>More workers than this per processor get a warning: they only slow each other down.</summary>
    internal const int WorkersPerProcessorWarning = 4;

    /// <summary>How long running trials get to honour cancellation after Ctrl+C / SIGTERM before their worker is killed.</summary>
    internal static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(5);

    public static Command Create(IReadOnlyList<ExperimentDefinition> experiments, ProjectSettings settings)
    {
        var filter = CommonOptions.Filter();
        var experiment = CommonOptions.Experiment();
        var store = CommonOptions.Store();
        var output = CommonOptions.ReportDirectory();
        var rerun = new Option<bool>("--rerun") { Description = "Run the selected trials again even if they passed." };
        var maxTrials = new Option<int?>("--max-trials") { Description = "Run at most this many trials in this invocation." };
        var workers = new Option<int?>("--workers", "-w")
        {
            Description = "Worker processes running trials side by side (default: 1, or one per device given to --device).",
        };
        var device = new Option<string>("--device", "-d")
        {
            Description = "Device the trials train on (e.g. cpu, cuda, cuda:0); a comma-separated list gives each worker its own.",
            DefaultValueFactory = _ => "cpu",
        };
        var shard = new Option<string?>("--shard") { Description = Shard.Syntax };
        var lease = new Option<int?>("--lease")
        {
            Description = $"Seconds without a heartbeat after which a trial another machine was running may be claimed again (default: {DefaultLease.TotalSeconds:0}; at least 3 heartbeats of {HeartbeatInterval.TotalSeconds:0} s).",
        };
        CommonOptions.WholeNumber(lease, MinimumLeaseSeconds, seconds =>
            $"--lease {seconds} is too short: at least {MinimumLeaseSeconds} seconds (3 heartbeats), or live trials would be taken over.");
        CommonOptions.WholeNumber(maxTrials, 1);
        CommonOptions.WholeNumber(workers, 1);

        var command = new Command("run", "Run the pending trials (all of them, or those --filter selects) and write the report.")
        {
            filter,
            rerun,
            maxTrials,
            workers,
            device,
            shard,
            lease,
            experiment,
            store,
            output,
        };
        command.SetAction((result, _) => CommandErrors.GuardAsync(() =>
        {
            Shard selectedShard;
            try
            {
                selectedShard = Shard.Parse(result.GetValue(shard));
            }
            catch (FormatException e)
            {
                throw new CliException(e.Message);
            }
            var devices = (result.GetValue(device) ?? "cpu").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var request = new RunRequest(
                ExperimentSelection.Filters(ExperimentSelection.Select(experiments, result.GetValue(experiment)), result.GetValue(filter)),
                result.GetValue(filter)?.Trim(),
                settings.WithOverrides(result.GetValue(store), result.GetValue(output)),
                result.GetValue(rerun),
                result.GetValue(maxTrials),
                result.GetValue(workers) ?? Math.Max(1, devices.Length),
                devices.Length == 0 ? ["cpu"] : devices,
                selectedShard,
                result.GetValue(lease) is { } seconds ? TimeSpan.FromSeconds(seconds) : DefaultLease);
            return ExecuteAsync(request);
        }));
        return command;
    }

    private static async Task<int> ExecuteAsync(RunRequest request)
    {
        using var shutdown = ShutdownSignal.Listen(CancelGrace);
        var outcome = await SweepExecution.RunAsync(request, shutdown, ShowAsync).ConfigureAwait(false);
        var tally = outcome.Tally;

        if (tally.StoreFailure is { } storeFailure)
        {
            // The results in the store are as far as it took them; no report of a sweep the store could not follow.
            PrintSummary(tally, [], [], shutdown);
            ExceptionDispatchInfo.Throw(storeFailure);
        }

        PrintSummary(tally, outcome.Reports, outcome.ReportErrors, shutdown);

        if (shutdown.Signal is not null)
        {
            return shutdown.ExitCode;
        }
        if (tally.NotReady.Count > 0)
        {
            // The environment, not a trial, is what needs fixing: the exit code of a usage or set-up error.
            return ExitCodes.Usage;
        }
        return tally.Failed > 0 || tally.Errors.Count > 0 || outcome.ReportErrors.Count > 0 ? ExitCodes.TrialsFailed : ExitCodes.Success;
    }

    /// <summary>A live display on a terminal, plain lines when redirected.</summary>
    private static Task ShowAsync(Func<ISweepView, Task<int>> sweep)
        => ConsoleMode.IsInteractive ? LiveSweepView.RunAsync(AnsiConsole.Console, sweep) : sweep(new PlainSweepView(Console.Out));

    /// <summary>
    /// The trials the store learns of: the whole matrix, so the report counts what is still pending, while it holds at
    /// most <see cref="RegisterWholeMatrixUpTo"/> trials; beyond that only this run's selection (filter and shard), so
    /// a filtered run of a billion-trial matrix writes the rows it runs, not a billion.
    /// </summary>
    internal static IEnumerable<Trial> TrialsToRegister(ExperimentDefinition experiment, TrialFilter filter, Shard shard)
        => experiment.MatrixSize <= RegisterWholeMatrixUpTo
            ? experiment.Trials
            : filter.Select(experiment).Where(shard.Contains);

    internal const int RegisterWholeMatrixUpTo = 100_000;

    /// <summary>
    /// The worker processes to start: as asked, but no more than the trials this run can run (each costs a process
    /// start and memory; asking for int.MaxValue must not allocate that many slots), and at least one.
    /// </summary>
    internal static int PoolSize(int requested, long candidates, int budgetLeft)
        => (int)Math.Max(1, Math.Min(requested, Math.Min(candidates, budgetLeft)));

    /// <summary>Far more workers than processors only slow each other down (and may run out of memory): say so.</summary>
    internal static void WarnIfOversubscribed(int requested, int workers, int processors, TextWriter error)
    {
        if (workers > WorkersPerProcessorWarning * (long)processors)
        {
            var asked = requested == workers ? string.Empty : $" (--workers {requested}, limited to the trials to run)";
            error.WriteLine(
                $"warning: {workers} worker processes on {processors} processor(s){asked}: more than {WorkersPerProcessorWarning} per processor "
                + $"compete for the processors and memory and usually finish later; --workers {Math.Max(1, processors)} is a good start.");
            error.Flush();
        }
    }

    private static void PrintSummary(SweepTally tally, List<string> reports, List<string> reportErrors, ShutdownSignal shutdown)
    {
        var output = Console.Out;
        output.WriteLine();
        foreach (var error in tally.Errors.Concat(reportErrors))
        {
            output.WriteLine($"error: {error}");
        }
        if (shutdown.Signal is { } signal)
        {
            output.WriteLine($"Stopped by {signal}; {tally.Interrupted} interrupted trial(s) will run again on the next run.");
        }
        if (tally.StoreFailure is not null)
        {
            output.WriteLine(tally.NotRecorded > 0
                ? $"Stopped: the results store failed; {tally.NotRecorded} trial(s) it could not mark interrupted stay 'running' there until the next run releases them."
                : "Stopped: the results store failed; the interrupted trials will run again on the next run.");
        }
        foreach (var (experiment, reason) in tally.NotReady)
        {
            output.WriteLine($"{experiment} stopped before running its trials; they stay pending and run when this is fixed:");
            output.WriteLine(reason);
        }
        // The closing line alone on its line: CI and test tooling read it.
        output.WriteLine(tally.ClosingLine);
        foreach (var report in reports)
        {
            output.WriteLine($"Report: {report}");
        }
        output.Flush();
    }
}
