using System.Collections.Concurrent;
using System.Globalization;
using Experiments.Results;
using Experiments.Store.Tests.Infrastructure;

namespace Experiments.Store.Tests.Contract;

/// <summary><see cref="IResultStore.Promote"/>: a decision over the records, registered once, one promoter at a time.</summary>
public abstract class PromoteTests(IStoreBackend backend) : StoreContract(backend)
{
    private static PlannedTrial Planned(string id, int index) => new(id, index, 1, [new("Arch", id), new("LearningRate", "0.1")]);

    [StoreFact]
    public void Promote_registers_the_new_trials_it_is_given_as_pending_and_leaves_known_ones_as_they_are()
    {
        var store = Open();
        var plan = Plan();
        store.Register(Info(), plan);
        var attempt = store.TryClaim(Experiment, plan[0].TrialId, WorkerA, Clock.Now, false, Stale)!.Value;
        store.Complete(Experiment, plan[0].TrialId, attempt, WorkerA, Passed(0.25));

        IReadOnlyList<TrialRecord>? seen = null;
        var inserted = store.Promote(Experiment, records =>
        {
            seen = records;
            // A new trial, and one the store knows (which must keep its passed state and metrics).
            return [Planned("next#1", 100), plan[0]];
        });

        Assert.Equal(["next#1"], inserted);
        Assert.NotNull(seen);
        Assert.Equal(plan.Select(t => t.TrialId), seen!.Select(r => r.TrialId));
        Assert.Equal(0.25, seen!.Single(r => r.TrialId == plan[0].TrialId).Metrics["error_rate"]);
        var next = Trial(store, "next#1");
        Assert.Equal((TrialStatus.Pending, 0, 100), (next.Status, next.Attempt, next.Index));
        var first = Trial(store, plan[0].TrialId);
        Assert.Equal((TrialStatus.Passed, 1), (first.Status, first.Attempt));

        // The same decision again registers nothing: the trial is known.
        Assert.Empty(store.Promote(Experiment, _ => [Planned("next#1", 100)]));
        Assert.NotNull(store.TryClaim(Experiment, "next#1", WorkerB, Clock.Now, false, Stale));
    }

    [StoreFact]
    public void A_decision_that_throws_registers_nothing()
    {
        var store = Open();
        store.Register(Info(), Plan());

        Assert.ThrowsAny<InvalidDataException>(() => store.Promote(Experiment, _ => throw new InvalidDataException("no decision")));
        Assert.Empty(store.Promote(Experiment, _ => []));
        Assert.Equal(Plan().Length, store.GetTrials(Experiment).Count);
    }

    [StoreFact]
    public void Promoters_in_several_processes_decide_one_at_a_time_each_from_what_the_previous_one_registered()
    {
        // Each decision registers the trial numbered by how many promoted trials it sees: two promoters deciding from the
        // same state would register the same number, and a number would be missing. Serialised, every number appears once.
        const int Promoters = 4;
        const int Rounds = 10;
        using (var setup = Backend.Open(TimeProvider.System))
        {
            setup.Register(Info(), Plan());
        }
        var inserted = new ConcurrentBag<string>();
        using var start = new Barrier(Promoters);
        var threads = Enumerable.Range(0, Promoters).Select(p => new Thread(() =>
        {
            using var store = Backend.Open(TimeProvider.System);
            start.SignalAndWait();
            for (var round = 0; round < Rounds; round++)
            {
                foreach (var id in store.Promote(Experiment, records =>
                {
                    var count = records.Count(r => r.TrialId.StartsWith("promoted=", StringComparison.Ordinal));
                    // Widen the window between the read and the insert, where an unserialised promoter would interleave.
                    Thread.Sleep(2);
                    return [Planned($"promoted={count.ToString(CultureInfo.InvariantCulture)}#1", 1000 + count)];
                }))
                {
                    inserted.Add(id);
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        var expected = Enumerable.Range(0, Promoters * Rounds).Select(i => $"promoted={i}#1").Order(StringComparer.Ordinal);
        Assert.Equal(expected, inserted.Order(StringComparer.Ordinal));
        using var check = Backend.Open(TimeProvider.System);
        Assert.Equal(Promoters * Rounds, check.GetTrials(Experiment).Count(t => t.TrialId.StartsWith("promoted=", StringComparison.Ordinal)));
    }
}
