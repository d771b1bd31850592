using Experiments.Results;
using Experiments.Runner.Tests.Infrastructure;

namespace Experiments.Runner.Tests.EndToEnd;

public sealed class ConcurrencyTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Two_runs_with_two_workers_each_on_one_store_run_every_trial_exactly_once()
    {
        // Long enough that the two runs overlap for the whole sweep.
        _workspace.Environment["FIXTURE_FAST_MS"] = "250";

        using var first = _workspace.Start("run", "--experiment", "Fast", "--workers", "2");
        using var second = _workspace.Start("run", "--experiment", "Fast", "--workers", "2");
        var results = await Task.WhenAll(first.WaitAsync(), second.WaitAsync());

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));
        Assert.Equal(8, results.Sum(r => r.Closing.Passed));
        Assert.All(results, r => Assert.Equal(0, r.Closing.Failed));

        // Each trial ran once in all: one attempt each, and no id printed by both runs.
        var attempts = _workspace.Attempts("Fast");
        Assert.Equal(8, attempts.Count);
        Assert.All(attempts.Values, count => Assert.Equal(1, count));
        Assert.Empty(results[0].TrialLines.Select(l => l.TrialId).Intersect(results[1].TrialLines.Select(l => l.TrialId)));
        Assert.All(_workspace.Trials("Fast"), t => Assert.Equal(TrialStatus.Passed, t.Status));
    }
}
