using System.Text.Json;
using System.Xml.Linq;
using Experiments.Sdk.Tests.Infrastructure;

namespace Experiments.Sdk.Tests.Templates;

/// <summary>
/// Fast checks of the checked-in templates (no pack, no build): what a folder install of the repository gives must stay
/// in step with the SDK and the reports it ships next to.
/// </summary>
public sealed class TemplateSourceTests
{
    [Fact]
    public void The_report_template_copy_is_the_default_report_template()
    {
        var expected = Normalize(File.ReadAllText(TemplateLayout.DefaultReportTemplate));
        var actual = Normalize(File.ReadAllText(TemplateLayout.ReportTemplateCopy));
        if (actual == expected)
        {
            return;
        }
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            File.Copy(TemplateLayout.DefaultReportTemplate, TemplateLayout.ReportTemplateCopy, overwrite: true);
            return;
        }
        Assert.Fail($"""
            {Relative(TemplateLayout.ReportTemplateCopy)} (what `dotnet new experiment-report` creates) differs from
            {Relative(TemplateLayout.DefaultReportTemplate)} (the default report). Rerun with UPDATE_SNAPSHOTS=1 to copy it.
            First difference at line {FirstDifferentLine(expected, actual)}.
            """);
    }

    [Fact]
    public void The_project_template_references_the_sdk_at_the_repository_version()
    {
        var version = XDocument.Load(Path.Combine(RepoLayout.Root, "Directory.Build.props")).Descendants("Version").Single().Value;
        using var template = JsonDocument.Parse(File.ReadAllText(Path.Combine(TemplateLayout.ExperimentFolder, ".template.config", "template.json")));
        var symbols = template.RootElement.GetProperty("symbols");

        // Folder installs use the checked-in default; packing stamps the package version over it.
        Assert.Equal(version, symbols.GetProperty("ExperimentsSdkVersion").GetProperty("defaultValue").GetString());
        // The symbol that writes the version replaces exactly the SDK reference of the project file.
        var replaces = symbols.GetProperty("SdkReference").GetProperty("replaces").GetString();
        var project = XDocument.Load(Path.Combine(TemplateLayout.ExperimentFolder, "Experiment1.csproj"));
        Assert.Equal(replaces, project.Root!.Attribute("Sdk")?.Value);
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static int FirstDifferentLine(string expected, string actual)
    {
        var (left, right) = (expected.Split('\n'), actual.Split('\n'));
        var line = 0;
        while (line < left.Length && line < right.Length && left[line] == right[line])
        {
            line++;
        }
        return line + 1;
    }

    private static string Relative(string path) => Path.GetRelativePath(RepoLayout.Root, path);
}
