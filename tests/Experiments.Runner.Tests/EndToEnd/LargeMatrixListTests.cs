using Experiments.Runner.Tests.Infrastructure;

namespace Experiments.Runner.Tests.EndToEnd;

/// <summary>
/// <c>list</c> and <c>run</c> on a matrix of 990,000,000 trials (the fixture's <c>Huge</c>): a filter that fixes
/// parameters lists (and runs) its trials at once, and an unfiltered list streams its first rows instead of walking the
/// matrix first. Not timed: the fixture's timeout is the bound, far below what walking the matrix takes.
/// </summary>
public sealed class LargeMatrixListTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public LargeMatrixListTests() => _workspace.Environment["FIXTURE_EXTRA_EXPERIMENTS"] = "Huge";

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task A_filter_that_fixes_parameters_lists_its_trials_then_the_counts()
    {
        // P0 × P1 × P8 = 1,000 combinations, of which P0=0 with P1=0 (10) are excluded.
        var list = await _workspace.RunAsync("list", "--experiment", "Huge", "--filter", "p2=3&p3=4&p4=5&p5=6&p6=7&p7=8");

        Assert.True(list.ExitCode == 0, list.ToString());
        var lines = list.Lines;
        Assert.Equal("Huge:", lines[0]);
        Assert.Equal("  pending     p0=0/p1=1/p2=3/p3=4/p4=5/p5=6/p6=7/p7=8/p8=0#1  P0=0 P1=1 P2=3 P3=4 P4=5 P5=6 P6=7 P7=8 P8=0", lines[1]);
        Assert.Equal(990, lines.Count(l => l.StartsWith("  pending ", StringComparison.Ordinal)));
        Assert.DoesNotContain(lines, l => l.Contains(" p0=0/p1=0/", StringComparison.Ordinal));
        Assert.Equal("Huge: 990 trials (990 pending)", lines[^2]);
        Assert.Equal("990 trials", lines[^1]);
    }

    [Fact]
    public async Task The_count_of_a_filter_is_the_product_of_what_each_clause_keeps()
    {
        // 2 values of P0 × 3 of P1 × P8's 10, minus P0=0 with P1=0 (10): 50.
        var list = await _workspace.RunAsync("list", "--experiment", "Huge", "--filter", "p0=0,1&p1=0,1,2&p2=9&p3=9&p4=9&p5=9&p6=9&p7=9");

        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Equal("Huge: 50 trials (50 pending)", list.Lines[^2]);
        Assert.Equal("50 trials", list.Lines[^1]);
    }

    [Fact]
    public async Task An_unfiltered_list_streams_its_first_rows_at_once()
    {
        using var list = _workspace.Start("list", "--experiment", "Huge");

        var deadline = DateTime.UtcNow + FixtureApp.DefaultTimeout;
        while (list.StandardOutput.Split('\n').Length < 4 && !list.Process.HasExited && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        var lines = list.StandardOutput.Split('\n');
        Assert.True(lines.Length >= 4, $"no rows yet:\n{list.StandardOutput}\n{list.StandardError}");
        Assert.Equal("Huge:", lines[0]);
        Assert.StartsWith("  pending     p0=0/p1=1/p2=0/p3=0/p4=0/p5=0/p6=0/p7=0/p8=0#1 ", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("  pending     p0=0/p1=1/p2=0/p3=0/p4=0/p5=0/p6=0/p7=0/p8=1#1 ", lines[2], StringComparison.Ordinal);
        Assert.False(list.Process.HasExited, "990,000,000 rows cannot have been written already");
    }

    [Fact]
    public async Task A_filtered_run_plans_and_registers_only_the_trials_it_selects()
    {
        // P8's 10 values; registering the whole matrix first would write 990,000,000 rows.
        const string filter = "p0=1&p1=2&p2=3&p3=4&p4=5&p5=6&p6=7&p7=8";
        var run = await _workspace.RunAsync("run", "--experiment", "Huge", "--filter", filter);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("10 passed, 0 failed", run.Lines);

        var list = await _workspace.RunAsync("list", "--experiment", "Huge", "--filter", filter);
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Equal("Huge: 10 trials (10 passed)", list.Lines[^2]);
    }
}
