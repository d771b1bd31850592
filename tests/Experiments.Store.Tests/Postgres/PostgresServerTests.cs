using System.Diagnostics;
using Experiments.Results;
using Experiments.Store.Postgres;
using Experiments.Store.Tests.Contract;
using Experiments.Store.Tests.Infrastructure;
using Npgsql;

namespace Experiments.Store.Tests.Postgres;

/// <summary>What only the PostgreSQL store has: a server that refuses, disappears, restarts, or holds someone else's tables.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresServerTests(PostgresCluster cluster) : StoreContract(new PostgresBackend(cluster)), IRequiresPostgres
{
    private PostgresBackend Postgres => (PostgresBackend)Backend;

    [StoreFact]
    public void A_wrong_password_is_one_clear_error_that_names_the_store_but_not_the_password()
    {
        var location = PostgresLocation.Parse(cluster.ConnectionString(Postgres.Schema, password: "wrong-hunter2"));

        var error = Assert.Throws<ResultStoreException>(() => new PostgresResultStore(location, Clock));

        Assert.Contains(location.ToString(), error.Message);
        Assert.Contains("password", error.Message);
        Assert.DoesNotContain("hunter2", error.Message);
        Assert.DoesNotContain(PostgresCluster.RolePassword, error.ToString());
    }

    [StoreFact]
    public void An_unreachable_server_is_tried_a_few_seconds_then_one_clear_error()
    {
        var closedPort = Postgres.Cluster.Port + 1;
        var location = PostgresLocation.Parse($"postgres://{PostgresCluster.Role}:{PostgresCluster.RolePassword}@127.0.0.1:{closedPort}/experiments");
        var watch = Stopwatch.StartNew();

        var error = Assert.Throws<ResultStoreException>(() => new PostgresResultStore(location, Clock));

        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10));
        Assert.StartsWith($"Cannot reach the results store {location} (tried 6 times", error.Message);
        Assert.DoesNotContain(PostgresCluster.RolePassword, error.Message);
    }

    [StoreFact]
    public void A_missing_database_is_one_clear_error()
    {
        var location = PostgresLocation.Parse(cluster.ConnectionString(database: "no_such_db"));

        var error = Assert.Throws<ResultStoreException>(() => new PostgresResultStore(location, Clock));

        Assert.Contains(location.ToString(), error.Message);
        Assert.Contains("\"no_such_db\" does not exist", error.Message);
    }

    [StoreFact]
    public void A_database_from_a_newer_version_is_refused_with_both_versions_and_left_alone()
    {
        using (var store = Open())
        {
            store.Register(Info(), Plan());
        }
        Postgres.Execute("INSERT INTO schema_info (version, applied_at) VALUES (99, 0)");

        var error = Assert.Throws<ResultStoreException>(() => Postgres.Open(Clock));

        Assert.Contains(PostgresLocation.Parse(Postgres.ConnectionString).ToString(), error.Message);
        Assert.Contains("schema version 99", error.Message);
        Assert.Contains($"up to schema version {PostgresResultStore.SchemaVersion}", error.Message);
        Postgres.Execute("DELETE FROM schema_info WHERE version = 99");
        using var reopened = Open();
        Assert.Equal(Plan().Length, reopened.GetTrials(Experiment).Count);
    }

    [StoreFact]
    public void Another_applications_schema_is_refused_and_left_alone()
    {
        Postgres.Execute("CREATE TABLE customers (id INTEGER PRIMARY KEY)");

        var error = Assert.Throws<ResultStoreException>(() => Postgres.Open(Clock));

        Assert.Contains("not an Experiments results store", error.Message);
        Assert.Contains(Postgres.Schema, error.Message);
        Postgres.Execute("SELECT COUNT(*) FROM customers");
    }

    [StoreFact]
    public void Migrating_a_new_schema_waits_for_the_migration_lock()
    {
        using var holder = new NpgsqlConnection(Postgres.ConnectionString);
        holder.Open();
        using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({Schema.MigrationLock})", holder))
        {
            take.ExecuteNonQuery();
        }

        var opening = Task.Run(() => Track(Postgres.Open(Clock)));

        Assert.False(opening.Wait(TimeSpan.FromMilliseconds(700)), "the migration went ahead without the lock");
        using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({Schema.MigrationLock})", holder))
        {
            release.ExecuteNonQuery();
        }
        Assert.True(opening.Wait(TimeSpan.FromSeconds(10)));
        Assert.Empty(opening.Result.GetExperimentNames());
    }

    [StoreFact]
    public void After_a_server_restart_the_store_reconnects_and_nothing_recorded_is_lost()
    {
        var store = Open();
        store.Register(Info(), Plan());
        var plan = Plan();
        var first = store.TryClaim(Experiment, plan[0].TrialId, WorkerA, Clock.Now, false, Stale)!.Value;
        store.RecordEpochMetrics(Experiment, plan[0].TrialId, first, [new EpochMetricValue(0, "train_loss", 0.7)]);
        Assert.True(store.Complete(Experiment, plan[0].TrialId, first, WorkerA, Passed(0.25)));
        var second = store.TryClaim(Experiment, plan[1].TrialId, WorkerA, Clock.Now, false, Stale)!.Value;

        cluster.Restart();

        // The first operation after the restart finds its connection dropped, reconnects and runs once.
        Assert.True(store.Complete(Experiment, plan[1].TrialId, second, WorkerA, Passed(0.5)));
        cluster.Restart();
        Assert.Equal(1, store.TryClaim(Experiment, plan[2].TrialId, WorkerA, Clock.Now, false, Stale));
        var trials = store.GetTrials(Experiment);
        Assert.Equal((TrialStatus.Passed, 0.25), (trials[0].Status, trials[0].Metrics["error_rate"]));
        Assert.Equal((TrialStatus.Passed, 0.5), (trials[1].Status, trials[1].Metrics["error_rate"]));
        Assert.Equal((TrialStatus.Running, 1), (trials[2].Status, trials[2].Attempt));
        Assert.Single(store.GetEpochMetrics(Experiment));
        Assert.Equal([1, 1, 1, 0], plan.Take(4).Select(t => store.GetAttemptCounts(Experiment)[t.TrialId]));
    }
}
