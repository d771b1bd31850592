using System.Collections.Concurrent;
using Experiments.Results;
using Experiments.Store.Sqlite;

namespace Experiments.Store.Tests;

public sealed class ConcurrencyTests : StoreFixture
{
    [Fact]
    public void Two_claimers_never_get_the_same_trial()
    {
        const int Claimers = 6;
        const int Trials = 40;
        var plan = Enumerable.Range(0, Trials)
            .Select(i => new PlannedTrial($"trial={i}#1", i, 1, [new("Trial", i.ToString(System.Globalization.CultureInfo.InvariantCulture))]))
            .ToArray();
        using (var setup = new SqliteResultStore(FilePath))
        {
            setup.Register(Info(), plan);
        }
        var sweepStart = DateTimeOffset.UtcNow;
        var claims = new ConcurrentBag<(string TrialId, int Claimer, int Attempt)>();
        using var start = new Barrier(Claimers);

        // Each claimer is its own connection, as separate processes would be; each walks the trials in its own order.
        var threads = Enumerable.Range(0, Claimers).Select(c => new Thread(() =>
        {
            using var store = new SqliteResultStore(FilePath);
            var worker = new WorkerIdentity("host", 1000 + c, $"s{c}");
            var order = plan.Select(t => t.TrialId).ToArray();
            new Random(c).Shuffle(order);
            start.SignalAndWait();
            foreach (var id in order)
            {
                if (store.TryClaim(Experiment, id, worker, sweepStart, rerunPassed: true, TimeSpan.FromHours(1)) is { } attempt)
                {
                    claims.Add((id, c, attempt));
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(plan.Select(t => t.TrialId).Order(), claims.Select(c => c.TrialId).Order());
        Assert.All(claims, c => Assert.Equal(1, c.Attempt));
        using var check = new SqliteResultStore(FilePath);
        var trials = check.GetTrials(Experiment);
        Assert.All(trials, t => Assert.Equal(TrialStatus.Running, t.Status));
        Assert.All(claims, c => Assert.Equal($"host:{1000 + c.Claimer}:s{c.Claimer}", trials.Single(t => t.TrialId == c.TrialId).Worker));
    }

    [Fact]
    public void Several_processes_may_register_the_same_experiment_at_once()
    {
        using (var create = new SqliteResultStore(FilePath))
        {
        }
        var plan = Plan();

        Parallel.For(0, 4, _ =>
        {
            using var store = new SqliteResultStore(FilePath);
            store.Register(Info(), plan);
        });

        using var check = new SqliteResultStore(FilePath);
        Assert.Equal(plan.Length, check.GetTrials(Experiment).Count);
    }
}
