using Experiments.Generators.Tests.Infrastructure;

namespace Experiments.Generators.Tests;

/// <summary>The generated code, compared with checked-in snapshots (Snapshots/*.verified.cs).</summary>
public sealed class SnapshotTests
{
    [Fact]
    public void Representative_declaration()
    {
        var result = GeneratorHarness.Run(Declarations.FineTune);
        result.AssertCompilesCleanly();
        Assert.Empty(result.Diagnostics);

        var sources = result.Sources;
        Assert.Equal(new[] { "Demo.FineTune.Experiments.g.cs", "ExperimentCatalog.Experiments.g.cs" }, sources.Keys.Order(StringComparer.Ordinal));
        Snapshot.Match("FineTune", sources["Demo.FineTune.Experiments.g.cs"]);
        Snapshot.Match("FineTune.Catalog", sources["ExperimentCatalog.Experiments.g.cs"]);
    }

    [Fact]
    public void Successive_halving_declaration()
    {
        // The budget parameter's values are the rungs, and the constructor sets the search; the rest is a grid's code.
        var result = GeneratorHarness.Run(Declarations.Halving);
        result.AssertCompilesCleanly();
        Assert.Empty(result.Diagnostics);
        Snapshot.Match("Halving", result.Sources["Demo.Halving.Experiments.g.cs"]);
    }

    [Fact]
    public void Catalog_with_entry_point()
    {
        // The entry point calls the runner (Experiments.Runner.ExperimentApp, in the Experiments.Runner assembly): a stub with the
        // same signature stands in for it so the output compilation can be checked for errors.
        const string stub = """

            namespace Experiments.Runner
            {
                public static class ExperimentApp
                {
                    public static Task<int> RunAsync(string[] args, System.Collections.Generic.IReadOnlyList<ExperimentDefinition> experiments)
                        => Task.FromResult(experiments.Count);
                }
            }

            namespace Other
            {
                [Experiment(Name = "second")]
                public partial class Second
                {
                    [Values(true, false)] public partial bool Flag { get; }
                    [Values('a', 'b')] public partial char Letter { get; }
                    public TrialResult Run(TrialContext context) => TrialResult.Success();
                }
            }
            """;
        var source = Declarations.FineTune.Replace("namespace Demo;", "namespace Demo\n{") + "\n}\n" + stub;
        var result = GeneratorHarness.Run(source, GeneratorHarness.Properties(("ExperimentsGenerateEntryPoint", "true")));

        var compilation = result.Output.WithOptions(result.Output.Options.WithOutputKind(Microsoft.CodeAnalysis.OutputKind.ConsoleApplication));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));
        result.AssertNoException();
        Assert.Empty(result.Diagnostics);
        Assert.NotNull(compilation.GetEntryPoint(default));
        Assert.Equal("ExperimentsProgram", compilation.GetEntryPoint(default)!.ContainingType.Name);

        Snapshot.Match("EntryPoint.Catalog", result.Sources["ExperimentCatalog.Experiments.g.cs"]);
        Snapshot.Match("EntryPoint.Second", result.Sources["Other.Second.Experiments.g.cs"]);
    }

    [Fact]
    public void No_experiments_no_entry_point_generates_nothing()
    {
        var result = GeneratorHarness.Run(Sources.Usings + "public class Plain { }");
        result.AssertCompilesCleanly();
        Assert.Empty(result.Sources);
    }
}
