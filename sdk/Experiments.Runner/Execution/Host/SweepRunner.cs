using Experiments.Results;
using Experiments.Runner.Execution.Protocol;
using Experiments.Runner.Terminal;

namespace Experiments.Runner.Execution.Host;

/// <summary>
/// The host side of <c>run</c> for one experiment: each worker slot claims a candidate, has its worker run it,
/// records the outcome, and goes on until the candidates, the budget or the user's patience run out.
/// </summary>
internal sealed class SweepRunner
{
    private readonly IResultStore _store;
    private readonly WorkerPool _pool;
    private readonly HeartbeatLoop _heartbeat;
    private readonly EpochMetricWriter _epochMetrics;
    private readonly ISweepView _view;
    private readonly ShutdownSignal _shutdown;
    private readonly TrialBudget _budget;
    private readonly SweepOptions _options;
    private readonly SweepTally _tally;

    // Set by the first trial of this experiment that could not start (missing data, weights): no slot claims again.
    private string? _notReady;

    public SweepRunner(
        IResultStore store,
        WorkerPool pool,
        HeartbeatLoop heartbeat,
        EpochMetricWriter epochMetrics,
        ISweepView view,
        ShutdownSignal shutdown,
        TrialBudget budget,
        SweepOptions options,
        SweepTally tally)
    {
        _store = store;
        _pool = pool;
        _heartbeat = heartbeat;
        _epochMetrics = epochMetrics;
        _view = view;
        _shutdown = shutdown;
        _budget = budget;
        _options = options;
        _tally = tally;
    }

    public async Task RunAsync(SweepPlan plan)
    {
        var experiment = plan.Experiment;
        var queue = new ClaimQueue(_store, experiment.Name, plan.Candidates, _budget, _options.SweepStart, _options.Rerun, _options.StaleAfter, plan.Adaptive);
        // No more workers than trials this sweep can run: each costs a process start.
        var needed = Math.Min(plan.Candidates.Count, _budget.Left);
        var slots = _pool.Slots.Take(Math.Clamp(needed, 1, _pool.Slots.Count)).ToArray();
        _view.SweepStarting(plan, slots.Length);
        // An adaptive search with nothing to claim yet may still get promotions from trials running elsewhere.
        if ((plan.Candidates.Count > 0 || plan.Adaptive is not null) && !_budget.IsSpent)
        {
            await Task.WhenAll(slots.Select(slot => RunSlotAsync(slot, experiment, queue, plan.Adaptive))).ConfigureAwait(false);
        }
        _tally.AddSkipped(queue.Skipped);
        if (_notReady is { } reason)
        {
            _tally.AddNotReady(experiment.Name, reason);
        }
        _view.SweepFinished(plan);
    }

    private async Task RunSlotAsync(WorkerSlot slot, ExperimentDefinition experiment, ClaimQueue queue, AdaptiveSearch? adaptive)
    {
        while (!_shutdown.IsStopping && _notReady is null && queue.HasMore)
        {
            WorkerProcess worker;
            try
            {
                worker = await slot.EnsureStartedAsync(_shutdown.Stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (WorkerStartException e)
            {
                _tally.AddError($"worker {slot.Index + 1} could not start: {e.Message}");
                _view.Note($"worker {slot.Index + 1} could not start: {e.Message}");
                return;
            }

            if (_shutdown.IsStopping || _notReady is not null)
            {
                return;
            }
            Trial trial;
            int attempt;
            try
            {
                if (!queue.TryClaimNext(slot.Identity, out trial, out attempt))
                {
                    if (!queue.MayGrow)
                    {
                        return;
                    }
                    // Trials of the search are running, here or on another host: their results may promote more.
                    await _changed.WaitAsync(PromotionPoll, _shutdown.Stopping).ConfigureAwait(false);
                    continue;
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                StoreFailed(e);
                return;
            }
            try
            {
                await RunTrialAsync(slot, worker, experiment, trial, attempt).ConfigureAwait(false);
                if (adaptive is not null && !_shutdown.IsStopping)
                {
                    Promote(adaptive);
                }
            }
            finally
            {
                queue.Finished();
                _changed.Pulse();
            }
        }
    }

    /// <summary>How often a slot with nothing to claim looks again for promotions made by other hosts.</summary>
    internal static readonly TimeSpan PromotionPoll = TimeSpan.FromSeconds(1);

    // Pulsed when a trial of this run ends: a waiting slot looks for the promotions it may have made.
    private readonly ChangeSignal _changed = new();

    private void Promote(AdaptiveSearch adaptive)
    {
        try
        {
            var promoted = adaptive.Promote();
            if (promoted.Count > 0)
            {
                var configurations = promoted.Select(TrialId.ConfigurationIdOf).Distinct(StringComparer.Ordinal);
                _view.Note($"promoted to the next rung: {string.Join(", ", configurations)}");
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Nothing is lost: the results are recorded, and the next Promote (here or in any later run) decides again.
            StoreFailed(e);
        }
    }

    private async Task RunTrialAsync(WorkerSlot slot, WorkerProcess worker, ExperimentDefinition experiment, Trial trial, int attempt)
    {
        var request = new RunTrialMessage(experiment.Name, trial.Id, slot.Device, ArtifactsDirectory(experiment, trial));
        _heartbeat.Add(experiment.Name, trial.Id, slot.Identity);
        _view.TrialStarted(slot.Index, trial);

        var run = worker.RunAsync(
            request,
            metric => RecordEpochMetric(experiment, trial, attempt, metric),
            progress => _view.TrialProgress(slot.Index, progress.Fraction, progress.Message));
        var result = await WaitAsync(worker, run).ConfigureAwait(false);
        await _epochMetrics.FlushAsync().ConfigureAwait(false);

        if (result.WorkerDied && worker.KilledByHost && _shutdown.IsStopping)
        {
            // We killed it to stop: the trial did nothing wrong and runs again next time.
            result = result with { Status = TrialStatus.Interrupted, Error = "interrupted (worker stopped after the grace period)" };
        }

        if (result.NotStarted)
        {
            // Not the trial's fault: it stays pending, and the sweep of this experiment stops claiming.
            Interlocked.CompareExchange(ref _notReady, result.Error ?? "a prerequisite of the trial is missing", null);
            try
            {
                _store.Unclaim(experiment.Name, trial.Id, attempt, slot.Identity);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                StoreFailed(e);
                _tally.AddNotRecorded();
            }
            _heartbeat.Remove(experiment.Name, trial.Id, slot.Identity);
            _view.TrialFinished(slot.Index, trial, result, experiment.Objective);
            return;
        }

        try
        {
            if (!Complete(slot, experiment, trial, attempt, result))
            {
                _view.Note($"{trial.Id}: the store no longer lists this attempt as ours (another run reclaimed it); result not recorded");
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A store that cannot record results stops the sweep: no more claims, running trials interrupted. This
            // one did not end in the store: it counts as interrupted and runs again.
            var first = StoreFailed(e);
            if (!first || !TryMarkInterrupted(slot, experiment, trial, attempt, result))
            {
                _tally.AddNotRecorded();
            }
            result = result with
            {
                Status = TrialStatus.Interrupted,
                Error = "not recorded: the results store failed; it runs again on the next run",
                Metrics = new Dictionary<string, double>(),
            };
        }
        finally
        {
            _heartbeat.Remove(experiment.Name, trial.Id, slot.Identity);
        }
        _tally.Add(result.Status);
        _view.TrialFinished(slot.Index, trial, result, experiment.Objective);
        if (result.WorkerDied && result.Status == TrialStatus.Failed)
        {
            _view.Note($"worker {slot.Index + 1} died with {trial.Id}; the next trial gets a new one");
        }
    }

    /// <summary>
    /// The store failed (a full disk, a read-only file, a server gone): keep the error for the end of the run and stop
    /// as Ctrl+C does — no new claims, running trials asked to cancel and recorded interrupted if the store still takes
    /// it. What it does not take stays <c>running</c> under this process's identity, and the next run releases it.
    /// True for the first failure.
    /// </summary>
    private bool StoreFailed(Exception error)
    {
        if (!_tally.FailStore(error))
        {
            return false;
        }
        _view.Note("the results store failed (the error follows the summary): no new trials; running trials are stopped and run again on the next run");
        _shutdown.Stop();
        return true;
    }

    /// <summary>After the store refused a trial's result: records the attempt interrupted instead, if the store takes that.</summary>
    private bool TryMarkInterrupted(WorkerSlot slot, ExperimentDefinition experiment, Trial trial, int attempt, WorkerTrialResult result)
    {
        try
        {
            var outcome = new TrialOutcome(TrialStatus.Interrupted, result.DurationSeconds,
                "interrupted: the results store could not record the result", new Dictionary<string, double>(), _options.Build, slot.Device);
            return _store.Complete(experiment.Name, trial.Id, attempt, slot.Identity, outcome);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false;
        }
    }

    /// <summary>Waits for the trial; on shutdown the worker has been asked to cancel, and is killed at the deadline.</summary>
    private async Task<WorkerTrialResult> WaitAsync(WorkerProcess worker, Task<WorkerTrialResult> run)
    {
        using var cancelOnStop = _shutdown.Stopping.Register(worker.RequestCancel);
        var finished = await Task.WhenAny(run, _shutdown.KillDeadline).ConfigureAwait(false);
        if (finished != run)
        {
            worker.Kill();
        }
        return await run.ConfigureAwait(false);
    }

    private bool Complete(WorkerSlot slot, ExperimentDefinition experiment, Trial trial, int attempt, WorkerTrialResult result)
    {
        // The worker's status is the store's; a passed trial's metrics already hold fit_time (see TrialExecutor).
        var metrics = new Dictionary<string, double>(result.Metrics, StringComparer.Ordinal);
        var outcome = new TrialOutcome(result.Status, result.DurationSeconds, result.Error, metrics, _options.Build, slot.Device);
        return _store.Complete(experiment.Name, trial.Id, attempt, slot.Identity, outcome);
    }

    private void RecordEpochMetric(ExperimentDefinition experiment, Trial trial, int attempt, MetricMessage metric)
    {
        if (metric.Epoch is { } epoch)
        {
            _epochMetrics.Enqueue(experiment.Name, trial.Id, attempt, epoch, metric.Name, metric.Value);
        }
    }

    private string ArtifactsDirectory(ExperimentDefinition experiment, Trial trial)
        => Path.Combine(_options.ArtifactsDirectory, FileNames.Safe(experiment.Name), FileNames.Safe(trial.Id));
}
