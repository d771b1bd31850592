using Experiments.Runner.Filtering;
using Experiments.Runner.Tests.Infrastructure;

namespace Experiments.Runner.Tests.Cluster;

/// <summary><c>run --shard K/N</c>: a partition of the matrix by index, and its errors.</summary>
public sealed class ShardTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(12)]
    public void The_shards_split_the_matrix_exactly_and_evenly(int count)
    {
        var experiment = new TestExperiment((_, _) => Task.FromResult(TrialResult.Success()),
            TestExperiment.Parameter("A", "a", false, "1", "2", "3"), TestExperiment.Parameter("B", "b", false, "x", "y", "z"));
        var shards = Enumerable.Range(0, count).Select(k => experiment.Trials.Where(new Shard(k, count).Contains).Select(t => t.Id).ToArray()).ToArray();

        Assert.Equal(experiment.Trials.Select(t => t.Id).Order(), shards.SelectMany(s => s).Order());
        Assert.True(shards.Max(s => s.Length) - shards.Min(s => s.Length) <= 1);
    }

    [Theory]
    [InlineData("0/1", 0, 1)]
    [InlineData("3/4", 3, 4)]
    [InlineData(" 2 / 5 ", 2, 5)]
    public void Parse_reads_K_of_N(string text, int index, int count)
        => Assert.Equal(new Shard(index, count), Shard.Parse(text));

    [Theory]
    [InlineData("4/4", "less than N (4)")]
    [InlineData("1/0", "at least 1")]
    [InlineData("-1/3", "not K/N")]
    [InlineData("1", "not K/N")]
    [InlineData("a/b", "not K/N")]
    public void Parse_names_the_bad_value(string text, string reason)
    {
        var error = Assert.Throws<FormatException>(() => Shard.Parse(text));
        Assert.Contains($"'{text}'", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public async Task Run_with_a_shard_runs_only_its_trials()
    {
        var run = await _workspace.RunAsync("run", "--experiment", "Fast", "--shard", "1/3");

        Assert.True(run.ExitCode == 0, run.ToString());
        var expected = new[] { 1, 4, 7 };
        Assert.Equal((expected.Length, 0, 0), run.Closing);
        var trials = _workspace.Trials("Fast");
        Assert.Equal(expected, trials.Where(t => t.Status == Results.TrialStatus.Passed).Select(t => t.Index).Order());
        Assert.All(trials.Where(t => !expected.Contains(t.Index)), t => Assert.Equal(Results.TrialStatus.Pending, t.Status));
    }

    [Fact]
    public async Task A_shard_out_of_range_is_a_usage_error_naming_it()
    {
        var run = await _workspace.RunAsync("run", "--experiment", "Fast", "--shard", "3/3");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--shard '3/3'", run.StandardError);
        Assert.False(File.Exists(_workspace.StorePath), "nothing should run or be created");
    }
}
