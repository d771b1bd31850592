using System.Collections.Concurrent;
using Experiments.Results;
using Experiments.Store.Tests.Infrastructure;

namespace Experiments.Store.Tests.Contract;

public abstract class ConcurrencyTests(IStoreBackend backend) : StoreContract(backend)
{
    /// <summary>How many new stores the race test creates.</summary>
    protected virtual int NewStoreRounds => 100;

    [StoreFact]
    public void Two_claimers_never_get_the_same_trial()
    {
        const int Claimers = 6;
        const int Trials = 40;
        var plan = Enumerable.Range(0, Trials)
            .Select(i => new PlannedTrial($"trial={i}#1", i, 1, [new("Trial", i.ToString(System.Globalization.CultureInfo.InvariantCulture))]))
            .ToArray();
        using (var setup = Backend.Open(TimeProvider.System))
        {
            setup.Register(Info(), plan);
        }
        var sweepStart = DateTimeOffset.UtcNow;
        var claims = new ConcurrentBag<(string TrialId, int Claimer, int Attempt)>();
        using var start = new Barrier(Claimers);

        // Each claimer is its own connection, as separate processes would be; each walks the trials in its own order.
        var threads = Enumerable.Range(0, Claimers).Select(c => new Thread(() =>
        {
            using var store = Backend.Open(TimeProvider.System);
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
        using var check = Backend.Open(TimeProvider.System);
        var trials = check.GetTrials(Experiment);
        Assert.All(trials, t => Assert.Equal(TrialStatus.Running, t.Status));
        Assert.All(claims, c => Assert.Equal($"host:{1000 + c.Claimer}:s{c.Claimer}", trials.Single(t => t.TrialId == c.TrialId).Worker));
    }

    [StoreFact]
    public void Several_processes_may_register_the_same_experiment_at_once()
    {
        using (Backend.Open(TimeProvider.System))
        {
        }
        var plan = Plan();

        Parallel.For(0, 4, _ =>
        {
            using var store = Backend.Open(TimeProvider.System);
            store.Register(Info(), plan);
        });

        using var check = Backend.Open(TimeProvider.System);
        Assert.Equal(plan.Length, check.GetTrials(Experiment).Count);
    }

    [StoreFact]
    public void Many_processes_may_create_the_same_new_store_at_once()
    {
        // The race: one opener commits the schema of a new file while another is looking at it. Openers start a
        // little apart (so some look while the winner is mid-commit, not only wait for its lock) and open twice.
        // Before the fix this failed most SQLite runs with "not an Experiments results store".
        const int Openers = 8;
        const int OpensEach = 2;
        const double StaggerMicroseconds = 300;
        var failures = new ConcurrentBag<string>();

        for (var round = 0; round < NewStoreRounds; round++)
        {
            var place = $"round-{round}";
            using var start = new Barrier(Openers);
            var threads = Enumerable.Range(0, Openers).Select(opener => new Thread(() =>
            {
                start.SignalAndWait();
                var delay = System.Diagnostics.Stopwatch.StartNew();
                while (delay.Elapsed.TotalMicroseconds < opener * StaggerMicroseconds)
                {
                    Thread.SpinWait(20);
                }
                // Each open is its own instance and connection, as separate processes would be.
                for (var open = 0; open < OpensEach; open++)
                {
                    try
                    {
                        using var store = Backend.OpenAt(place, TimeProvider.System);
                        store.GetExperimentNames();
                    }
                    catch (Exception e)
                    {
                        failures.Add($"round {round}, opener {opener}: {e.GetType().Name}: {e.Message}");
                    }
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());

            // Each migration applied exactly once, whoever won.
            Assert.Equal(((long)Backend.LatestSchemaVersion, (long)Backend.LatestSchemaVersion), Backend.SchemaVersions(place));
        }

        Assert.True(failures.IsEmpty, string.Join(Environment.NewLine, failures));
    }
}
