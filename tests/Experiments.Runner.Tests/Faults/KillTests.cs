using Experiments.Runner.Tests.Infrastructure;
using Experiments.Store.Postgres;
using Experiments.Store.Sqlite;
using Experiments.Store.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;
using Xunit.Abstractions;

namespace Experiments.Runner.Tests.Faults;

/// <summary>
/// Issue 15, fault tests: 4 concurrent `run` hosts × 10 rounds on one store with seeded random kill -9 of hosts and
/// workers, then a clean run: 0 duplicate executions of a passed trial, 0 completed results lost, every trial passed.
/// In the PostgreSQL collection so the two tests run one after the other (and never beside the other PostgreSQL tests).
/// </summary>
[Collection(PostgresRunnerCollection.Name)]
public sealed class KillTests(PostgresCluster cluster, ITestOutputHelper output) : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Kill_9_of_hosts_and_workers_on_SQLite_loses_no_result_and_runs_no_passed_trial_twice()
    {
        var path = _workspace.StorePath;
        var rounds = new KillRounds(_workspace, "SQLite", path,
            () => new SqliteResultStore(path),
            () => new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()),
            output);
        await rounds.RunAsync();
    }

    [PostgresFact]
    public async Task Kill_9_of_hosts_and_workers_on_PostgreSQL_loses_no_result_and_runs_no_passed_trial_twice()
    {
        var schema = cluster.CreateSchema();
        var uri = $"postgres://{PostgresCluster.Role}:{PostgresCluster.RolePassword}@127.0.0.1:{cluster.Port}/{PostgresCluster.Database}?search_path={schema}";
        var rounds = new KillRounds(_workspace, "PostgreSQL", uri,
            () => new PostgresResultStore(uri),
            () => new NpgsqlConnection(cluster.ConnectionString(schema)),
            output);
        await rounds.RunAsync();
    }
}
