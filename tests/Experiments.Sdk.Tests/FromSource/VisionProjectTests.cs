using Experiments.Sdk.Tests.Infrastructure;

namespace Experiments.Sdk.Tests.FromSource;

/// <summary>
/// A project with <c>ExperimentsUseVision</c>: the SDK brings the vision library and TorchSharp, the model catalog is a
/// known set the build checks, and TorchSharp's native binding loads through the SDK's own step (no manual patching,
/// no environment variables) in the runner's worker processes.
/// </summary>
public sealed class VisionProjectTests(ITestOutputHelper log) : IDisposable
{
    private readonly TempFolder _folder = TempFolder.Create("experiments-sdk-vision");

    public void Dispose() => _folder.Dispose();

    private const string Declaration = """
        using Experiments.Vision.Models;
        using TorchSharp;

        [Experiment(Objective = "mean_logit")]
        public partial class Forward
        {
            [Values("regnety_002", ARCH), KnownIn(typeof(ModelCatalog))]
            public partial string Arch { get; }

            public Task<TrialResult> RunAsync(TrialContext context)
            {
                using var scope = torch.NewDisposeScope();
                var model = ModelCatalog.Create(Arch, numClasses: 10, inChannels: 3);
                var logits = model.call(torch.randn(2, 3, 32, 32));
                return Task.FromResult(TrialResult.Success(("mean_logit", logits.abs().mean().item<float>())));
            }
        }
        """;

    /// <summary>A Swin takes the one size its windows tile: the catalog's <c>input_size</c> metadata, which the build enforces.</summary>
    private const string SwinDeclaration = """
        using Experiments.Vision.Models;

        [Experiment(Objective = "mean_logit")]
        public partial class SwinSize
        {
            [Values("swin_tiny_patch2_window4_32", "swinv2_tiny_window8_256", "convnext_atto"), KnownIn(typeof(ModelCatalog))]
            public partial string Arch { get; }

            [Values(32, 64), ConstrainedBy("input_size")]
            public partial int Size { get; }

            public Task<TrialResult> RunAsync(TrialContext context) => Task.FromResult(TrialResult.Success(("mean_logit", 0.0)));
        }
        """;

    [Fact]
    public void A_typo_in_a_model_name_or_a_swin_at_a_size_its_windows_do_not_tile_fails_the_build()
    {
        var directory = WriteProject("\"convnext_ato\"");
        File.WriteAllText(Path.Combine(directory, "SwinSize.cs"), SwinDeclaration);

        Build(directory).ShouldFail()
            .ShouldContainLine(@"Forward\.cs\(7,\d+\): error EXP006: .*'convnext_ato' is not in ModelCatalog; did you mean 'convnext_atto'\?")
            .ShouldContainLine(@"SwinSize\.cs\(6,\d+\): error EXP008: .*'swinv2_tiny_window8_256' requires input_size=256, but parameter 'Size' declares only 32, 64");
    }

    [Fact]
    public void Catalog_models_run_in_worker_processes_with_TorchSharp_loaded_by_the_sdk()
    {
        var directory = WriteProject("\"convnext_atto\"");

        Build(directory).ShouldSucceed();
        DotNetCli.Run(directory, ["run", "--no-build", "-c", RepoLayout.Configuration, "--", "run"], log: log)
            .ShouldSucceed()
            .ShouldContainLine("^2 passed, 0 failed$");
    }

    private string WriteProject(string arch)
    {
        var project = SourceProject.Write(_folder, """
              <PropertyGroup>
                <ExperimentsUseVision>true</ExperimentsUseVision>
              </PropertyGroup>
            """);
        var directory = Path.GetDirectoryName(project)!;
        File.WriteAllText(Path.Combine(directory, "Forward.cs"), Declaration.Replace("ARCH", arch, StringComparison.Ordinal));
        return directory;
    }

    private CommandResult Build(string directory) =>
        DotNetCli.Run(directory, ["build", "-c", RepoLayout.Configuration, "-tl:off", "-nodeReuse:false"], log: log);
}
