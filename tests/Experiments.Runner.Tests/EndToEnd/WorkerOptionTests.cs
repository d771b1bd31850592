using Experiments.Runner.Cli;
using Experiments.Runner.Tests.Infrastructure;

namespace Experiments.Runner.Tests.EndToEnd;

/// <summary>
/// <c>--workers</c> and <c>--max-trials</c>: a value that is not a whole number in range is a usage error naming the
/// option and the value (exit code 2, not an abort); the pool never has more workers than trials to run, and far
/// more workers than processors get a warning.
/// </summary>
public sealed class WorkerOptionTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Theory]
    [InlineData("--workers", "abc", "--workers 'abc' is not a whole number")]
    [InlineData("--workers", "1.5", "--workers '1.5' is not a whole number")]
    [InlineData("--workers", "2147483648", "--workers '2147483648' is too large: give a whole number from 1 to 2147483647.")]
    [InlineData("--workers", "-99999999999", "--workers '-99999999999' is too small")]
    [InlineData("--workers", "0", "--workers 0 is too small: give a whole number of at least 1.")]
    [InlineData("--max-trials", "abc", "--max-trials 'abc' is not a whole number")]
    [InlineData("--lease", "1e3", "--lease '1e3' is not a whole number")]
    public async Task A_number_option_that_is_not_a_whole_number_in_range_is_a_usage_error_naming_it(string option, string value, string message)
    {
        var run = await _workspace.RunAsync("run", "-e", "Fast", option, value);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(message, run.StandardError);
        Assert.DoesNotContain("Unhandled exception", run.ToString());
        Assert.DoesNotContain("   at ", run.ToString());
        Assert.False(File.Exists(_workspace.StorePath), "nothing should run or be created");
    }

    [Fact]
    public async Task The_largest_worker_count_runs_one_worker_per_trial_and_warns_about_the_processors()
    {
        _workspace.Environment["DOTNET_PROCESSOR_COUNT"] = "1";

        var run = await _workspace.RunAsync("run", "-e", "Fast", "--workers", "2147483647");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal((8, 0, 0), run.Closing);
        Assert.Contains("Fast: 8 of 8 trials to run (8 workers)", run.Lines);
        Assert.Contains("warning: 8 worker processes on 1 processor(s) (--workers 2147483647, limited to the trials to run)", run.StandardError);
        Assert.InRange(_workspace.Trials("Fast").Select(t => t.Metrics["worker_pid"]).Distinct().Count(), 1, 8);
    }

    [Fact]
    public async Task No_more_workers_start_than_trials_to_run_and_a_few_per_processor_get_no_warning()
    {
        _workspace.Environment["DOTNET_PROCESSOR_COUNT"] = "2";

        var run = await _workspace.RunAsync("run", "-e", "Fast", "--workers", "50", "--max-trials", "2");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal((2, 0, 0), run.Closing);
        Assert.Contains("Fast: 8 of 8 trials to run (2 workers)", run.Lines);
        Assert.DoesNotContain("warning", run.StandardError);
    }

    [Theory]
    [InlineData(1, 8, int.MaxValue, 1)]
    [InlineData(int.MaxValue, 8, int.MaxValue, 8)]
    [InlineData(int.MaxValue, 3_000_000_000L, int.MaxValue, int.MaxValue)]
    [InlineData(16, 100, 5, 5)]
    [InlineData(4, 0, int.MaxValue, 1)]
    public void The_pool_has_the_workers_asked_for_but_no_more_than_the_trials_to_run(int requested, long candidates, int budget, int expected)
        => Assert.Equal(expected, RunCommand.PoolSize(requested, candidates, budget));

    [Theory]
    [InlineData(4, 1, false)]
    [InlineData(5, 1, true)]
    [InlineData(8, 2, false)]
    [InlineData(96, 2, true)]
    public void More_than_four_workers_per_processor_get_a_warning(int workers, int processors, bool warned)
    {
        var error = new StringWriter();

        RunCommand.WarnIfOversubscribed(workers, workers, processors, error);

        Assert.Equal(warned, error.ToString().StartsWith($"warning: {workers} worker processes on {processors} processor(s): ", StringComparison.Ordinal));
        Assert.Equal(warned, error.ToString().Length > 0);
    }
}
