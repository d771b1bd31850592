using Experiments.Results;
using Experiments.Runner.Execution.Host;
using Experiments.Runner.Filtering;
using Experiments.Runner.Reporting;
using Experiments.Runner.Terminal;

namespace Experiments.Runner.Cli;

/// <summary>What one sweep runs: the selected experiments with their filters, and the options of <c>run</c>.</summary>
internal sealed record RunRequest(
    IReadOnlyList<(ExperimentDefinition Experiment, TrialFilter Filter)> Experiments,
    string? FilterText,
    ProjectSettings Settings,
    bool Rerun,
    int? MaxTrials,
    int Workers,
    IReadOnlyList<string> Devices,
    Shard Shard,
    TimeSpan Lease)
{
    /// <summary>A further selection beyond the filter (the test platform's tree filter or list of tests); null keeps all.</summary>
    public Func<Trial, bool>? Include { get; init; }
}

/// <summary>How a sweep ended: the counts, what each experiment planned, and the reports written (or why not).</summary>
internal sealed record SweepOutcome(SweepTally Tally, IReadOnlyList<SweepPlan> Plans, List<string> Reports, List<string> ReportErrors);

/// <summary>
/// The sweep of <c>run</c>, shared by the command line and the test platform adapter (Experiments.Testing), so both
/// register the matrix, plan, claim, run trials in worker processes, record results and write the reports the same
/// way: only what they show differs (the <see cref="ISweepView"/> that the caller hands the sweep).
/// </summary>
internal static class SweepExecution
{
    public static async Task<SweepOutcome> RunAsync(RunRequest request, ShutdownSignal shutdown, Func<Func<ISweepView, Task<int>>, Task> show)
    {
        var settings = request.Settings;
        var sweepStart = DateTimeOffset.UtcNow;
        using var store = new SynchronizedResultStore(StoreAccess.Open(StoreAccess.Locate(settings)));
        var identity = new HostIdentity();

        foreach (var (experiment, filter) in request.Experiments)
        {
            if (experiment.Search.IsAdaptive && request.Shard.Count > 1)
            {
                // Promotions compare configurations across the whole search: shards with stores of their own cannot.
                throw new CliException(
                    $"{experiment.Name} is a successive-halving search: its promotions need every result in one store, so it cannot "
                    + "run in shards (--shard). Run the hosts on one shared store instead (deploy slurm --mode claim).");
            }
            var trials = RunCommand.TrialsToRegister(experiment, filter, request.Shard);
            if (experiment.Search.IsAdaptive)
            {
                trials = AdaptiveSearch.FirstRung(experiment, trials);
            }
            store.Register(ExperimentInfo.From(experiment), trials.Select(PlannedTrial.From));
        }
        var released = store.ReleaseAbandoned(identity.IsAlive);

        // Computed once, up front: trials another host finishes meanwhile are left to the store's claim to refuse. An
        // adaptive search first records the promotions its stored results call for (a run that died after a result and
        // before its promotion left them to this one).
        var plans = request.Experiments
            .Select(e =>
            {
                var adaptive = e.Experiment.Search.IsAdaptive
                    ? new AdaptiveSearch(store, e.Experiment, e.Filter.Select(e.Experiment).Where(t => request.Shard.Contains(t) && request.Include?.Invoke(t) != false))
                    : null;
                adaptive?.Promote();
                return SweepPlan.Create(e.Experiment, e.Filter, store.GetTrials(e.Experiment.Name), request.Rerun, request.Shard, request.Include) with { Adaptive = adaptive };
            })
            .ToArray();
        if (request.FilterText is { Length: > 0 } filterText && request.Shard.Count == 1 && plans.All(p => p.Selected == 0))
        {
            // A filter that selects nothing is a mistake (a typo, a value of another type): no "0 passed" and no report.
            throw new CliException(
                $"--filter '{filterText}' selects no trial of {string.Join(", ", plans.Select(p => p.Experiment.Name))}: nothing to run. "
                + "'list --filter …' shows what a filter selects.");
        }

        var tally = new SweepTally();
        var options = new SweepOptions(request.Rerun, settings.Build, settings.ArtifactsDirectory, sweepStart, request.Lease);
        var budget = new TrialBudget(request.MaxTrials);
        var workers = RunCommand.PoolSize(request.Workers, plans.Sum(p => (long)p.Candidates.Count), budget.Left);
        RunCommand.WarnIfOversubscribed(request.Workers, workers, Environment.ProcessorCount, Console.Error);
        var launch = WorkerLaunch.ForCurrentProcess(settings.EntryAssemblyPath).ForWorkers(workers);

        await using (var pool = new WorkerPool(launch, identity, workers, request.Devices))
        await using (var heartbeat = new HeartbeatLoop(store, RunCommand.HeartbeatInterval))
        {
            async Task<int> SweepAsync(ISweepView view)
            {
                await using var epochMetrics = new EpochMetricWriter(store, view.Note);
                if (released > 0)
                {
                    view.Note($"{released} trial(s) left running by a run that died will run again");
                }
                foreach (var plan in plans)
                {
                    if (shutdown.IsStopping || budget.IsSpent)
                    {
                        break;
                    }
                    var runner = new SweepRunner(store, pool, heartbeat, epochMetrics, view, shutdown, budget, options, tally);
                    await runner.RunAsync(plan).ConfigureAwait(false);
                }
                return 0;
            }

            await show(SweepAsync).ConfigureAwait(false);
        }

        if (tally.StoreFailure is not null)
        {
            // No report of a sweep the store could not follow.
            return new SweepOutcome(tally, plans, [], []);
        }
        var reports = WriteReports(store, request, out var reportErrors);
        return new SweepOutcome(tally, plans, reports, reportErrors);
    }

    private static List<string> WriteReports(IResultStore store, RunRequest request, out List<string> errors)
    {
        var paths = new List<string>();
        errors = new List<string>();
        foreach (var (experiment, _) in request.Experiments)
        {
            try
            {
                var info = store.GetExperiment(experiment.Name) ?? ExperimentInfo.From(experiment);
                paths.Add(ReportWriter.WriteMarkdown(store, info, request.Settings, request.Devices.Count == 1 ? request.Devices[0] : null));
            }
            catch (Exception e) when (e is not OutOfMemoryException and not StoreErrorException)
            {
                // The results are safe in the store; `report` can try again.
                errors.Add($"could not write the report of {experiment.Name}: {e.Message}");
            }
        }
        return paths;
    }
}
