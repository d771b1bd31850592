using Experiments.Runner.Tests.Infrastructure;

namespace Experiments.Runner.Tests.EndToEnd;

/// <summary>Each trial gets an artifact folder of its own, inside the experiment's, even when ids sanitise alike.</summary>
public sealed class ArtifactFolderTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public ArtifactFolderTests() => _workspace.Environment["FIXTURE_EXTRA_EXPERIMENTS"] = "Clash";

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Trials_whose_ids_sanitise_alike_get_different_folders()
    {
        // a\b#1, a|b#1 and a:b#1 all read a_b#1 once sanitised, and a_b#1 is a trial id of its own.
        var run = await _workspace.RunAsync("run", "--experiment", "Clash");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal((4, 0, 0), run.Closing);
        var experimentFolder = Path.Combine(_workspace.Directory, "artifacts", "Clash");
        var folders = Directory.GetDirectories(experimentFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(4, folders.Count);
        Assert.Contains("a_b#1", folders);
        Assert.All(folders.Where(f => f != "a_b#1"), f => Assert.Matches("^a_b#1~[0-9a-f]{12}$", f));
        var ids = Directory.GetDirectories(experimentFolder).Select(f => File.ReadAllText(Path.Combine(f, "trial-id.txt"))).Order(StringComparer.Ordinal);
        Assert.Equal(["a:b#1", @"a\b#1", "a_b#1", "a|b#1"], ids);
    }
}
