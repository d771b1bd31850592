using System.Xml.Linq;
using Experiments.Sdk.Tests.EndToEnd;
using Experiments.Sdk.Tests.Infrastructure;

namespace Experiments.Sdk.Tests.Templates;

/// <summary>
/// The templates as a user meets them, outside the repository: installed into an isolated template hive, a project
/// created with <c>dotnet new experiment</c>, restored from the packed feed, built and run, and its report rendered
/// from the template that <c>dotnet new experiment-report</c> adds.
/// </summary>
[Collection(PackedSdkCollection.Name)]
public sealed class TemplateProjectTests(PackedSdkFixture sdk, ITestOutputHelper log)
{
    [Fact]
    public void A_new_experiment_builds_runs_and_renders_its_report_from_the_added_report_template()
    {
        var hive = sdk.CreateFolder("hive-run");
        var workspace = sdk.CreateFolder("templates-run");
        var templates = sdk.PackageFile("Experiments.Templates");
        DotNetNew(workspace, hive, "install", templates).ShouldSucceed().ShouldContain("experiment-report");

        // Restored on create (the template's post action) from the packed feed.
        DotNetNew(workspace, hive, "experiment", "-n", "Demo", "--no-update-check").ShouldSucceed().ShouldContain("Restore succeeded");
        var project = Path.Combine(workspace, "Demo");
        Assert.Equal($"Experiments.Sdk/{sdk.Version}", XDocument.Load(Path.Combine(project, "Demo.csproj")).Root!.Attribute("Sdk")?.Value);

        sdk.DotNet(project, log, "build", "-tl:off", "-nodeReuse:false").ShouldSucceed().ShouldContainLine(@"^\s*0 Warning\(s\)");
        // Plain `dotnet run`, as a new user types it: with no command the runner runs the sweep.
        sdk.DotNet(project, log, "run", "--no-build")
            .ShouldSucceed()
            .ShouldContainLine($@"^{TemplateLayout.SampleTrialCount} passed, 0 failed(, \d+ skipped)?$");
        var report = Path.Combine(project, "reports", $"{TemplateLayout.SampleExperiment}.md");
        Assert.True(File.Exists(report), $"`run` should have written {report}.");
        sdk.DotNet(project, log, "run", "--no-build", "--", "export", "csv").ShouldSucceed();
        var csv = File.ReadAllLines(Path.Combine(project, "reports", $"{TemplateLayout.SampleExperiment}.csv"));
        Assert.Equal(1 + TemplateLayout.SampleTrialCount, csv.Count(line => line.Length > 0));

        // The item template drops report.sbn into the project; the project file picks it up on the next build.
        DotNetNew(project, hive, "experiment-report", "--no-update-check").ShouldSucceed().ShouldContain("ExperimentsReportTemplate");
        var template = Path.Combine(project, "report.sbn");
        Assert.Equal(File.ReadAllText(TemplateLayout.DefaultReportTemplate), File.ReadAllText(template));
        var marker = $"Customised report of {TemplateLayout.SampleExperiment}: {TemplateLayout.SampleTrialCount} passed.";
        File.AppendAllText(template, "\nCustomised report of {{ experiment.name }}: {{ runs.passed }} passed.\n");
        Assert.DoesNotContain(marker, File.ReadAllText(report));

        sdk.DotNet(project, log, "run", "--", "report").ShouldSucceed().ShouldContain(report);
        Assert.Contains(marker, File.ReadAllText(report));
    }

    [Fact]
    public void Installing_from_the_repository_folders_creates_what_the_package_creates()
    {
        var fromPackage = Instantiate("from-package", sdk.PackageFile("Experiments.Templates"));
        var fromFolders = Instantiate("from-folders", TemplateLayout.ExperimentFolder, TemplateLayout.ReportFolder);

        var files = Files(fromPackage);
        Assert.Equal([".gitignore", "Demo.csproj", "LogisticModel.cs", "LogisticSweep.cs", "README.md", "TwoBlobs.cs", "global.json", "report.sbn"], files.Keys);
        Assert.Equal(files, Files(fromFolders));
    }

    private string Instantiate(string name, params string[] sources)
    {
        var hive = sdk.CreateFolder($"hive-{name}");
        var workspace = sdk.CreateFolder($"templates-{name}");
        foreach (var source in sources)
        {
            DotNetNew(workspace, hive, "install", source).ShouldSucceed();
        }
        DotNetNew(workspace, hive, "experiment", "-n", "Demo", "--no-restore", "--no-update-check").ShouldSucceed();
        var project = Path.Combine(workspace, "Demo");
        DotNetNew(project, hive, "experiment-report", "--no-update-check").ShouldSucceed();
        return project;
    }

    private static SortedDictionary<string, string> Files(string folder) =>
        new(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .ToDictionary(path => Path.GetRelativePath(folder, path).Replace('\\', '/'), File.ReadAllText),
            StringComparer.Ordinal);

    /// <summary><c>dotnet new</c> with a template hive of its own: the machine's installed templates neither see nor get these.</summary>
    private CommandResult DotNetNew(string workingDirectory, string hive, params string[] arguments) =>
        sdk.DotNet(workingDirectory, log, ["new", .. arguments, "--debug:custom-hive", hive]);
}
