using System.IO.Compression;
using System.Text.Json;
using System.Xml.Linq;
using Experiments.Sdk.Tests.Infrastructure;

namespace Experiments.Sdk.Tests.Templates;

/// <summary>
/// The templates package, packed on its own at a version unlike the repository's so that the stamped SDK version is
/// seen to come from the package, not from the checked-in default.
/// </summary>
public sealed class TemplatePackageTests(ITestOutputHelper log) : IDisposable
{
    private const string Version = "9.8.7-test";

    private readonly TempFolder _folder = TempFolder.Create("experiments-templates-pack");

    [Fact]
    public void The_package_carries_both_templates_and_pins_the_sdk_version_it_was_packed_with()
    {
        var package = Pack();

        using (var zip = ZipFile.OpenRead(package))
        {
            Assert.Equal(
                ["README.md",
                 "content/experiment-report/.template.config/template.json", "content/experiment-report/report.sbn",
                 "content/experiment/.gitignore", "content/experiment/.template.config/dotnetcli.host.json",
                 "content/experiment/.template.config/template.json", "content/experiment/Experiment1.csproj",
                 "content/experiment/LogisticModel.cs", "content/experiment/LogisticSweep.cs", "content/experiment/README.md",
                 "content/experiment/TwoBlobs.cs", "content/experiment/global.json"],
                zip.Entries.Select(e => e.FullName).Where(IsContent).Order(StringComparer.Ordinal));
            var nuspec = XDocument.Parse(Read(zip, "Experiments.Templates.nuspec")).Root!;
            Assert.Equal("Template", nuspec.Descendants(nuspec.Name.Namespace + "packageType").Single().Attribute("name")?.Value);
            Assert.Empty(nuspec.Descendants(nuspec.Name.Namespace + "dependency"));
            using var template = JsonDocument.Parse(Read(zip, "content/experiment/.template.config/template.json"));
            Assert.Equal(Version, template.RootElement.GetProperty("symbols").GetProperty("ExperimentsSdkVersion").GetProperty("defaultValue").GetString());
            Assert.Equal(File.ReadAllText(TemplateLayout.DefaultReportTemplate), Read(zip, "content/experiment-report/report.sbn"));
        }

        // What `dotnet new` makes of it: the project file references the SDK of the package's version.
        var hive = _folder.Combine("hive");
        DotNetCli.Run(_folder.Path, ["new", "install", package, "--debug:custom-hive", hive], log: log).ShouldSucceed();
        DotNetCli.Run(_folder.Path, ["new", "experiment", "-n", "Pinned", "--no-restore", "--no-update-check", "--debug:custom-hive", hive], log: log)
            .ShouldSucceed();
        Assert.Equal($"Experiments.Sdk/{Version}", XDocument.Load(_folder.Combine("Pinned", "Pinned.csproj")).Root!.Attribute("Sdk")?.Value);
    }

    public void Dispose() => _folder.Dispose();

    private string Pack()
    {
        var output = _folder.Combine("feed");
        // Built into the temp folder, not the repository's bin/obj that other builds may be using.
        DotNetCli.Run(RepoLayout.Root,
            ["pack", TemplateLayout.Project, "-c", "Release", "--artifacts-path", _folder.Combine("build"), $"-p:PackageOutputPath={output}/",
             $"-p:Version={Version}", "-tl:off", "-nodeReuse:false"],
            timeout: TimeSpan.FromMinutes(3), log: log).ShouldSucceed();
        return Path.Combine(output, $"Experiments.Templates.{Version}.nupkg");
    }

    private static bool IsContent(string entry) =>
        !entry.StartsWith("_rels/", StringComparison.Ordinal) && !entry.StartsWith("package/", StringComparison.Ordinal)
        && entry != "[Content_Types].xml" && !entry.EndsWith(".nuspec", StringComparison.Ordinal);

    private static string Read(ZipArchive zip, string entry)
    {
        using var reader = new StreamReader(zip.GetEntry(entry)!.Open());
        return reader.ReadToEnd();
    }
}
