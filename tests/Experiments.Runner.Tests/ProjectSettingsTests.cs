using Experiments.Runner;

namespace Experiments.Runner.Tests;

public class ProjectSettingsTests
{
    [Fact]
    public void Settings_come_from_the_assembly_metadata_the_SDK_stamps()
    {
        var settings = ProjectSettings.FromAssembly(typeof(ProjectSettingsTests).Assembly);

        Assert.Equal("/tmp/experiments-settings-test", settings.ProjectDirectory);
        Assert.Equal("/tmp/experiments-settings-test/.experiments/results.db", settings.StorePath);
        Assert.Equal("/tmp/experiments-settings-test/docs/results", settings.ReportDirectory);
        Assert.Equal("# Custom report for {{ experiment.name }}", settings.ReportTemplate?.Trim());
        Assert.Equal("/tmp/experiments-settings-test/Infrastructure/CustomTemplate.sbn", settings.ReportTemplateFile);
    }

    [Fact]
    public void A_template_error_names_the_template_file_line_and_column()
    {
        var settings = ProjectSettings.FromAssembly(typeof(ProjectSettingsTests).Assembly);
        var error = new Experiments.Reports.ReportTemplateException(2, 11, "Expecting <expression>");

        Assert.Equal(
            "/tmp/experiments-settings-test/Infrastructure/CustomTemplate.sbn(2,11): Expecting <expression>",
            Experiments.Runner.Reporting.ReportWriter.TemplateError(settings, error));
        Assert.Equal(
            "the default report template(2,11): Expecting <expression>",
            Experiments.Runner.Reporting.ReportWriter.TemplateError(settings with { ReportTemplate = null }, error));
    }

    [Fact]
    public void The_build_identity_is_the_module_version_id_and_the_informational_version()
    {
        var assembly = typeof(ProjectSettingsTests).Assembly;
        var settings = ProjectSettings.FromAssembly(assembly);

        Assert.Equal(assembly.ManifestModule.ModuleVersionId.ToString("N")[..8], settings.Build.BuildId);
        Assert.StartsWith("0.1.0", settings.Build.SourceRevision);
    }

    [Fact]
    public void Command_line_paths_override_the_project_settings()
    {
        var settings = ProjectSettings.FromAssembly(typeof(ProjectSettingsTests).Assembly)
            .WithOverrides("/data/store.db", "/data/reports");

        Assert.Equal("/data/store.db", settings.StorePath);
        Assert.Equal("/data/reports", settings.ReportDirectory);
        Assert.Equal("/data/artifacts", settings.ArtifactsDirectory);
    }

    [Fact]
    public void Without_metadata_the_project_is_the_current_directory()
    {
        var settings = ProjectSettings.FromAssembly(typeof(Xunit.FactAttribute).Assembly);

        Assert.Equal(Path.Combine(Directory.GetCurrentDirectory(), ".experiments", "results.db"), settings.StorePath);
        Assert.Equal(Path.Combine(Directory.GetCurrentDirectory(), "reports"), settings.ReportDirectory);
        Assert.Null(settings.ReportTemplate);
    }
}
