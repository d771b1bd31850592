using Experiments.Results;
using Experiments.Store.Tests.Infrastructure;

namespace Experiments.Store.Tests.Contract;

public abstract class LifeCycleTests(IStoreBackend backend) : StoreContract(backend)
{
    private readonly string _id = Plan()[0].TrialId;

    [StoreFact]
    public void Claim_and_complete_record_the_latest_attempt_and_the_history()
    {
        using var store = Open();
        store.Register(Info(), Plan());
        var start = Clock.Now;

        var first = store.TryClaim(Experiment, _id, WorkerA, start, false, Stale)!.Value;
        Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.True(store.Complete(Experiment, _id, first, WorkerA,
            Outcome(TrialStatus.Failed, "CUDA out of memory", ("error_rate", double.NaN), ("fit_time", 30))));

        var failed = Trial(store, _id);
        Assert.Equal((TrialStatus.Failed, 1, WorkerA.ToString()), (failed.Status, failed.Attempt, failed.Worker));
        Assert.Equal((start, start.AddSeconds(30)), (failed.StartedAt, failed.FinishedAt));
        Assert.Equal((12.5, "CUDA out of memory"), (failed.DurationSeconds, failed.Error));
        Assert.Equal(("mvid-1", "abc123", "cpu"), (failed.BuildId, failed.SourceRevision, failed.Device));
        Assert.True(double.IsNaN(failed.Metrics["error_rate"]));
        Assert.Equal(["error_rate", "fit_time"], failed.Metrics.Keys);

        // The next sweep retries it: the retry starts clean and its result replaces the failure.
        Clock.Advance(TimeSpan.FromMinutes(1));
        var second = store.TryClaim(Experiment, _id, WorkerB, Clock.Now, false, Stale)!.Value;
        Assert.Equal(2, second);
        var running = Trial(store, _id);
        Assert.Equal((TrialStatus.Running, 2, WorkerB.ToString()), (running.Status, running.Attempt, running.Worker));
        Assert.Null(running.Error);
        Assert.Null(running.FinishedAt);
        Assert.Empty(running.Metrics);

        Assert.True(store.Complete(Experiment, _id, second, WorkerB, Passed(0.05)));
        var passed = Trial(store, _id);
        Assert.Equal((TrialStatus.Passed, 2, 0.05, (string?)null), (passed.Status, passed.Attempt, passed.Metrics["error_rate"], passed.Error));

        Assert.Equal(
            [(1, "failed", WorkerA.ToString(), "CUDA out of memory", (string?)null), (2, "passed", WorkerB.ToString(), null, null)],
            History(_id).Select(h => (h.Attempt, h.Status, h.Worker, h.Error, h.Reason)));
        Assert.Equal(2, store.GetAttemptCounts(Experiment)[_id]);
    }

    [StoreFact]
    public void Complete_is_ignored_unless_the_trial_is_still_this_workers_running_attempt()
    {
        using var store = Open();
        store.Register(Info(), Plan());
        var attempt = store.TryClaim(Experiment, _id, WorkerA, Clock.Now, false, Stale)!.Value;

        Assert.False(store.Complete(Experiment, _id, attempt, WorkerB, Passed()));
        Assert.False(store.Complete(Experiment, _id, attempt + 1, WorkerA, Passed()));
        Assert.False(store.Complete(Experiment, Plan()[1].TrialId, attempt, WorkerA, Passed()));
        Assert.True(store.Complete(Experiment, _id, attempt, WorkerA, Passed(0.3)));
        Assert.False(store.Complete(Experiment, _id, attempt, WorkerA, Outcome(TrialStatus.Failed, "again")));

        var trial = Trial(store, _id);
        Assert.Equal((TrialStatus.Passed, 0.3), (trial.Status, trial.Metrics["error_rate"]));
        Assert.Single(History(_id));
    }

    [StoreFact]
    public void Complete_rejects_an_outcome_that_is_not_an_end()
    {
        using var store = Open();
        store.Register(Info(), Plan());
        var attempt = store.TryClaim(Experiment, _id, WorkerA, Clock.Now, false, Stale)!.Value;

        Assert.Throws<ArgumentException>(() => store.Complete(Experiment, _id, attempt, WorkerA, Outcome(TrialStatus.Running)));
        Assert.Equal(TrialStatus.Running, Trial(store, _id).Status);
    }

    [StoreFact]
    public void ReleaseAbandoned_interrupts_only_trials_of_workers_that_are_gone()
    {
        using var store = Open();
        store.Register(Info(), Plan());
        var plan = Plan();
        store.TryClaim(Experiment, plan[0].TrialId, WorkerA, Clock.Now, false, Stale);
        store.TryClaim(Experiment, plan[1].TrialId, WorkerA, Clock.Now, false, Stale);
        store.TryClaim(Experiment, plan[2].TrialId, WorkerB, Clock.Now, false, Stale);
        var asked = new List<WorkerIdentity>();

        var released = store.ReleaseAbandoned(worker =>
        {
            asked.Add(worker);
            return worker == WorkerB;
        });

        Assert.Equal(2, released);
        Assert.Equal(2, asked.Count); // once per worker, not per trial
        var trials = store.GetTrials(Experiment);
        Assert.Equal(
            [TrialStatus.Interrupted, TrialStatus.Interrupted, TrialStatus.Running, TrialStatus.Pending],
            trials.Take(4).Select(t => t.Status));
        Assert.Contains("no longer running", trials[0].Error);
        var history = Assert.Single(History(plan[0].TrialId));
        Assert.Equal((1, "interrupted", "worker gone"), (history.Attempt, history.Status, history.Reason));
        Assert.False(store.Complete(Experiment, plan[0].TrialId, 1, WorkerA, Passed()));
        Assert.Equal(0, store.ReleaseAbandoned(worker => worker == WorkerB));

        // Interrupted trials run again, as attempt 2.
        Assert.Equal(2, store.TryClaim(Experiment, plan[0].TrialId, WorkerB, Clock.Now, false, Stale));
    }

    [StoreFact]
    public void Epoch_metrics_of_the_latest_attempt_only()
    {
        using var store = Open();
        store.Register(Info(), Plan());
        var other = Plan()[1].TrialId;
        var first = store.TryClaim(Experiment, _id, WorkerA, Clock.Now, false, Stale)!.Value;
        store.RecordEpochMetric(Experiment, _id, first, 0, "train_loss", 9);
        store.Complete(Experiment, _id, first, WorkerA, Outcome(TrialStatus.Interrupted, "Ctrl+C"));
        var second = store.TryClaim(Experiment, _id, WorkerA, Clock.Now, false, Stale)!.Value;
        store.RecordEpochMetric(Experiment, _id, second, 0, "valid_loss", 0.8);
        store.RecordEpochMetric(Experiment, _id, second, 0, "train_loss", 0.9);
        store.RecordEpochMetric(Experiment, _id, second, 1, "train_loss", double.NaN);
        store.RecordEpochMetric(Experiment, _id, second, 1, "train_loss", 0.5); // written again: last value wins
        var otherAttempt = store.TryClaim(Experiment, other, WorkerB, Clock.Now, false, Stale)!.Value;
        store.RecordEpochMetric(Experiment, other, otherAttempt, 0, "train_loss", double.NaN);

        var epochs = store.GetEpochMetrics(Experiment);

        Assert.Equal(4, epochs.Count);
        Assert.Equal(new EpochMetric(_id, 2, 0, "train_loss", 0.9), epochs[0]);
        Assert.Equal(new EpochMetric(_id, 2, 0, "valid_loss", 0.8), epochs[1]);
        Assert.Equal(new EpochMetric(_id, 2, 1, "train_loss", 0.5), epochs[2]);
        Assert.Equal((other, 1, 0), (epochs[3].TrialId, epochs[3].Attempt, epochs[3].Epoch));
        Assert.True(double.IsNaN(epochs[3].Value));
    }

    [StoreFact]
    public void Epoch_metrics_in_a_batch_are_written_together()
    {
        using var store = Open();
        store.Register(Info(), Plan());
        var attempt = store.TryClaim(Experiment, _id, WorkerA, Clock.Now, false, Stale)!.Value;
        var values = Enumerable.Range(0, 500)
            .SelectMany(epoch => new[]
            {
                new EpochMetricValue(epoch, "train_loss", 1.0 / (epoch + 1)),
                new EpochMetricValue(epoch, "valid_loss", epoch == 7 ? double.NaN : 2.0 / (epoch + 1)),
            })
            .Append(new EpochMetricValue(3, "train_loss", 42)) // again, later in the batch: it wins
            .ToList();

        store.RecordEpochMetrics(Experiment, _id, attempt, values);
        store.RecordEpochMetrics(Experiment, _id, attempt, []);
        store.RecordEpochMetrics(Experiment, _id, attempt, [new EpochMetricValue(500, "train_loss", 0.001)]);

        var epochs = store.GetEpochMetrics(Experiment);
        Assert.Equal(1001, epochs.Count);
        Assert.All(epochs, m => Assert.Equal((_id, attempt), (m.TrialId, m.Attempt)));
        Assert.Equal(42, epochs.Single(m => m is { Epoch: 3, Name: "train_loss" }).Value);
        Assert.Equal(0.5, epochs.Single(m => m is { Epoch: 1, Name: "train_loss" }).Value);
        Assert.True(double.IsNaN(epochs.Single(m => m is { Epoch: 7, Name: "valid_loss" }).Value));
        Assert.Equal(0.001, epochs.Single(m => m.Epoch == 500).Value);
    }

    [StoreFact]
    public void A_batch_of_epoch_metrics_is_written_whole_or_not_at_all()
    {
        using var store = Open();
        store.Register(Info(), Plan());
        var attempt = store.TryClaim(Experiment, _id, WorkerA, Clock.Now, false, Stale)!.Value;
        // The database refuses the sixth row of the batch.
        Backend.RefuseEpoch(5);
        var values = Enumerable.Range(0, 10).Select(epoch => new EpochMetricValue(epoch, "train_loss", epoch)).ToArray();

        var error = Assert.Throws<ResultStoreException>(() => store.RecordEpochMetrics(Experiment, _id, attempt, values));

        Assert.Contains("epoch 5 refused", error.Message);
        Assert.Contains(store.ToString()!, error.Message);
        Assert.Empty(store.GetEpochMetrics(Experiment));
        // A bad name is refused before anything is written.
        Assert.Throws<ArgumentException>(() => store.RecordEpochMetrics(Experiment, _id, attempt,
            [new EpochMetricValue(0, "train_loss", 1), new EpochMetricValue(1, " ", 1)]));
        Assert.Empty(store.GetEpochMetrics(Experiment));
        // The connection is usable afterwards (the failed transaction was rolled back).
        store.RecordEpochMetrics(Experiment, _id, attempt, values[..5]);
        Assert.Equal(5, store.GetEpochMetrics(Experiment).Count);
    }

    [StoreFact]
    public void Attempt_counts_cover_every_trial_and_every_claim()
    {
        using var store = Open();
        store.Register(Info(), Plan());
        var plan = Plan();
        for (var i = 0; i < 3; i++)
        {
            var attempt = store.TryClaim(Experiment, _id, WorkerA, Clock.Now, false, Stale)!.Value;
            store.Complete(Experiment, _id, attempt, WorkerA, Outcome(TrialStatus.Interrupted, "Ctrl+C"));
        }
        store.TryClaim(Experiment, plan[1].TrialId, WorkerA, Clock.Now, false, Stale);

        var counts = store.GetAttemptCounts(Experiment);

        Assert.Equal(plan.Length, counts.Count);
        Assert.Equal((3, 1, 0), (counts[_id], counts[plan[1].TrialId], counts[plan[2].TrialId]));
        Assert.Empty(store.GetAttemptCounts("Unknown"));
    }

    [StoreFact]
    public void Reopening_the_store_keeps_everything()
    {
        using (var store = Open())
        {
            store.Register(Info(), Plan());
            var attempt = store.TryClaim(Experiment, _id, WorkerA, Clock.Now, false, Stale)!.Value;
            store.RecordEpochMetric(Experiment, _id, attempt, 0, "train_loss", 1.5);
            store.Complete(Experiment, _id, attempt, WorkerA, Passed(0.125));
        }

        using var reopened = Open();
        Assert.Equal([Experiment], reopened.GetExperimentNames());
        Assert.Equal("error_rate", reopened.GetExperiment(Experiment)!.Objective);
        var trial = Trial(reopened, _id);
        Assert.Equal((TrialStatus.Passed, 1, 0.125), (trial.Status, trial.Attempt, trial.Metrics["error_rate"]));
        Assert.Equal(Plan().Length, reopened.GetTrials(Experiment).Count);
        Assert.Single(reopened.GetEpochMetrics(Experiment));
        Assert.Null(reopened.TryClaim(Experiment, _id, WorkerB, Clock.Now, false, Stale));
    }

    [StoreFact]
    public void A_database_error_names_the_store()
    {
        using var store = Open();
        store.Register(Info(), Plan());

        var error = Assert.Throws<ResultStoreException>(() => store.RecordEpochMetric(Experiment, "unknown#1", 1, 0, "loss", 1));

        Assert.Contains(store.ToString()!, error.Message);
    }

    [StoreFact]
    public void A_disposed_store_refuses_calls()
    {
        var store = Open();
        store.Dispose();

        Assert.Throws<ObjectDisposedException>(() => store.GetExperimentNames());
    }
}
