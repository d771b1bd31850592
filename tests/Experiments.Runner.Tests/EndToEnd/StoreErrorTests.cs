using Experiments.Results;
using Experiments.Runner.Tests.Infrastructure;
using Experiments.Store.Sqlite;
using Microsoft.Data.Sqlite;

namespace Experiments.Runner.Tests.EndToEnd;

/// <summary>
/// A store that cannot be used — someone else's database, a newer schema, a read-only or full disk — stops a command
/// with one line that names the store and exit code 3 (not 1, the code of failed trials), never a stack trace; a
/// file that is not a store is left exactly as it was, and a full disk leaves nothing that the next run cannot finish.
/// </summary>
public sealed class StoreErrorTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private async Task<RunResult> RunAsync(string store, params string[] args)
    {
        var environment = new Dictionary<string, string>(_workspace.Environment) { ["FIXTURE_MARKERS"] = _workspace.MarkerDirectory };
        var full = args.Concat(["--store", store]).ToList();
        if (args[0] is "run")
        {
            full.AddRange(["--output", _workspace.ReportDirectory]);
        }
        using var process = FixtureApp.Start(_workspace.Directory, environment, full.ToArray());
        return await process.WaitAsync();
    }

    /// <summary>Exit code 3 and exactly one line on stderr, the error, naming <paramref name="store"/>; no stack trace anywhere.</summary>
    private static string AssertOneStoreError(RunResult result, string store)
    {
        Assert.True(result.ExitCode == 3, result.ToString());
        var error = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", error);
        Assert.Contains(store, error);
        Assert.DoesNotContain("Unhandled exception", result.ToString());
        Assert.DoesNotContain("   at ", result.ToString());
        return error;
    }

    [Theory]
    [InlineData("list")]
    [InlineData("run")]
    [InlineData("report")]
    public async Task Another_applications_sqlite_file_is_refused_with_exit_code_3_and_left_byte_for_byte_as_it_was(string command)
    {
        var path = Path.Combine(_workspace.Directory, "customers.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('Ada');";
            create.ExecuteNonQuery();
        }
        var before = File.ReadAllBytes(path);
        // A rollback-journal file: bytes 18 and 19 of the header say 1; the switch to WAL would make them 2.
        Assert.Equal((1, 1), (before[18], before[19]));

        var result = await RunAsync(path, command, "-e", "Fast");

        var error = AssertOneStoreError(result, path);
        Assert.Contains("not an Experiments results store", error);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["customers.db"], Directory.GetFiles(_workspace.Directory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_is_refused_with_exit_code_3_and_left_as_it_was()
    {
        var path = Path.Combine(_workspace.Directory, "results.csv");
        File.WriteAllText(path, "trial_id,error_rate\n" + new string('x', 4096));
        var before = File.ReadAllBytes(path);

        var result = await RunAsync(path, "run", "-e", "Fast");

        Assert.Contains("not a SQLite database", AssertOneStoreError(result, path));
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public async Task A_store_of_a_newer_schema_version_is_refused_with_exit_code_3_and_one_line()
    {
        Assert.Equal(0, (await _workspace.RunAsync("run", "-e", "Fast", "--max-trials", "1")).ExitCode);
        using (var connection = new SqliteConnection($"Data Source={_workspace.StorePath};Pooling=False"))
        {
            connection.Open();
            using var newer = connection.CreateCommand();
            newer.CommandText = "INSERT INTO schema_info (version, applied_at) VALUES (99, 0)";
            newer.ExecuteNonQuery();
        }
        Directory.Delete(_workspace.ReportDirectory, recursive: true);

        foreach (var command in new[] { "run", "list" })
        {
            var result = await _workspace.RunAsync(command, "-e", "Fast");

            var error = AssertOneStoreError(result, _workspace.StorePath);
            Assert.Contains("schema version 99", error);
            Assert.Contains($"up to schema version {SqliteResultStore.SchemaVersion}", error);
        }
        Assert.False(Directory.Exists(_workspace.ReportDirectory), "no report of the refused run");
    }

    [TmpfsFact]
    public async Task A_store_on_a_read_only_file_system_is_refused_with_exit_code_3_and_one_line()
    {
        using var disk = Tmpfs.Mount(Path.Combine(_workspace.Directory, "disk"), "2m");
        var store = Path.Combine(disk.Directory, "results.db");
        var first = await RunAsync(store, "run", "-e", "Fast", "--max-trials", "1");
        Assert.True(first.ExitCode == 0, first.ToString());
        disk.MakeReadOnly();

        var result = await RunAsync(store, "run", "-e", "Fast");

        Assert.Contains("writable", AssertOneStoreError(result, store));
        Assert.Empty(result.TrialLines);
    }

    [TmpfsFact]
    public async Task A_full_disk_stops_claiming_exits_3_and_the_next_run_on_a_roomy_disk_finishes_every_trial()
    {
        using var disk = Tmpfs.Mount(Path.Combine(_workspace.Directory, "disk"), "512k");
        // The store and the trials' artifacts share the disk; each trial writes a checkpoint until the disk is full.
        var store = Path.Combine(disk.Directory, "results.db");
        _workspace.Environment["FIXTURE_FILL_DISK"] = "1";

        var full = await RunAsync(store, "run", "-e", "Fast", "--workers", "1");

        var error = AssertOneStoreError(full, store);
        Assert.Contains("the disk is full", error);
        // The first trial filled the disk and could not be recorded; no other trial was claimed.
        Assert.Single(Directory.GetFiles(_workspace.MarkerDirectory, "*.started"));
        var trial = Assert.Single(full.TrialLines);
        Assert.False(trial.Passed, full.ToString());
        Assert.Contains("0 passed, 1 failed", full.Lines);
        Assert.False(Directory.Exists(_workspace.ReportDirectory), "no report of a run the store could not follow");
        IReadOnlyList<TrialRecord> after;
        using (var reader = new SqliteResultStore(store))
        {
            after = reader.GetTrials("Fast");
        }
        Assert.DoesNotContain(after, t => t.Status == TrialStatus.Passed);
        // Marked interrupted where the store still took it; else left running under the dead run, for the next run to release.
        var claimed = Assert.Single(after, t => t.Status != TrialStatus.Pending);
        Assert.Equal(trial.TrialId, claimed.TrialId);

        disk.Resize("16m");
        _workspace.Environment.Remove("FIXTURE_FILL_DISK");
        var next = await RunAsync(store, "run", "-e", "Fast");

        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.Equal((8, 0, 0), next.Closing);
        if (claimed.Status == TrialStatus.Running)
        {
            Assert.Contains("  ! 1 trial(s) left running by a run that died will run again", next.Lines);
        }
        using var final = new SqliteResultStore(store);
        Assert.All(final.GetTrials("Fast"), t => Assert.Equal(TrialStatus.Passed, t.Status));
        Assert.Equal(2, final.GetAttemptCounts("Fast")[claimed.TrialId]);
    }
}
