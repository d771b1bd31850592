using Experiments.Results;
using Experiments.Runner.Tests.Infrastructure;
using Experiments.Store.Postgres;
using Experiments.Store.Tests.Infrastructure;

namespace Experiments.Runner.Tests.EndToEnd;

/// <summary>`run`, `list` and `report` on the shared PostgreSQL store, chosen by EXPERIMENTS_STORE or --store.</summary>
[Collection(PostgresRunnerCollection.Name)]
public sealed class PostgresStoreTests(PostgresCluster cluster) : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private string Uri(string schema)
        => $"postgres://{PostgresCluster.Role}:{PostgresCluster.RolePassword}@127.0.0.1:{cluster.Port}/{PostgresCluster.Database}?search_path={schema}";

    private async Task<RunResult> RunAsync(Dictionary<string, string> environment, params string[] args)
    {
        using var process = FixtureApp.Start(_workspace.Directory, environment, args);
        return await process.WaitAsync();
    }

    [PostgresFact]
    public async Task A_sweep_runs_on_the_store_from_EXPERIMENTS_STORE_and_resumes_there()
    {
        var uri = Uri(cluster.CreateSchema());
        var environment = new Dictionary<string, string> { ["EXPERIMENTS_STORE"] = uri };

        var run = await RunAsync(environment, "run", "--experiment", "Fast", "--output", _workspace.ReportDirectory);
        var again = await RunAsync(environment, "run", "--experiment", "Fast", "--output", _workspace.ReportDirectory);
        var list = await RunAsync(environment, "list", "--experiment", "Fast");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal((8, 0, 0), run.Closing);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal((0, 0, 0), again.Closing);
        Assert.Contains("Fast: 8 trials (8 passed)", list.StandardOutput);
        Assert.False(File.Exists(Path.Combine(_workspace.Directory, ".experiments", "results.db")), "the SQLite default was used");
        Assert.All(new[] { run, again, list }, r => Assert.DoesNotContain(PostgresCluster.RolePassword, r.ToString()));
        using var store = new PostgresResultStore(uri);
        var trials = store.GetTrials("Fast");
        Assert.Equal(8, trials.Count);
        Assert.All(trials, t => Assert.Equal((TrialStatus.Passed, 1), (t.Status, t.Attempt)));
    }

    [PostgresFact]
    public async Task Four_runs_of_a_successive_halving_search_on_the_shared_store_promote_and_run_each_trial_once()
    {
        var uri = Uri(cluster.CreateSchema());
        var environment = new Dictionary<string, string>
        {
            ["EXPERIMENTS_STORE"] = uri, ["FIXTURE_EXTRA_EXPERIMENTS"] = "Halving", ["FIXTURE_FAST_MS"] = "60",
        };

        var results = await Task.WhenAll(Enumerable.Range(0, 4)
            .Select(_ => RunAsync(environment, "run", "--experiment", "Halving", "--output", _workspace.ReportDirectory)));

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));
        using var store = new PostgresResultStore(uri);
        var trials = store.GetTrials("Halving");
        Assert.All(trials, t => Assert.Equal((TrialStatus.Passed, 1), (t.Status, t.Attempt)));
        Assert.Equal(trials.Select(t => t.TrialId).Order(), results.SelectMany(r => r.TrialLines.Select(l => l.TrialId)).Order());
        string[] At(string epochs) => trials.Where(t => t.Parameter("Epochs") == epochs).Select(t => t.Parameter("Model")!).Distinct().Order().ToArray();
        Assert.Equal(9, At("1").Length);
        Assert.Superset(new HashSet<string> { "m1", "m4", "m7" }, At("3").ToHashSet());
        Assert.Contains("m7", At("9"));
    }

    [PostgresFact]
    public async Task The_store_option_wins_over_the_environment_and_errors_never_show_the_password()
    {
        var uri = Uri(cluster.CreateSchema());
        var wrong = new Dictionary<string, string> { ["EXPERIMENTS_STORE"] = uri.Replace(PostgresCluster.RolePassword, "wrong-pw", StringComparison.Ordinal) };

        var refused = await RunAsync(wrong, "list", "--experiment", "Fast");
        var chosen = await RunAsync(wrong, "run", "--experiment", "Fast", "--max-trials", "2", "--store", uri, "--output", _workspace.ReportDirectory);

        // A store error: exit code 3, one line.
        Assert.Equal(3, refused.ExitCode);
        var error = Assert.Single(refused.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith($"error: Results store {PostgresLocation.Parse(uri)}: the server refused the credentials", error);
        Assert.DoesNotContain("wrong-pw", refused.ToString());
        Assert.True(chosen.ExitCode == 0, chosen.ToString());
        Assert.Equal((2, 0, 0), chosen.Closing);
        Assert.DoesNotContain(PostgresCluster.RolePassword, chosen.ToString());
    }

    [PostgresFact]
    public async Task A_server_restart_in_the_middle_of_a_sweep_loses_nothing_and_the_next_run_finishes()
    {
        var uri = Uri(cluster.CreateSchema());
        var environment = new Dictionary<string, string> { ["EXPERIMENTS_STORE"] = uri, ["FIXTURE_FAST_MS"] = "300" };
        using var watcher = new PostgresResultStore(uri);

        using (var process = FixtureApp.Start(_workspace.Directory, environment, "run", "--experiment", "Fast", "--workers", "1", "--output", _workspace.ReportDirectory))
        {
            // Restart once some results are in and others are still to come.
            var deadline = DateTime.UtcNow + FixtureApp.DefaultTimeout;
            while (DateTime.UtcNow < deadline && Passed(watcher) < 2)
            {
                await Task.Delay(50);
            }
            cluster.Restart();
            var interrupted = await process.WaitAsync();

            // Either it reconnected and finished, or it stopped with one clear line; never a stack trace.
            Assert.True(interrupted.ExitCode is 0 or 1 or 3, interrupted.ToString());
            Assert.DoesNotContain("   at ", interrupted.ToString());
            Assert.DoesNotContain("Unhandled exception", interrupted.ToString());
        }
        var before = watcher.GetTrials("Fast").Where(t => t.Status == TrialStatus.Passed).Select(t => t.TrialId).ToHashSet();

        var next = await RunAsync(environment, "run", "--experiment", "Fast", "--output", _workspace.ReportDirectory);

        Assert.True(next.ExitCode == 0, next.ToString());
        var trials = watcher.GetTrials("Fast");
        Assert.All(trials, t => Assert.Equal(TrialStatus.Passed, t.Status));
        // What was recorded before the restart stayed, and no passed trial ran again.
        Assert.All(before, id => Assert.DoesNotContain(next.TrialLines, l => l.TrialId == id));
        Assert.Equal(8 - before.Count, next.Closing.Passed);
    }

    private static int Passed(PostgresResultStore store)
        => store.GetExperimentNames().Contains("Fast") ? store.GetTrials("Fast").Count(t => t.Status == TrialStatus.Passed) : 0;
}
