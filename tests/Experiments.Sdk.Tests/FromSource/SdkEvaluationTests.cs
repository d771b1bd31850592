using Experiments.Sdk.Tests.Infrastructure;

namespace Experiments.Sdk.Tests.FromSource;

/// <summary>What the SDK's props and targets set, read by evaluating a project that imports them by path.</summary>
public sealed class SdkEvaluationTests : IDisposable
{
    private readonly TempFolder _folder = TempFolder.Create("experiments-sdk-eval");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_bare_project_gets_the_sdk_defaults()
    {
        var project = SourceProject.Write(_folder);

        var evaluation = MsBuildEvaluation.Of(project,
            ["UsingExperimentsSdk", "OutputType", "TargetFramework", "Nullable", "ImplicitUsings", "ExperimentsGenerateEntryPoint", "ExperimentsMaxTrials"]);

        Assert.Equal("true", evaluation.Property("UsingExperimentsSdk"));
        Assert.Equal("Exe", evaluation.Property("OutputType"));
        Assert.Equal("net10.0", evaluation.Property("TargetFramework"));
        Assert.Equal("enable", evaluation.Property("Nullable"));
        Assert.Equal("enable", evaluation.Property("ImplicitUsings"));
        Assert.Equal("true", evaluation.Property("ExperimentsGenerateEntryPoint"));
        Assert.Equal("100000", evaluation.Property("ExperimentsMaxTrials"));
    }

    [Fact]
    public void The_project_s_own_settings_win_over_the_defaults()
    {
        var project = SourceProject.Write(_folder, """
              <PropertyGroup>
                <OutputType>Library</OutputType>
                <TargetFrameworks>net10.0;net9.0</TargetFrameworks>
                <ExperimentsGenerateEntryPoint>false</ExperimentsGenerateEntryPoint>
              </PropertyGroup>
            """);

        var evaluation = MsBuildEvaluation.Of(project, ["OutputType", "TargetFramework", "TargetFrameworks", "ExperimentsGenerateEntryPoint"]);

        Assert.Equal("Library", evaluation.Property("OutputType"));
        // A multi-targeting project must not get a TargetFramework of ours, or its outer build would act as an inner one.
        Assert.Equal("", evaluation.Property("TargetFramework"));
        Assert.Equal("net10.0;net9.0", evaluation.Property("TargetFrameworks"));
        Assert.Equal("false", evaluation.Property("ExperimentsGenerateEntryPoint"));
    }

    [Fact]
    public void From_source_the_runner_and_the_generator_are_project_references()
    {
        var project = SourceProject.Write(_folder);

        var evaluation = MsBuildEvaluation.Of(project, ["ExperimentsFromSource"], ["ProjectReference", "PackageReference"]);

        var references = evaluation.Items("ProjectReference");
        var runner = Assert.Single(references, r => r["Filename"] == "Experiments.Runner");
        Assert.True(File.Exists(runner["FullPath"]), runner["FullPath"]);
        // The generator and its code fixes (for the editor), as analyzers.
        foreach (var name in new[] { "Experiments.Generators", "Experiments.CodeFixes" })
        {
            var analyzer = Assert.Single(references, r => r["Filename"] == name);
            Assert.True(File.Exists(analyzer["FullPath"]), analyzer["FullPath"]);
            Assert.Equal("Analyzer", analyzer["OutputItemType"]);
            Assert.Equal("false", analyzer["ReferenceOutputAssembly"]);
        }
        Assert.DoesNotContain(evaluation.Items("PackageReference"), r => r["Identity"].StartsWith("Experiments", StringComparison.Ordinal));
    }

    [Fact]
    public void From_packages_the_runtime_and_runner_are_referenced_at_the_sdk_version()
    {
        var project = SourceProject.Write(_folder, fromSource: false);

        var evaluation = MsBuildEvaluation.Of(project, ["ExperimentsSdkVersion"], ["PackageReference", "ProjectReference"], ["-p:ExperimentsSdkVersion=9.8.7"]);

        var packages = evaluation.Items("PackageReference").Where(r => r["Identity"].StartsWith("Experiments", StringComparison.Ordinal)).ToList();
        Assert.Equal(["Experiments", "Experiments.Runner"], packages.Select(p => p["Identity"]).Order());
        Assert.All(packages, p =>
        {
            Assert.Equal("9.8.7", p["Version"]);
            Assert.Equal("true", p["IsImplicitlyDefined"]);
        });
        Assert.Empty(evaluation.Items("ProjectReference"));
    }

    [Fact]
    public void By_default_the_project_is_no_test_application()
    {
        var project = SourceProject.Write(_folder);

        var evaluation = MsBuildEvaluation.Of(project, ["ExperimentsTestPlatform", "IsTestingPlatformApplication", "IsTestProject"], ["ProjectReference"]);

        Assert.Equal("false", evaluation.Property("ExperimentsTestPlatform"));
        Assert.NotEqual("true", evaluation.Property("IsTestingPlatformApplication"));
        Assert.NotEqual("true", evaluation.Property("IsTestProject"));
        Assert.DoesNotContain(evaluation.Items("ProjectReference"), r => r["Filename"] == "Experiments.Testing");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ExperimentsTestPlatform_makes_a_test_platform_application_whose_entry_point_keeps_the_runner(bool fromSource)
    {
        var project = SourceProject.Write(_folder, """
              <PropertyGroup>
                <ExperimentsTestPlatform>true</ExperimentsTestPlatform>
              </PropertyGroup>
            """, fromSource);

        var evaluation = MsBuildEvaluation.Of(project,
            ["IsTestingPlatformApplication", "IsTestProject", "ExperimentsGenerateEntryPoint"], ["Compile", "ProjectReference", "PackageReference"],
            ["-p:ExperimentsSdkVersion=9.8.7"]);

        Assert.Equal("true", evaluation.Property("IsTestingPlatformApplication"));
        Assert.Equal("true", evaluation.Property("IsTestProject"));
        // The generator's Main gives way to the SDK's, which hands options to the test platform and commands to the runner.
        Assert.Equal("false", evaluation.Property("ExperimentsGenerateEntryPoint"));
        var program = Assert.Single(evaluation.Items("Compile"), c => c["Filename"] == "ExperimentsTestPlatformProgram");
        Assert.True(File.Exists(program["FullPath"]), program["FullPath"]);
        if (fromSource)
        {
            Assert.Single(evaluation.Items("ProjectReference"), r => r["Filename"] == "Experiments.Testing");
        }
        else
        {
            var testing = Assert.Single(evaluation.Items("PackageReference"), r => r["Identity"] == "Experiments.Testing");
            Assert.Equal("9.8.7", testing["Version"]);
        }
    }

    [Fact]
    public void A_project_with_its_own_main_keeps_it_under_ExperimentsTestPlatform()
    {
        var project = SourceProject.Write(_folder, """
              <PropertyGroup>
                <ExperimentsTestPlatform>true</ExperimentsTestPlatform>
                <ExperimentsGenerateEntryPoint>false</ExperimentsGenerateEntryPoint>
              </PropertyGroup>
            """);

        var evaluation = MsBuildEvaluation.Of(project, ["IsTestingPlatformApplication"], ["Compile"]);

        Assert.Equal("true", evaluation.Property("IsTestingPlatformApplication"));
        Assert.DoesNotContain(evaluation.Items("Compile"), c => c["Filename"] == "ExperimentsTestPlatformProgram");
    }

    [Fact]
    public void Without_a_version_or_source_restore_fails_with_EXPSDK003()
    {
        // Imported by path but not from source: nothing stamped a version (only a packed SDK has one).
        var project = SourceProject.Write(_folder, fromSource: false);

        DotNetCli.Run(Path.GetDirectoryName(project)!, "restore", project, "-tl:off")
            .ShouldFail()
            .ShouldContain("EXPSDK003");
    }

    [Fact]
    public void Settings_reach_the_generator_and_the_runner()
    {
        var project = SourceProject.Write(_folder, """
              <PropertyGroup>
                <ExperimentsStorePath>results/sweeps.db</ExperimentsStorePath>
              </PropertyGroup>
            """);

        var evaluation = MsBuildEvaluation.Of(project, [], ["CompilerVisibleProperty", "AssemblyMetadata", "Using"]);

        var visible = evaluation.Items("CompilerVisibleProperty").Select(i => i["Identity"]).ToList();
        Assert.Contains("ExperimentsGenerateEntryPoint", visible);
        Assert.Contains("ExperimentsMaxTrials", visible);
        var metadata = evaluation.Items("AssemblyMetadata").ToDictionary(i => i["Identity"], i => i["Value"]);
        Assert.Equal(Path.GetDirectoryName(project), metadata["Experiments.ProjectDirectory"]);
        Assert.Equal("results/sweeps.db", metadata["Experiments.StorePath"]);
        Assert.DoesNotContain("Experiments.ReportDirectory", metadata.Keys);
        Assert.DoesNotContain("Experiments.ReportTemplateFile", metadata.Keys);
        Assert.Contains(evaluation.Items("Using"), u => u["Identity"] == "Experiments");
    }

    [Fact]
    public void A_report_template_item_is_embedded_under_the_name_the_runner_reads()
    {
        var project = SourceProject.Write(_folder, """
              <ItemGroup>
                <ExperimentsReportTemplate Include="my-report.sbn" />
              </ItemGroup>
            """);

        var evaluation = MsBuildEvaluation.Of(project, [], ["EmbeddedResource", "AssemblyMetadata"]);

        var resource = Assert.Single(evaluation.Items("EmbeddedResource"));
        Assert.Equal("my-report.sbn", resource["Identity"]);
        Assert.Equal("Experiments.ReportTemplate.sbn", resource["LogicalName"]);
        // The file's name, so a template error can point at it.
        var metadata = evaluation.Items("AssemblyMetadata").ToDictionary(i => i["Identity"], i => i["Value"]);
        Assert.Equal("my-report.sbn", metadata["Experiments.ReportTemplateFile"]);
    }
}
