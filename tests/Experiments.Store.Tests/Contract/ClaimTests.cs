using Experiments.Results;
using Experiments.Store.Tests.Infrastructure;

namespace Experiments.Store.Tests.Contract;

public abstract class ClaimTests(IStoreBackend backend) : StoreContract(backend)
{
    private readonly string _id = Plan()[0].TrialId;

    /// <summary>A store whose first trial is pending, running (attempt 1 of A) or ended one second ago.</summary>
    private IResultStore Setup(TrialStatus finishAs)
    {
        var store = Open();
        store.Register(Info(), Plan());
        if (finishAs is not TrialStatus.Pending)
        {
            var attempt = store.TryClaim(Experiment, _id, WorkerA, Clock.Now, false, Stale)!.Value;
            if (finishAs is not TrialStatus.Running)
            {
                store.Complete(Experiment, _id, attempt, WorkerA, Outcome(finishAs, finishAs == TrialStatus.Failed ? "boom" : null));
            }
        }
        Clock.Advance(TimeSpan.FromSeconds(1));
        return store;
    }

    [StoreFact]
    public void Pending_is_claimable_and_starts_attempt_one()
    {
        var store = Setup(TrialStatus.Pending);

        Assert.Equal(1, store.TryClaim(Experiment, _id, WorkerB, Clock.Now, false, Stale));

        var trial = Trial(store, _id);
        Assert.Equal((TrialStatus.Running, 1, WorkerB.ToString(), Clock.Now), (trial.Status, trial.Attempt, trial.Worker, trial.StartedAt));
        Assert.Null(store.TryClaim(Experiment, _id, WorkerA, Clock.Now, false, Stale));
    }

    [StoreFact]
    public void Unclaim_puts_an_unrun_attempt_back_to_pending_without_a_trace_and_only_for_its_owner()
    {
        var store = Setup(TrialStatus.Running);

        Assert.False(store.Unclaim(Experiment, _id, 1, WorkerB));
        Assert.False(store.Unclaim(Experiment, _id, 2, WorkerA));
        Assert.True(store.Unclaim(Experiment, _id, 1, WorkerA));

        var trial = Trial(store, _id);
        Assert.Equal((TrialStatus.Pending, 0, null), (trial.Status, trial.Attempt, trial.Worker));
        Assert.Equal(0, store.GetAttemptCounts(Experiment)[_id]);
        Assert.False(store.Unclaim(Experiment, _id, 1, WorkerA));
        // Claimable again, in the same sweep, as attempt 1.
        Assert.Equal(1, store.TryClaim(Experiment, _id, WorkerB, Clock.Now, false, Stale));
    }

    [StoreFact]
    public void Interrupted_is_claimable_even_within_the_same_sweep()
    {
        var sweepStart = Clock.Now;
        var store = Setup(TrialStatus.Interrupted);

        Assert.Equal(2, store.TryClaim(Experiment, _id, WorkerB, sweepStart, false, Stale));
    }

    [StoreFact]
    public void Failed_is_claimable_only_when_it_failed_before_the_sweep_started()
    {
        var earlier = Clock.Now;
        var store = Setup(TrialStatus.Failed);

        Assert.Null(store.TryClaim(Experiment, _id, WorkerB, earlier, false, Stale));
        Assert.Equal(2, store.TryClaim(Experiment, _id, WorkerB, Clock.Now, false, Stale));
    }

    [StoreFact]
    public void Passed_is_claimable_only_on_rerun_and_only_when_it_passed_before_the_sweep_started()
    {
        var earlier = Clock.Now;
        var store = Setup(TrialStatus.Passed);

        Assert.Null(store.TryClaim(Experiment, _id, WorkerB, Clock.Now, rerunPassed: false, Stale));
        Assert.Null(store.TryClaim(Experiment, _id, WorkerB, earlier, rerunPassed: true, Stale));
        Assert.Equal(2, store.TryClaim(Experiment, _id, WorkerB, Clock.Now, rerunPassed: true, Stale));
    }

    [StoreFact]
    public void Running_is_claimable_only_when_its_heartbeat_is_stale()
    {
        var store = Setup(TrialStatus.Running);

        Assert.Null(store.TryClaim(Experiment, _id, WorkerB, Clock.Now, true, Stale));
        Clock.Advance(Stale - TimeSpan.FromSeconds(1));
        Assert.Null(store.TryClaim(Experiment, _id, WorkerB, Clock.Now, true, Stale));
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, store.TryClaim(Experiment, _id, WorkerB, Clock.Now, true, Stale));
    }

    [StoreFact]
    public void A_heartbeat_keeps_a_running_trial_from_going_stale()
    {
        var store = Setup(TrialStatus.Running);

        Clock.Advance(Stale - TimeSpan.FromSeconds(1));
        store.Heartbeat(Experiment, [_id], WorkerA);
        store.Heartbeat(Experiment, [_id], WorkerB); // not B's trial: no effect
        Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(store.TryClaim(Experiment, _id, WorkerB, Clock.Now, false, Stale));
        Clock.Advance(Stale);
        Assert.Equal(2, store.TryClaim(Experiment, _id, WorkerB, Clock.Now, false, Stale));
    }

    [StoreFact]
    public void Taking_over_a_stale_attempt_records_its_lease_as_expired_and_rejects_its_late_result()
    {
        var store = Setup(TrialStatus.Running);
        Clock.Advance(Stale + TimeSpan.FromSeconds(1));

        Assert.Equal(2, store.TryClaim(Experiment, _id, WorkerB, Clock.Now, false, Stale));

        Assert.False(store.Complete(Experiment, _id, 1, WorkerA, Passed()));
        var history = Assert.Single(History(_id));
        Assert.Equal((1, "interrupted", WorkerA.ToString(), "lease expired"), (history.Attempt, history.Status, history.Worker, history.Reason));
        Assert.Contains("no heartbeat", history.Error);
        Assert.True(store.Complete(Experiment, _id, 2, WorkerB, Passed()));
        Assert.Equal(2, store.GetAttemptCounts(Experiment)[_id]);
    }

    [StoreFact]
    public void A_late_result_from_an_expired_lease_is_refused_across_processes()
    {
        // Two instances, each with its own connection, as the hosts of two machines would have.
        var hostA = Open();
        hostA.Register(Info(), Plan());
        var first = hostA.TryClaim(Experiment, _id, WorkerA, Clock.Now, false, Stale)!.Value;
        hostA.RecordEpochMetric(Experiment, _id, first, 0, "train_loss", 9);
        Clock.Advance(Stale + TimeSpan.FromSeconds(1));

        var hostB = Open();
        var second = hostB.TryClaim(Experiment, _id, WorkerB, Clock.Now, false, Stale);
        // A's machine comes back: its heartbeat, epoch metrics and result no longer count.
        hostA.Heartbeat(Experiment, [_id], WorkerA);
        Assert.Null(hostA.TryClaim(Experiment, _id, WorkerA, Clock.Now, false, Stale));
        Assert.False(hostA.Complete(Experiment, _id, first, WorkerA, Passed(0.9)));
        Assert.False(hostA.Unclaim(Experiment, _id, first, WorkerA));
        Assert.True(hostB.Complete(Experiment, _id, second!.Value, WorkerB, Passed(0.2)));

        Assert.Equal(2, second);
        var trial = Trial(hostA, _id);
        Assert.Equal((TrialStatus.Passed, 2, WorkerB.ToString(), 0.2), (trial.Status, trial.Attempt, trial.Worker, trial.Metrics["error_rate"]));
        Assert.Empty(hostB.GetEpochMetrics(Experiment));
        Assert.Equal(
            [(1, "interrupted", WorkerA.ToString(), "lease expired"), (2, "passed", WorkerB.ToString(), (string?)null)],
            History(_id).Select(h => (h.Attempt, h.Status, h.Worker, h.Reason)));
    }

    [StoreFact]
    public void Running_trials_say_who_runs_them_and_when_they_last_gave_a_sign_of_life()
    {
        var store = Setup(TrialStatus.Running);
        var claimedAt = Clock.Now - TimeSpan.FromSeconds(1);
        Assert.Empty(((IRunningTrials)store).GetRunning("Other"));
        Clock.Advance(TimeSpan.FromSeconds(5));
        store.Heartbeat(Experiment, [_id], WorkerA);

        var running = Assert.Single(((IRunningTrials)store).GetRunning(Experiment));

        Assert.Equal((_id, 1, WorkerA, claimedAt, Clock.Now), (running.TrialId, running.Attempt, running.Worker, running.StartedAt, running.HeartbeatAt));
        store.Complete(Experiment, _id, 1, WorkerA, Passed(0.1));
        Assert.Empty(((IRunningTrials)store).GetRunning(Experiment));
    }

    [StoreFact]
    public void Unknown_trials_are_not_claimable()
    {
        var store = Setup(TrialStatus.Pending);

        Assert.Null(store.TryClaim(Experiment, "nope#1", WorkerA, Clock.Now, true, Stale));
        Assert.Null(store.TryClaim("Other", _id, WorkerA, Clock.Now, true, Stale));
    }
}
