using Experiments.Results;
using Experiments.Runner.Tests.Infrastructure;
using Experiments.Store.Sqlite;
using Microsoft.Data.Sqlite;

namespace Experiments.Runner.Tests.Cluster;

/// <summary><c>merge a.db b.db --into all.db</c>: per-task stores of a cluster run without a shared database.</summary>
public sealed class MergeTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private string Shard(int k) => Path.Combine(_workspace.Directory, $"shard-{k}.db");

    private string All => Path.Combine(_workspace.Directory, "all.db");

    private async Task<RunResult> FixtureAsync(params string[] args)
    {
        using var process = FixtureApp.Start(_workspace.Directory, _workspace.Environment, args);
        return await process.WaitAsync();
    }

    [Fact]
    public async Task Shards_run_into_their_own_stores_merge_into_one_idempotently_and_the_report_reads_it()
    {
        for (var k = 0; k < 2; k++)
        {
            var run = await FixtureAsync("run", "-e", "Fast", "--shard", $"{k}/2", "--store", Shard(k), "--output", _workspace.ReportDirectory);
            Assert.True(run.ExitCode == 0, run.ToString());
        }
        // One trial failed once before passing in shard 0: its history must survive the merge.
        AddEarlierFailedAttempt(Shard(0), "tiny/lr=0.01#1");

        var merge = await FixtureAsync("merge", Shard(0), Shard(1), "--into", All);
        Assert.True(merge.ExitCode == 0, merge.ToString());
        Assert.Contains("Merged 2 store(s)", merge.StandardOutput);

        using (var store = new SqliteResultStore(All))
        {
            var trials = store.GetTrials("Fast");
            Assert.Equal(8, trials.Count);
            Assert.All(trials, t => Assert.Equal(TrialStatus.Passed, t.Status));
            Assert.All(trials, t => Assert.Contains("error_rate", t.Metrics.Keys));
            Assert.Equal(2, store.GetAttemptCounts("Fast")["tiny/lr=0.01#1"]);
            Assert.Equal(16, store.GetEpochMetrics("Fast").Count);
        }
        Assert.Equal(9, Count(All, "attempts"));
        var before = Dump(All);

        var again = await FixtureAsync("merge", Shard(1), Shard(0), "--into", All);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("0 trial(s) taken, 0 attempt(s) of history added", again.StandardOutput);
        Assert.Equal(before, Dump(All));

        var report = await FixtureAsync("report", "-e", "Fast", "--store", All, "--output", _workspace.ReportDirectory);
        Assert.True(report.ExitCode == 0, report.ToString());
        var markdown = File.ReadAllText(Path.Combine(_workspace.ReportDirectory, "Fast.md"));
        Assert.Contains("**Trials:** 8 passed, 0 failed", markdown);
        Assert.Contains("**Ran on:** 1 host", markdown);
    }

    [Fact]
    public async Task A_store_declaring_the_experiment_differently_is_refused_with_its_name()
    {
        var run = await FixtureAsync("run", "-e", "Fast", "--shard", "0/2", "--store", Shard(0), "--output", _workspace.ReportDirectory);
        Assert.True(run.ExitCode == 0, run.ToString());
        using (var other = new SqliteResultStore(Shard(1)))
        {
            var info = other.GetExperiment("Fast");
            Assert.Null(info);
            other.Register(new ExperimentInfo("Fast", 3, "error_rate", Goal.Minimize, 80, 12, 0, [], []), []);
        }

        var merge = await FixtureAsync("merge", Shard(0), Shard(1), "--into", All);

        Assert.Equal(2, merge.ExitCode);
        Assert.Contains(Shard(1), merge.StandardError);
        Assert.Contains("'Fast' differently", merge.StandardError);
    }

    [Fact]
    public async Task A_trial_run_in_two_stores_is_a_conflict_and_nothing_of_that_store_is_merged()
    {
        foreach (var k in new[] { 0, 1 })
        {
            var run = await FixtureAsync("run", "-e", "Fast", "--filter", "Arch=tiny", "--store", Shard(k), "--output", _workspace.ReportDirectory);
            Assert.True(run.ExitCode == 0, run.ToString());
        }
        Assert.Equal(0, (await FixtureAsync("merge", Shard(0), "--into", All)).ExitCode);
        var before = Dump(All);

        var merge = await FixtureAsync("merge", Shard(1), "--into", All);

        Assert.Equal(2, merge.ExitCode);
        Assert.Contains("4 trial(s) ran both there and in", merge.StandardError);
        Assert.Equal(before, Dump(All));
    }

    [Fact]
    public void Columns_are_copied_by_name_so_a_column_the_target_has_and_the_source_lacks_is_left_empty()
    {
        // What a later schema adds must not break merging a file written before it: a column only the target has.
        using (var source = new SqliteResultStore(Shard(0)))
        {
            source.Register(new ExperimentInfo("E", 1, "error_rate", Goal.Minimize, 80, 1, 0, [], []), [new PlannedTrial("t#1", 0, 1, [])]);
            var worker = new WorkerIdentity("node-1", 42, "s");
            var attempt = source.TryClaim("E", "t#1", worker, DateTimeOffset.UtcNow, false, TimeSpan.FromMinutes(1))!.Value;
            source.Complete("E", "t#1", attempt, worker, new TrialOutcome(TrialStatus.Passed, 1, null,
                new Dictionary<string, double> { ["error_rate"] = 0.5 }, new BuildIdentity("b", "r"), "cpu"));
        }
        new SqliteResultStore(All).Dispose();
        Execute(All, "ALTER TABLE attempts ADD COLUMN note TEXT");

        var result = Assert.Single(SqliteStoreMerge.Merge(All, [Shard(0)]));

        Assert.Equal((1, 1, 1), (result.ExperimentsAdded, result.TrialsTaken, result.AttemptsAdded));
        Assert.Equal("node-1:42:s|passed|", Dump(All, "SELECT worker || '|' || status || '|' || COALESCE(note, '') FROM attempts"));
    }

    private static void AddEarlierFailedAttempt(string path, string trialId)
    {
        // As if attempt 1 had failed and attempt 2 passed: the history row of 1, the trial and its rows renumbered 2.
        Execute(path, $"""
            UPDATE trials SET attempt = 2 WHERE trial_id = '{trialId}';
            UPDATE attempts SET attempt = 2 WHERE trial_id = '{trialId}';
            UPDATE metrics SET attempt = 2 WHERE trial_id = '{trialId}';
            UPDATE epoch_metrics SET attempt = 2 WHERE trial_id = '{trialId}';
            INSERT INTO attempts (experiment, trial_id, attempt, worker, status, error) VALUES ('Fast', '{trialId}', 1, 'node-9:1:x', 'failed', 'boom');
            """);
    }

    private static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Count(string path, string table)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Every row of the store's tables, as text, to compare two states.</summary>
    private static string Dump(string path, string? query = null)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=false");
        connection.Open();
        var queries = query is not null
            ? [query]
            : new[] { "experiments", "trials", "attempts", "metrics", "epoch_metrics" }.Select(t => $"SELECT * FROM {t} ORDER BY 1, 2, 3");
        var text = new System.Text.StringBuilder();
        foreach (var sql in queries)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                text.AppendJoin('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)));
                text.Append('\n');
            }
        }
        return text.ToString().TrimEnd('\n');
    }
}
