using Experiments.Results;
using Experiments.Runner.Execution.Host;
using Experiments.Runner.Terminal;

namespace Experiments.Runner.Tests.Terminal;

public class TrialLineTests
{
    [Fact]
    public void A_passed_trial_shows_the_objective_first_and_the_fit_time_last()
    {
        var result = new WorkerTrialResult(
            TrialStatus.Passed,
            new Dictionary<string, double> { [MetricNames.FitTime] = 12.34, ["accuracy"] = 0.95, [MetricNames.ErrorRate] = 0.04231 },
            null,
            13);

        Assert.Equal("  ✓ resnet18/lr=0.008#1  error_rate=0.04231 accuracy=0.95 fit_time=12.3s", TrialLine.Format("resnet18/lr=0.008#1", result, "error_rate"));
    }

    [Fact]
    public void A_failed_trial_shows_the_first_line_of_its_reason()
    {
        var result = new WorkerTrialResult(TrialStatus.Failed, new Dictionary<string, double>(), "worker process crashed: SIGSEGV (exit 139)\n--- stderr", 1, WorkerDied: true);

        Assert.Equal("  ✗ a#1  worker process crashed: SIGSEGV (exit 139)", TrialLine.Format("a#1", result, "error_rate"));
    }

    [Theory]
    [InlineData(0.04231, "0.04231")]
    [InlineData(123456.7, "123457")]
    [InlineData(1.23456789, "1.235")]
    [InlineData(0.000012345, "1.234E-05")]
    public void Numbers_are_short_and_invariant(double value, string expected) => Assert.Equal(expected, TrialLine.Number(value));

    [Theory]
    [InlineData(1536d * 1024 * 1024, "1.5GB")]
    [InlineData(512d, "512B")]
    public void Memory_is_shown_in_binary_units(double bytes, string expected) => Assert.Equal(expected, TrialLine.Bytes(bytes));

    [Fact]
    public void The_closing_line_mentions_skipped_only_when_something_was_skipped()
    {
        var tally = new SweepTally();
        tally.Add(TrialStatus.Passed);
        tally.Add(TrialStatus.Failed);
        tally.Add(TrialStatus.Interrupted);
        Assert.Equal("1 passed, 2 failed", tally.ClosingLine);

        tally.AddSkipped(3);
        Assert.Equal("1 passed, 2 failed, 3 skipped", tally.ClosingLine);
    }
}
