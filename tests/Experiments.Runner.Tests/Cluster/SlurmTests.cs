using Experiments.Results;
using Experiments.Runner.Tests.Infrastructure;
using Experiments.Store.Postgres;
using Experiments.Store.Tests.Infrastructure;
using Npgsql;

namespace Experiments.Runner.Tests.Cluster;

/// <summary>A fact that needs Slurm and munge, and says how to get them when they are missing.</summary>
internal sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute()
    {
        if (SlurmCluster.MissingReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A fact that needs Slurm, munge and the PostgreSQL server.</summary>
internal sealed class SlurmAndPostgresFactAttribute : FactAttribute
{
    public SlurmAndPostgresFactAttribute()
    {
        if ((SlurmCluster.MissingReason ?? PostgresCluster.MissingReason) is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>
/// <c>deploy slurm</c> for real: the generated script submitted with <c>sbatch</c> to a single-node Slurm cluster,
/// its array tasks claiming from one PostgreSQL store (from <c>EXPERIMENTS_STORE</c>, as a user sets it before
/// <c>sbatch</c>); then a task cancelled mid-trial and requeued. Each trial passes once. In shard mode, one SQLite file
/// per task, merged.
/// </summary>
[Collection(PostgresRunnerCollection.Name)]
public sealed class SlurmTests : IClassFixture<SlurmTests.Cluster>, IDisposable
{
    private readonly Workspace _workspace = new();
    private readonly Cluster _cluster;
    private readonly PostgresCluster _postgres;

    public SlurmTests(Cluster cluster, PostgresCluster postgres)
    {
        _cluster = cluster;
        _postgres = postgres;
    }

    /// <summary>One cluster for the tests of this class; not started where Slurm is missing.</summary>
    public sealed class Cluster : IDisposable
    {
        private readonly Lazy<SlurmCluster> _slurm = new(() => new SlurmCluster());

        public SlurmCluster Slurm => _slurm.Value;

        public void Dispose()
        {
            if (_slurm.IsValueCreated)
            {
                _slurm.Value.Dispose();
            }
        }
    }

    public void Dispose() => _workspace.Dispose();

    [SlurmAndPostgresFact]
    public async Task The_job_array_runs_every_trial_exactly_once_on_the_shared_PostgreSQL_store()
    {
        _workspace.Environment["FIXTURE_FAST_MS"] = "150";
        var schema = UsePostgres();
        var (job, _) = await SubmitAsync("Fast", tasks: 3, parallel: 2);

        await _cluster.Slurm.WaitForEndAsync(job, 3, TimeSpan.FromSeconds(60));

        Assert.All(_cluster.Slurm.States(job).Values, s => Assert.Equal("COMPLETED", s));
        using var store = new PostgresResultStore(_postgres.ConnectionString(schema));
        Assert.All(store.GetTrials("Fast"), t => Assert.Equal(TrialStatus.Passed, t.Status));
        Assert.Equal(8, store.GetAttemptCounts("Fast").Count);
        Assert.All(store.GetAttemptCounts("Fast").Values, a => Assert.Equal(1, a));
        Assert.Equal(8, PassedAttempts(schema, "Fast").Count);
        Assert.All(PassedAttempts(schema, "Fast").Values, n => Assert.Equal(1, n));
        Assert.False(File.Exists(_workspace.StorePath), "a task used the SQLite default instead of EXPERIMENTS_STORE");
    }

    [SlurmFact]
    public async Task In_shard_mode_each_task_writes_its_own_store_and_the_merge_has_every_trial_once()
    {
        var (job, _) = await SubmitAsync("Fast", tasks: 3, parallel: 2, "--mode", "shard");

        await _cluster.Slurm.WaitForEndAsync(job, 3, TimeSpan.FromSeconds(60));

        var shards = Path.Combine(_workspace.Directory, ".experiments", "shards");
        var files = Directory.GetFiles(shards, "shard-*.db").Order().ToArray();
        Assert.Equal(["shard-0.db", "shard-1.db", "shard-2.db"], files.Select(Path.GetFileName));
        var all = Path.Combine(shards, "all.db");
        using (var merge = FixtureApp.Start(_workspace.Directory, null, ["merge", .. files, "--into", all]))
        {
            var result = await merge.WaitAsync();
            Assert.True(result.ExitCode == 0, result.ToString());
        }
        using var store = new Store.Sqlite.SqliteResultStore(all);
        Assert.All(store.GetTrials("Fast"), t => Assert.Equal(TrialStatus.Passed, t.Status));
        Assert.Equal(8, store.GetAttemptCounts("Fast").Count);
        Assert.All(store.GetAttemptCounts("Fast").Values, a => Assert.Equal(1, a));
    }

    [SlurmAndPostgresFact]
    public async Task A_cancelled_and_requeued_task_loses_nothing_and_runs_nothing_twice_on_the_shared_PostgreSQL_store()
    {
        _workspace.Environment["FIXTURE_SLOW_MS"] = "2500";
        var schema = UsePostgres();
        var (job, logs) = await SubmitAsync("Slow", tasks: 2, parallel: 2);
        await _workspace.WaitForStartAsync("step=", null, TimeSpan.FromSeconds(30));
        // Both tasks mid-trial (one worker each), so whichever is cancelled interrupts a trial, however slowly the other started.
        await BothTasksRunATrialAsync(schema);
        var running = await RunningTaskAsync(job);

        _cluster.Slurm.Run("scancel", running);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (_cluster.Slurm.States(job).GetValueOrDefault(running) is "RUNNING" or "COMPLETING")
        {
            Assert.True(DateTime.UtcNow < deadline, $"{running} did not stop");
            await Task.Delay(200);
        }
        _cluster.Slurm.Run("scontrol", "requeue", running);
        await _cluster.Slurm.WaitForEndAsync(job, 2, TimeSpan.FromSeconds(90));

        using var store = new PostgresResultStore(_postgres.ConnectionString(schema));
        Assert.All(store.GetTrials("Slow"), t => Assert.Equal(TrialStatus.Passed, t.Status));
        Assert.All(PassedAttempts(schema, "Slow").Values, n => Assert.Equal(1, n));
        Assert.Equal(4, PassedAttempts(schema, "Slow").Count);
        // The cancel hit a trial (its attempt ended interrupted) and the requeued task ran again (its log, appended, has two runs).
        Assert.Contains(store.GetAttemptCounts("Slow").Values, a => a == 2);
        var log = File.ReadAllText(logs.Replace("%a", running.Split('_')[1], StringComparison.Ordinal));
        Assert.Contains("CANCELLED", log);
        Assert.Matches(@"(?s)CANCELLED.*\d+ passed, \d+ failed", log);
    }

    /// <summary>Writes the script with <c>deploy slurm</c> (on the workspace's store unless in shard mode) and submits it.</summary>
    private async Task<(string Job, string Logs)> SubmitAsync(string experiment, int tasks, int parallel, params string[] options)
    {
        var script = Path.Combine(_workspace.Directory, "job.sbatch");
        var logs = Path.Combine(_workspace.Directory, "slurm-%a.out");
        // Claim mode on PostgreSQL: no --store, the tasks take EXPERIMENTS_STORE from the environment sbatch passes on.
        string[] store = options.Contains("shard") || _workspace.Environment.ContainsKey("EXPERIMENTS_STORE") ? [] : ["--store", _workspace.StorePath];
        using (var deploy = FixtureApp.Start(_workspace.Directory, null, ["deploy", "slurm", "--tasks", $"{tasks}", "--parallel", $"{parallel}",
            "--experiment", experiment, .. store, "--log", logs, "--out", script, .. options]))
        {
            var result = await deploy.WaitAsync();
            Assert.True(result.ExitCode == 0, result.ToString());
        }
        var environment = new Dictionary<string, string>(_workspace.Environment) { ["FIXTURE_MARKERS"] = _workspace.MarkerDirectory };
        return (_cluster.Slurm.Submit(script, environment), logs);
    }

    private async Task BothTasksRunATrialAsync(string schema)
    {
        using var store = new PostgresResultStore(_postgres.ConnectionString(schema));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (store.GetTrials("Slow").Count(t => t.Status == TrialStatus.Running) < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "the two array tasks never ran a trial each at the same time");
            await Task.Delay(100);
        }
    }

    private async Task<string> RunningTaskAsync(string job)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            if (_cluster.Slurm.States(job).FirstOrDefault(s => s.Value == "RUNNING").Key is { } task)
            {
                return task;
            }
            Assert.True(DateTime.UtcNow < deadline, "no array task is running");
            await Task.Delay(100);
        }
    }

    /// <summary>A fresh PostgreSQL store for the job's tasks, given as a user would: <c>EXPERIMENTS_STORE</c> in the submitting shell.</summary>
    private string UsePostgres()
    {
        var schema = _postgres.CreateSchema();
        _workspace.Environment["EXPERIMENTS_STORE"] =
            $"postgres://{PostgresCluster.Role}:{PostgresCluster.RolePassword}@127.0.0.1:{_postgres.Port}/{PostgresCluster.Database}?search_path={schema}";
        return schema;
    }

    /// <summary>How many attempts of each trial passed, from the PostgreSQL store's attempt history.</summary>
    private Dictionary<string, long> PassedAttempts(string schema, string experiment)
    {
        using var connection = new NpgsqlConnection(_postgres.ConnectionString(schema));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT trial_id, COUNT(*) FROM attempts WHERE experiment = @e AND status = 'passed' GROUP BY trial_id";
        command.Parameters.AddWithValue("e", experiment);
        using var reader = command.ExecuteReader();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        while (reader.Read())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }
        return counts;
    }
}
