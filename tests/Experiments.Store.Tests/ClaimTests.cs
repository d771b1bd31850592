using Experiments.Results;
using Experiments.Store.Sqlite;

namespace Experiments.Store.Tests;

public sealed class ClaimTests : StoreFixture
{
    private readonly string _id = Plan()[0].TrialId;

    /// <summary>A store whose first trial is pending, running (attempt 1 of A) or ended one second ago.</summary>
    private SqliteResultStore Setup(TrialStatus finishAs)
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

    [Fact]
    public void Pending_is_claimable_and_starts_attempt_one()
    {
        var store = Setup(TrialStatus.Pending);

        Assert.Equal(1, store.TryClaim(Experiment, _id, WorkerB, Clock.Now, false, Stale));

        var trial = Trial(store, _id);
        Assert.Equal((TrialStatus.Running, 1, WorkerB.ToString(), Clock.Now), (trial.Status, trial.Attempt, trial.Worker, trial.StartedAt));
        Assert.Null(store.TryClaim(Experiment, _id, WorkerA, Clock.Now, false, Stale));
    }

    [Fact]
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

    [Fact]
    public void Interrupted_is_claimable_even_within_the_same_sweep()
    {
        var sweepStart = Clock.Now;
        var store = Setup(TrialStatus.Interrupted);

        Assert.Equal(2, store.TryClaim(Experiment, _id, WorkerB, sweepStart, false, Stale));
    }

    [Fact]
    public void Failed_is_claimable_only_when_it_failed_before_the_sweep_started()
    {
        var earlier = Clock.Now;
        var store = Setup(TrialStatus.Failed);

        Assert.Null(store.TryClaim(Experiment, _id, WorkerB, earlier, false, Stale));
        Assert.Equal(2, store.TryClaim(Experiment, _id, WorkerB, Clock.Now, false, Stale));
    }

    [Fact]
    public void Passed_is_claimable_only_on_rerun_and_only_when_it_passed_before_the_sweep_started()
    {
        var earlier = Clock.Now;
        var store = Setup(TrialStatus.Passed);

        Assert.Null(store.TryClaim(Experiment, _id, WorkerB, Clock.Now, rerunPassed: false, Stale));
        Assert.Null(store.TryClaim(Experiment, _id, WorkerB, earlier, rerunPassed: true, Stale));
        Assert.Equal(2, store.TryClaim(Experiment, _id, WorkerB, Clock.Now, rerunPassed: true, Stale));
    }

    [Fact]
    public void Running_is_claimable_only_when_its_heartbeat_is_stale()
    {
        var store = Setup(TrialStatus.Running);

        Assert.Null(store.TryClaim(Experiment, _id, WorkerB, Clock.Now, true, Stale));
        Clock.Advance(Stale - TimeSpan.FromSeconds(1));
        Assert.Null(store.TryClaim(Experiment, _id, WorkerB, Clock.Now, true, Stale));
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, store.TryClaim(Experiment, _id, WorkerB, Clock.Now, true, Stale));
    }

    [Fact]
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

    [Fact]
    public void Taking_over_a_stale_attempt_records_it_as_interrupted_and_rejects_its_late_result()
    {
        var store = Setup(TrialStatus.Running);
        Clock.Advance(Stale + TimeSpan.FromSeconds(1));

        Assert.Equal(2, store.TryClaim(Experiment, _id, WorkerB, Clock.Now, false, Stale));

        Assert.False(store.Complete(Experiment, _id, 1, WorkerA, Passed()));
        var history = Assert.Single(History(_id));
        Assert.Equal((1, "interrupted", WorkerA.ToString()), (history.Attempt, history.Status, history.Worker));
        Assert.Contains("no heartbeat", history.Error);
        Assert.True(store.Complete(Experiment, _id, 2, WorkerB, Passed()));
        Assert.Equal(2, store.GetAttemptCounts(Experiment)[_id]);
    }

    [Fact]
    public void Unknown_trials_are_not_claimable()
    {
        var store = Setup(TrialStatus.Pending);

        Assert.Null(store.TryClaim(Experiment, "nope#1", WorkerA, Clock.Now, true, Stale));
        Assert.Null(store.TryClaim("Other", _id, WorkerA, Clock.Now, true, Stale));
    }
}
