using Experiments.Runner.Tests.Infrastructure;

namespace Experiments.Runner.Tests.EndToEnd;

/// <summary>`report` and `export csv` work from the store alone.</summary>
public sealed class ReportCommandTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Report_and_export_write_from_the_store_without_running()
    {
        Assert.Equal(0, (await _workspace.RunAsync("run", "--experiment", "Fast")).ExitCode);
        Directory.Delete(_workspace.ReportDirectory, recursive: true);
        _workspace.ClearMarkers();

        var report = await _workspace.RunAsync("report", "--experiment", "Fast");
        Assert.True(report.ExitCode == 0, report.ToString());
        var reportPath = Path.Combine(_workspace.ReportDirectory, "Fast.md");
        Assert.Equal($"Report: {reportPath}", report.Lines.Single());
        var markdown = File.ReadAllText(reportPath);
        Assert.Contains("Fast", markdown);
        Assert.Contains("small/lr=0.01", markdown);
        // The scatter plot is drawn in the experiment's process too (native graphics libraries load there) and linked.
        Assert.True(File.Exists(Path.Combine(_workspace.ReportDirectory, "Fast-scatter.png")), report.ToString());
        Assert.Contains("](Fast-scatter.png)", markdown);
        Assert.False(Directory.Exists(_workspace.MarkerDirectory), "report must not run trials");

        var csvPath = Path.Combine(_workspace.Directory, "fast.csv");
        var export = await _workspace.RunAsync("export", "csv", "--experiment", "Fast", "--output", csvPath);
        Assert.True(export.ExitCode == 0, export.ToString());
        var rows = File.ReadAllLines(csvPath).Where(l => l.Length > 0).ToArray();
        Assert.Equal(9, rows.Length);
        Assert.Contains(rows, r => r.Contains("tiny", StringComparison.Ordinal) && r.Contains("0.01", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Report_without_a_store_says_to_run_first()
    {
        var report = await _workspace.RunAsync("report");

        Assert.Equal(2, report.ExitCode);
        Assert.Contains("run the experiments first", report.StandardError);
    }
}
