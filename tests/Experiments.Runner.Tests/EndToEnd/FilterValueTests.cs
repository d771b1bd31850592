using Experiments.Runner.Tests.Infrastructure;

namespace Experiments.Runner.Tests.EndToEnd;

/// <summary>
/// A filter value no trial has (of another type than its parameter, or not among its values) is warned about with
/// the parameter, the value and the values there are; a filter that selects nothing exits 2 and writes no report.
/// </summary>
public sealed class FilterValueTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public FilterValueTests() => _workspace.Environment["FIXTURE_SLOW_MS"] = "50";

    public void Dispose() => _workspace.Dispose();

    [Theory]
    [InlineData("Slow", "Step=abc", "warning: --filter: Step is an int parameter and 'abc' is not a whole number; its values: 1, 2, 3, 4.")]
    [InlineData("Slow", "step=7", "warning: --filter: no value of Step is '7' (int); its values: 1, 2, 3, 4.")]
    [InlineData("Fast", "Arch=resnet", "warning: --filter: no value of Arch is 'resnet' (string); its values: tiny, small.")]
    [InlineData("Fast", "Arch=tiny&lr=0.010", "warning: --filter: no value of LearningRate is '0.010' (double); its values: 0.01, 0.1.")]
    [InlineData("Fast", "LearningRate=fast", "warning: --filter: LearningRate is a double parameter and 'fast' is not a number; its values: 0.01, 0.1.")]
    public async Task A_value_no_trial_has_is_warned_about_and_run_exits_2_without_a_report(string experiment, string filter, string warning)
    {
        var run = await _workspace.RunAsync("run", "-e", experiment, "--filter", filter);

        Assert.True(run.ExitCode == 2, run.ToString());
        var lines = run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(warning, lines[0]);
        Assert.Equal($"error: --filter '{filter}' selects no trial: no trial has the value(s) warned about above.", lines[^1]);
        Assert.Empty(run.TrialLines);
        Assert.False(Directory.Exists(_workspace.ReportDirectory), "no report of a run that ran nothing");
        Assert.False(File.Exists(_workspace.StorePath), "nothing should run or be created");
    }

    [Fact]
    public async Task List_warns_the_same_way_and_exits_2()
    {
        var list = await _workspace.RunAsync("list", "--filter", "Step=abc");

        Assert.True(list.ExitCode == 2, list.ToString());
        Assert.Contains("warning: --filter: Step is an int parameter and 'abc' is not a whole number; its values: 1, 2, 3, 4.", list.StandardError);
    }

    [Fact]
    public async Task A_trial_id_pattern_that_matches_nothing_exits_2_without_a_report()
    {
        var run = await _workspace.RunAsync("run", "-e", "Fast", "--filter", "*#9");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("error: --filter '*#9' selects no trial of Fast: nothing to run.", run.StandardError);
        Assert.Empty(run.TrialLines);
        Assert.False(Directory.Exists(_workspace.ReportDirectory), "no report of a run that ran nothing");
    }

    [Fact]
    public async Task A_value_no_trial_has_next_to_one_that_exists_is_warned_about_and_the_rest_runs()
    {
        var run = await _workspace.RunAsync("run", "-e", "Slow", "--filter", "step=2,7");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("warning: --filter: no value of Step is '7' (int); its values: 1, 2, 3, 4.", run.StandardError);
        Assert.Equal(["step=2#1"], run.TrialLines.Select(l => l.TrialId));
        Assert.True(File.Exists(Path.Combine(_workspace.ReportDirectory, "Slow.md")));
    }
}
