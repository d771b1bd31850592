using System.Diagnostics;
using Experiments.Benchmarks.Measurement;
using Experiments.Benchmarks.Reporting;
using Experiments.Results;
using Experiments.Store.Postgres;
using Experiments.Store.Sqlite;
using Experiments.Store.Tests.Infrastructure;

namespace Experiments.Benchmarks.Sections;

/// <summary>
/// Issue 15 (store): what one trial costs the results store — one claim plus one complete, the two writes every trial
/// makes — on the embedded SQLite file and on a PostgreSQL server (a throwaway local cluster, loopback TCP, password
/// authentication, fsync off as in the store tests), one after the other in the same run so the ratio is fair.
/// Skipped, with the reason, when the PostgreSQL server binaries are not installed.
/// </summary>
public static class StoreSection
{
    private const int Trials = 600;
    private const int Warmup = 50;
    private const int Batch = 50;

    public static void Run(RunContext context)
    {
        var table = new ResultTable("store", $"Results store: one claim + complete cycle ({Trials - Warmup} trials, median of batches of {Batch})",
            "store", "cycle ms", "claim ms", "complete ms", "min cycle ms", "max cycle ms");
        string folder = Directory.CreateTempSubdirectory("experiments-bench-store-").FullName;
        try
        {
            var sqlite = Measure("SQLite (WAL, synchronous=FULL)", () => new SqliteResultStore(Path.Combine(folder, "results.db")));
            Add(table, "SQLite file (WAL, synchronous=FULL)", sqlite);
            if (PostgresCluster.MissingReason is { } reason)
            {
                table.Note($"PostgreSQL skipped: {reason}.");
            }
            else
            {
                RunReport.Progress("store: starting a throwaway PostgreSQL cluster");
                using var cluster = new PostgresCluster();
                var postgres = Measure("PostgreSQL", () => new PostgresResultStore(PostgresLocation.Parse(cluster.ConnectionString(cluster.CreateSchema())), TimeProvider.System));
                Add(table, "PostgreSQL 15 (loopback TCP, fsync off)", postgres);
                table.Note($"PostgreSQL / SQLite per cycle: {postgres.Cycle.Median / sqlite.Cycle.Median:0.00}×.");
            }
            table.Note("SQLite syncs every commit to disk (synchronous=FULL); the test cluster does not (fsync=off), so a production "
                + "server with fsync on adds its disk's flush time to each of PostgreSQL's two commits.");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        context.Report.Add(table);
    }

    private sealed record Timing(Stats Cycle, Stats Claim, Stats Complete);

    private static void Add(ResultTable table, string name, Timing timing)
        => table.Add(name, timing.Cycle.Median, timing.Claim.Median, timing.Complete.Median, timing.Cycle.Min, timing.Cycle.Max);

    private static Timing Measure(string name, Func<IResultStore> open)
    {
        RunReport.Progress($"store: {name}, {Trials} claim + complete cycles");
        using var store = open();
        var plan = Enumerable.Range(0, Trials)
            .Select(i => new PlannedTrial($"seed={i}#1", i, 1, [new("Seed", i.ToString(System.Globalization.CultureInfo.InvariantCulture))]))
            .ToArray();
        store.Register(new ExperimentInfo("StoreBench", 1, "loss", Goal.Minimize, 0, Trials, 0,
            [new ParameterDefinition("Seed", "seed", "int", false, [.. plan.Select(p => p.Parameters[0].Value)])], []), plan);
        var worker = WorkerIdentity.ForCurrentProcess();
        var sweepStart = DateTimeOffset.UtcNow;
        var outcome = new TrialOutcome(TrialStatus.Passed, 0.01, null, new Dictionary<string, double> { ["loss"] = 0.5, ["fit_time"] = 0.01 },
            new BuildIdentity("bench", "bench"), "cpu");
        List<double> cycles = [], claims = [], completes = [];
        double claimMs = 0, completeMs = 0;
        var watch = new Stopwatch();
        for (var i = 0; i < Trials; i++)
        {
            watch.Restart();
            var attempt = store.TryClaim("StoreBench", plan[i].TrialId, worker, sweepStart, false, TimeSpan.FromMinutes(5))
                ?? throw new InvalidOperationException($"{name}: {plan[i].TrialId} was not claimable.");
            var claimed = watch.Elapsed.TotalMilliseconds;
            if (!store.Complete("StoreBench", plan[i].TrialId, attempt, worker, outcome))
            {
                throw new InvalidOperationException($"{name}: the result of {plan[i].TrialId} was refused.");
            }
            var done = watch.Elapsed.TotalMilliseconds;
            if (i < Warmup)
            {
                continue;
            }
            claimMs += claimed;
            completeMs += done - claimed;
            if ((i - Warmup + 1) % Batch == 0)
            {
                claims.Add(claimMs / Batch);
                completes.Add(completeMs / Batch);
                cycles.Add((claimMs + completeMs) / Batch);
                claimMs = completeMs = 0;
            }
        }
        return new Timing(Stats.Of(cycles), Stats.Of(claims), Stats.Of(completes));
    }
}
