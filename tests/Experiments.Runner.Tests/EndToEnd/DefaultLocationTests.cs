using Experiments.Runner.Tests.Infrastructure;

namespace Experiments.Runner.Tests.EndToEnd;

public sealed class DefaultLocationTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Without_options_results_and_reports_land_in_the_project_folder()
    {
        // The fixture carries no project metadata, so the project folder is the current directory.
        using var process = FixtureApp.Start(_workspace.Directory, null, "run", "--experiment", "Fast", "--max-trials", "1");
        var run = await process.WaitAsync();

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(File.Exists(Path.Combine(_workspace.Directory, ".experiments", "results.db")));
        Assert.True(File.Exists(Path.Combine(_workspace.Directory, "reports", "Fast.md")));
    }
}
