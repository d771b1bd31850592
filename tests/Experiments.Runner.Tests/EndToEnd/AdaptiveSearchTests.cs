using Experiments.Results;
using Experiments.Runner.Tests.Infrastructure;

namespace Experiments.Runner.Tests.EndToEnd;

/// <summary>
/// Successive halving through the runner, on the fixture's <c>Halving</c> experiment: nine models, rungs of 1, 3 and 9
/// epochs, two repeats; m7 is best, then m4 and m1, at every budget.
/// </summary>
public sealed class AdaptiveSearchTests : IDisposable
{
    private const int SigKill = 9;
    private readonly Workspace _workspace = new();

    public AdaptiveSearchTests()
    {
        _workspace.Environment["FIXTURE_EXTRA_EXPERIMENTS"] = "Halving";
    }

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task A_run_promotes_the_best_third_rung_by_rung_and_continues_each_from_the_rung_below()
    {
        var result = await _workspace.RunAsync("run", "--experiment", "Halving", "--workers", "2");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("promoted to the next rung: m7/epochs=3", result.StandardOutput);
        var trials = AssertFinishedSearch();
        Assert.Equal(result.Closing.Passed, trials.Count);
        Assert.All(_workspace.Attempts("Halving").Values, attempts => Assert.Equal(1, attempts));

        // Each promoted trial continued from its own configuration's state one rung below: it trained the difference.
        Assert.All(trials.Where(t => Rung(t) > 0), t => Assert.Equal(
            (Rung(t) == 1 ? 1 : 3, Rung(t) == 1 ? 2 : 6),
            ((int)t.Metrics["continued_from"], (int)t.Metrics["budget_spent"])));
    }

    [Fact]
    public async Task Four_runs_on_one_store_make_each_promotion_and_run_each_trial_exactly_once()
    {
        _workspace.Environment["FIXTURE_FAST_MS"] = "60";

        var runs = Enumerable.Range(0, 4).Select(_ => _workspace.Start("run", "--experiment", "Halving")).ToArray();
        var results = await Task.WhenAll(runs.Select(r => r.WaitAsync(TimeSpan.FromMinutes(3))));
        foreach (var run in runs)
        {
            run.Dispose();
        }

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));
        var trials = AssertFinishedSearch();
        // Every registered trial ran once, in one of the four runs, and no trial was printed by two of them.
        Assert.All(_workspace.Attempts("Halving").Values, attempts => Assert.Equal(1, attempts));
        var ran = results.SelectMany(r => r.TrialLines.Select(l => l.TrialId)).ToArray();
        Assert.Equal(trials.Select(t => t.TrialId).Order(), ran.Order());
        // Each promotion was announced by the one run that made it.
        var announced = results.SelectMany(r => r.Lines.Where(l => l.Contains("promoted to the next rung: ", StringComparison.Ordinal))
            .SelectMany(l => l[(l.IndexOf(": ", StringComparison.Ordinal) + 2)..].Split(", "))).ToArray();
        Assert.Equal(announced.Distinct().Count(), announced.Length);
        Assert.Equal(trials.Where(t => Rung(t) > 0).Select(t => TrialId.ConfigurationIdOf(t.TrialId)).Distinct().Order(), announced.Order());
    }

    [Fact]
    public async Task After_kill_9_of_the_host_the_next_run_resumes_the_search_where_the_store_left_it()
    {
        _workspace.Environment["FIXTURE_FAST_MS"] = "400";
        using (var host = _workspace.Start("run", "--experiment", "Halving", "--workers", "2"))
        {
            // Killed while the second rung runs: first-rung results and promotions are in the store, a trial is in flight.
            await _workspace.WaitForStartAsync("epochs=3", host, TimeSpan.FromMinutes(1));
            host.Signal(SigKill);
            await host.Process.WaitForExitAsync();
        }
        var killed = _workspace.Trials("Halving");
        Assert.Contains(killed, t => t.Status == TrialStatus.Running);
        Assert.Contains(killed, t => Rung(t) == 1);

        _workspace.Environment["FIXTURE_FAST_MS"] = "20";
        var next = await RunAfterOrphansLeaveAsync();

        Assert.True(next.ExitCode == 0, next.ToString());
        var trials = AssertFinishedSearch();
        // Only the trials in flight at the kill ran twice; what had finished was kept.
        var attempts = _workspace.Attempts("Halving");
        var inFlight = killed.Where(t => t.Status == TrialStatus.Running).Select(t => t.TrialId).ToHashSet();
        Assert.All(trials, t => Assert.Equal(inFlight.Contains(t.TrialId) ? 2 : 1, attempts[t.TrialId]));
        Assert.All(killed.Where(t => t.Status == TrialStatus.Passed), k => Assert.DoesNotContain(k.TrialId, next.TrialLines.Select(l => l.TrialId)));
    }

    [Fact]
    public async Task Results_recorded_without_their_promotions_are_promoted_by_the_next_run()
    {
        // What a run that died between recording its results and promoting leaves: the first rung done, no second rung.
        var first = await _workspace.RunAsync("run", "--experiment", "Halving", "--filter", "epochs=1");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal((18, 0, 0), first.Closing);
        Assert.All(_workspace.Trials("Halving"), t => Assert.Equal(0, Rung(t)));

        var next = await _workspace.RunAsync("run", "--experiment", "Halving");

        Assert.True(next.ExitCode == 0, next.ToString());
        var trials = AssertFinishedSearch();
        // All nine had finished, so exactly the best third moved up: m7, m4 and m1; then m7 alone.
        Assert.Equal(["m1", "m4", "m7"], Models(trials, 1));
        Assert.Equal(["m7"], Models(trials, 2));
        Assert.Equal(8, next.Closing.Passed);
    }

    [Fact]
    public async Task A_successive_halving_search_refuses_to_run_in_shards()
    {
        var result = await _workspace.RunAsync("run", "--experiment", "Halving", "--shard", "1/2");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("successive-halving search", result.StandardError);
        Assert.Contains("--shard", result.StandardError);
        Assert.Empty(_workspace.Trials("Halving"));
    }

    /// <summary>
    /// What every finished Halving search satisfies, however its runs were scheduled: every registered trial passed; all
    /// nine configurations ran the first rung with both repeats; the best third (m7, m4, m1) reached the second rung
    /// and m7 the top; a configuration is at a rung only when it was at the one below, with both repeats.
    /// </summary>
    private IReadOnlyList<TrialRecord> AssertFinishedSearch()
    {
        var trials = _workspace.Trials("Halving");
        Assert.All(trials, t => Assert.Equal(TrialStatus.Passed, t.Status));
        Assert.Equal(18, trials.Count(t => Rung(t) == 0));
        Assert.Superset(new HashSet<string> { "m1", "m4", "m7" }, Models(trials, 1).ToHashSet());
        Assert.Contains("m7", Models(trials, 2));
        for (var rung = 1; rung <= 2; rung++)
        {
            Assert.Subset(Models(trials, rung - 1).ToHashSet(), Models(trials, rung).ToHashSet());
            Assert.All(Models(trials, rung), m => Assert.Equal(2, trials.Count(t => Rung(t) == rung && t.Parameter("Model") == m)));
        }
        return trials;
    }

    private static int Rung(TrialRecord trial) => Array.IndexOf(["1", "3", "9"], trial.Parameter("Epochs"));

    private static string[] Models(IEnumerable<TrialRecord> trials, int rung)
        => trials.Where(t => Rung(t) == rung).Select(t => t.Parameter("Model")!).Distinct().Order().ToArray();

    /// <summary>The next run, once the killed host's orphaned workers have noticed and left (their trials are released then).</summary>
    private async Task<RunResult> RunAfterOrphansLeaveAsync()
    {
        await Task.Delay(TimeSpan.FromSeconds(2));
        return await _workspace.RunAsync("run", "--experiment", "Halving", "--workers", "2");
    }
}
