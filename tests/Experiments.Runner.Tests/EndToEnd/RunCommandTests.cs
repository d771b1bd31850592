using Experiments.Results;
using Experiments.Runner.Tests.Infrastructure;

namespace Experiments.Runner.Tests.EndToEnd;

/// <summary>`run` as a user sees it: lines per trial, the closing count, exit codes, resume, --rerun, --max-trials.</summary>
public sealed class RunCommandTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Run_prints_a_line_per_trial_the_closing_count_and_the_report_path()
    {
        var run = await _workspace.RunAsync("run", "--experiment", "Fast");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal((8, 0, 0), run.Closing);
        Assert.Equal(8, run.TrialLines.Count);
        Assert.All(run.TrialLines, l => Assert.True(l.Passed, run.ToString()));
        Assert.Contains(run.TrialLines, l => l.TrialId == "tiny/lr=0.01#1" && l.Details.StartsWith("error_rate=0.202 ", StringComparison.Ordinal));
        Assert.All(run.TrialLines, l => Assert.Matches(@"fit_time=\d+\.\d+s$", l.Details));

        // The closing line is followed by the report path, and the report exists.
        var lines = run.Lines;
        var closing = lines.ToList().FindIndex(l => l == "8 passed, 0 failed");
        var reportPath = Path.Combine(_workspace.ReportDirectory, "Fast.md");
        Assert.Equal($"Report: {reportPath}", lines[closing + 1]);
        Assert.Contains("Fast", File.ReadAllText(reportPath));

        // What the store keeps: every trial passed, with the build that ran it and a fit time.
        var trials = _workspace.Trials("Fast");
        Assert.Equal(8, trials.Count);
        Assert.All(trials, t =>
        {
            Assert.Equal(TrialStatus.Passed, t.Status);
            Assert.False(string.IsNullOrEmpty(t.BuildId));
            Assert.StartsWith("0.1.0", t.SourceRevision);
            Assert.Equal("cpu", t.Device);
            Assert.True(t.Metrics.ContainsKey(MetricNames.FitTime));
        });
        using var store = _workspace.OpenStore();
        Assert.Contains(store.GetEpochMetrics("Fast"), m => m.Name == MetricNames.TrainLoss && m.Epoch == 2);
    }

    [Fact]
    public async Task A_second_run_executes_nothing_and_rerun_runs_again()
    {
        Assert.Equal((8, 0, 0), (await _workspace.RunAsync("run", "--experiment", "Fast")).Closing);

        var second = await _workspace.RunAsync("run", "--experiment", "Fast");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal((0, 0, 0), second.Closing);
        Assert.Empty(second.TrialLines);
        Assert.Contains("nothing to run", second.StandardOutput);

        var rerun = await _workspace.RunAsync("run", "--experiment", "Fast", "--rerun", "--filter", "Arch=tiny");
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Equal((4, 0, 0), rerun.Closing);
        var attempts = _workspace.Attempts("Fast");
        Assert.All(attempts, a => Assert.Equal(a.Key.StartsWith("tiny", StringComparison.Ordinal) ? 2 : 1, a.Value));
    }

    [Fact]
    public async Task A_missing_prerequisite_stops_the_sweep_once_and_leaves_every_trial_pending()
    {
        _workspace.Environment["FIXTURE_MISSING_DATA"] = "/nowhere/data";

        var run = await _workspace.RunAsync("run", "--experiment", "Fast", "--workers", "2");

        // An environment problem: exit code 2, nothing counted as failed, the fix printed once, no trial line claims a pass.
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal((0, 0, 0), run.Closing);
        Assert.InRange(run.TrialLines.Count, 1, 2);
        Assert.All(run.TrialLines, l => Assert.StartsWith("not started, stays pending: The data set is not in /nowhere/data.", l.Details));
        Assert.Single(run.Lines, l => l == "Get it with: fetch-the-data --to /nowhere/data");
        Assert.Contains("Fast stopped before running its trials; they stay pending", run.StandardOutput);
        Assert.All(_workspace.Trials("Fast"), t => Assert.Equal(TrialStatus.Pending, t.Status));
        using (var store = _workspace.OpenStore())
        {
            Assert.All(store.GetAttemptCounts("Fast").Values, count => Assert.Equal(0, count));
        }

        // Once the prerequisite is there, the same command runs everything.
        _workspace.Environment.Remove("FIXTURE_MISSING_DATA");
        var fixedRun = await _workspace.RunAsync("run", "--experiment", "Fast");
        Assert.True(fixedRun.ExitCode == 0, fixedRun.ToString());
        Assert.Equal((8, 0, 0), fixedRun.Closing);
    }

    [Fact]
    public async Task Max_trials_caps_one_invocation_and_the_next_goes_on()
    {
        var first = await _workspace.RunAsync("run", "--experiment", "Fast", "--max-trials", "3", "--workers", "2");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal((3, 0, 0), first.Closing);

        var list = await _workspace.RunAsync("list", "--experiment", "Fast");
        Assert.Contains("Fast: 8 trials (5 pending, 3 passed)", list.StandardOutput);

        var rest = await _workspace.RunAsync("run", "--experiment", "Fast");
        Assert.Equal((5, 0, 0), rest.Closing);
        Assert.All(_workspace.Attempts("Fast").Values, count => Assert.Equal(1, count));
    }

    [Fact]
    public async Task One_worker_runs_every_trial_in_one_reused_process_other_than_the_host()
    {
        using var host = _workspace.Start("run", "--experiment", "Fast");
        var run = await host.WaitAsync();

        Assert.True(run.ExitCode == 0, run.ToString());
        var pids = _workspace.Trials("Fast").Select(t => (int)t.Metrics["worker_pid"]).Distinct().ToArray();
        var pid = Assert.Single(pids);
        Assert.NotEqual(host.Process.Id, pid);
    }

    [Fact]
    public async Task Unknown_filter_parameters_are_a_clear_error()
    {
        var run = await _workspace.RunAsync("run", "--experiment", "Fast", "--filter", "Colour=red");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Unknown parameter 'Colour'", run.StandardError);
        Assert.Contains("Arch", run.StandardError);
        Assert.Contains("LearningRate (lr)", run.StandardError);
        Assert.False(File.Exists(_workspace.StorePath));
    }

    [Fact]
    public async Task Unknown_experiments_are_a_clear_error()
    {
        var run = await _workspace.RunAsync("run", "--experiment", "Nope");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Unknown experiment 'Nope'. Experiments: Fast, Crash, Slow.", run.StandardError);
    }

    [Fact]
    public async Task A_filter_on_a_parameter_of_one_experiment_leaves_the_others_out()
    {
        _workspace.Environment["FIXTURE_SLOW_MS"] = "50";

        var run = await _workspace.RunAsync("run", "--filter", "step=1,2");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["step=1#1", "step=2#1"], run.TrialLines.Select(l => l.TrialId));
        Assert.Equal((2, 0, 0), run.Closing);
    }

    [Fact]
    public async Task List_without_an_experiment_lists_them_all()
    {
        var list = await _workspace.RunAsync("list");

        Assert.Contains("Fast: 8 trials (8 pending)", list.Lines);
        Assert.Contains("Crash: 8 trials (8 pending)", list.Lines);
        Assert.Contains("Slow: 4 trials (4 pending)", list.Lines);
        Assert.Equal("20 trials", list.Lines[^1]);
    }

    [Fact]
    public async Task Invalid_options_are_usage_errors()
    {
        var run = await _workspace.RunAsync("run", "--workers", "0");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--workers 0 is too small: give a whole number of at least 1.", run.StandardError);
    }

    [Fact]
    public async Task List_shows_every_trial_with_parameters_and_status_and_the_count()
    {
        var list = await _workspace.RunAsync("list", "--experiment", "Fast", "--filter", "arch=small");

        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains("  pending     small/lr=0.01#1  Arch=small LearningRate=0.01", list.Lines);
        Assert.Equal("4 trials", list.Lines[^1]);
        Assert.False(File.Exists(_workspace.StorePath), "list must not create a store");
    }

    [Fact]
    public async Task Help_documents_the_filter_syntax()
    {
        var help = await _workspace.RunAsync("run", "--help");

        Assert.Contains("--filter", help.StandardOutput);
        Assert.Contains("'*' wildcards", help.StandardOutput);
        Assert.DoesNotContain("worker", (await _workspace.RunAsync("--help")).StandardOutput.Split('\n').Where(l => l.StartsWith("  ", StringComparison.Ordinal)).Select(l => l.Trim().Split(' ')[0]));
    }
}
