using System.Text;
using Experiments.Sdk.Tests.Infrastructure;

namespace Experiments.Sdk.Tests.FromSource;

/// <summary>
/// Builds a project that imports the SDK by path, with project references to the repository's runtime and
/// generator in the configuration the repository was built in (so they are normally up to date already).
/// </summary>
public sealed class SdkBuildTests(ITestOutputHelper log) : IDisposable
{
    private const string TemplateText = "# {{ experiment.name }} — a custom report\n";

    private readonly TempFolder _folder = TempFolder.Create("experiments-sdk-build");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void The_build_has_the_generated_entry_point_and_embeds_the_report_template()
    {
        var project = SourceProject.Write(_folder, """
              <ItemGroup>
                <ExperimentsReportTemplate Include="report.sbn" />
              </ItemGroup>
            """);
        var projectDirectory = Path.GetDirectoryName(project)!;
        File.WriteAllText(Path.Combine(projectDirectory, "Sweep.cs"), Declarations.Valid);
        File.WriteAllText(Path.Combine(projectDirectory, "report.sbn"), TemplateText);

        Build(projectDirectory).ShouldSucceed();

        var assembly = Path.Combine(projectDirectory, "bin", RepoLayout.Configuration, "net10.0", "Sweeps.dll");
        Assert.True(File.Exists(assembly), assembly);
        // An async Main is entered through the compiler's synthesized <Main> in the same type.
        Assert.Equal("Experiments.Generated.ExperimentsProgram.<Main>", BuiltAssembly.EntryPoint(assembly));
        var resources = BuiltAssembly.Resources(assembly);
        Assert.True(resources.TryGetValue("Experiments.ReportTemplate.sbn", out var template), string.Join(", ", resources.Keys));
        Assert.Equal(TemplateText, Encoding.UTF8.GetString(template));
    }

    [Fact]
    public void Two_report_templates_fail_the_build_with_EXPSDK001()
    {
        var project = SourceProject.Write(_folder, """
              <ItemGroup>
                <ExperimentsReportTemplate Include="a.sbn;b.sbn" />
              </ItemGroup>
            """);
        var projectDirectory = Path.GetDirectoryName(project)!;
        File.WriteAllText(Path.Combine(projectDirectory, "Sweep.cs"), Declarations.Valid);
        File.WriteAllText(Path.Combine(projectDirectory, "a.sbn"), TemplateText);
        File.WriteAllText(Path.Combine(projectDirectory, "b.sbn"), TemplateText);

        Build(projectDirectory).ShouldFail().ShouldContainLine(@"error EXPSDK001: .*a\.sbn, b\.sbn");
    }

    [Fact]
    public void A_missing_report_template_fails_the_build_with_EXPSDK002()
    {
        var project = SourceProject.Write(_folder, """
              <ItemGroup>
                <ExperimentsReportTemplate Include="missing.sbn" />
              </ItemGroup>
            """);
        var projectDirectory = Path.GetDirectoryName(project)!;
        File.WriteAllText(Path.Combine(projectDirectory, "Sweep.cs"), Declarations.Valid);

        Build(projectDirectory).ShouldFail().ShouldContainLine(@"error EXPSDK002: .*missing\.sbn");
    }

    private CommandResult Build(string projectDirectory) =>
        DotNetCli.Run(projectDirectory, ["build", "-c", RepoLayout.Configuration, "-tl:off", "-nodeReuse:false"], log: log);
}
