using Experiments.Sdk.Tests.Infrastructure;

namespace Experiments.Sdk.Tests.Examples;

/// <summary>
/// The README's main job as a new user meets it: <c>examples/FineTuneSweep</c> on a machine where Fashion-MNIST is not
/// installed. The resolver is pointed at an empty folder (<c>EXPERIMENTS_FASHION_MNIST</c> is used alone), so neither
/// Debian's package nor a download can be found — the quick profile must still pass on the sample that ships with the
/// library and report both data sets, and the full study must stop before its first trial with the instruction.
/// Store, reports and artifacts go to a temp folder, so the example folder is left as it was.
/// </summary>
public sealed class FineTuneSweepTests(ITestOutputHelper log) : IDisposable
{
    private static readonly string Project = Path.Combine(RepoLayout.Root, "examples", "FineTuneSweep");

    private readonly TempFolder _folder = TempFolder.Create("experiments-finetune");

    public void Dispose() => _folder.Dispose();

    private string Store => Path.Combine(_folder.Path, "results.db");

    private string Reports => Path.Combine(_folder.Path, "reports");

    private Dictionary<string, string> NoFashionMnistInstalled()
    {
        var empty = Path.Combine(_folder.Path, "no-data");
        Directory.CreateDirectory(empty);
        return new Dictionary<string, string>
        {
            ["EXPERIMENTS_FASHION_MNIST"] = empty,
            ["EXPERIMENTS_DATA"] = empty,
            // The ImageNet weights are converted from the restored NuGet package into a cache of this test's own.
            ["EXPERIMENTS_WEIGHTS"] = Path.Combine(_folder.Path, "weights"),
        };
    }

    private CommandResult Run(params string[] arguments) => DotNetCli.Run(
        Project,
        ["run", "-c", RepoLayout.Configuration, "--", .. arguments, "--store", Store],
        NoFashionMnistInstalled(),
        timeout: TimeSpan.FromMinutes(10),
        log: log);

    [Fact]
    public void The_quick_profile_passes_without_the_data_set_installed_and_reports_both_data_sets_against_their_baselines()
    {
        // One model of the quick profile, every data set and repeat: what the README's command runs, smaller. The one
        // with ImageNet weights, which the first trial converts from the NuGet package (no manual step).
        var run = Run("run", "--experiment", "FineTuneQuick", "--workers", "2", "--filter", "Arch=resnet20.cntk_in1k", "--output", Reports);

        run.ShouldSucceed().ShouldContainLine(@"^\d+ passed, 0 failed$").ShouldNotContain("FileNotFoundException");
        var report = File.ReadAllText(Path.Combine(Reports, "FineTuneQuick.md"));
        foreach (var dataset in (string[])["fashion-mnist-sample", "fashion-mosaic-sample"])
        {
            var section = Section(report, $"## Dataset: {dataset}");
            Assert.Contains("### Leaderboard", section);
            Assert.Matches(@"\*\*Data:\*\* [\d,]+ training and [\d,]+ validation images, a packaged sample of the full data set\.", section);
            Assert.Matches(@"\*\*Baseline:\*\* error_rate = 0\.\d+", section);
            // The model learnt: every configuration beats the baseline beyond noise.
            Assert.Contains("Every configuration is lower than the baseline beyond the noise of its repeats.", section);
            Assert.DoesNotContain("No passed trials yet", section);
            Assert.Contains("| resnet20.cntk_in1k | pretrained |", section);
        }
    }

    [Fact]
    public void The_full_study_without_its_data_set_stops_before_any_trial_with_the_instruction_and_leaves_them_pending()
    {
        var run = Run("run", "--experiment", "FineTuneSweep", "--filter", "Arch=convnext_atto&Dataset=fashion-mnist", "--output", Reports);

        Assert.True(run.ExitCode == 2, run.Describe("should have exited with 2 (an environment problem)"));
        run.ShouldContainLine("^0 passed, 0 failed$")
            .ShouldContain("FineTuneSweep stopped before running its trials; they stay pending")
            .ShouldContain("data fetch fashion-mnist");

        var list = Run("list", "--experiment", "FineTuneSweep", "--filter", "Arch=convnext_atto&Dataset=fashion-mnist");
        list.ShouldSucceed();
        var trialLines = list.Lines.Where(l => l.Contains("fashion-mnist/convnext_atto/", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(trialLines);
        Assert.All(trialLines, l => Assert.Contains("pending", l, StringComparison.Ordinal));
    }

    private static string Section(string report, string heading)
    {
        var start = report.IndexOf(heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"the report has no section '{heading}':\n{report}");
        var end = report.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        return end < 0 ? report[start..] : report[start..end];
    }
}
