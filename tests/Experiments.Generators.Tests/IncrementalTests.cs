using Experiments.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Experiments.Generators.Tests;

/// <summary>
/// The pipeline caches: an edit that leaves a declaration alone must not re-expand or re-emit it (tracked steps
/// report Cached/Unchanged), and an edit of the declaration must.
/// </summary>
public sealed class IncrementalTests
{
    private static readonly string[] Steps = { TrackingNames.Declarations, TrackingNames.Models, TrackingNames.Expanded, TrackingNames.Catalog };

    private const string Unrelated = """
        namespace Demo;

        public static class Helpers
        {
            public static int Twice(int x) => 2 * x;
        }
        """;

    private static (GeneratorDriver Driver, CSharpCompilation Compilation, SyntaxTree Declaration, SyntaxTree Other) FirstRun()
    {
        var declaration = GeneratorHarness.Parse(Declarations.FineTune, "FineTune.cs");
        var other = GeneratorHarness.Parse(Unrelated, "Helpers.cs");
        var compilation = GeneratorHarness.CreateCompilation(declaration, other);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single();
        Assert.Null(first.Exception);
        Assert.All(Steps, step => Assert.Contains(step, first.TrackedSteps.Keys));
        return (driver, compilation, declaration, other);
    }

    private static IReadOnlyList<(string Step, IncrementalStepRunReason Reason)> Reasons(GeneratorDriver driver)
    {
        var result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        return Steps
            .SelectMany(step => result.TrackedSteps[step].SelectMany(run => run.Outputs).Select(output => (step, output.Reason)))
            .ToList();
    }

    private static void AssertAllCached(GeneratorDriver driver)
    {
        var reasons = Reasons(driver);
        Assert.NotEmpty(reasons);
        var changed = reasons.Where(r => r.Reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged)).ToList();
        Assert.True(changed.Count == 0, "Steps that ran again: " + string.Join(", ", changed.Select(c => $"{c.Step}={c.Reason}")));

        // And nothing was emitted again.
        var outputs = driver.GetRunResult().Results.Single().TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(run => run.Outputs).ToList();
        Assert.All(outputs, output => Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"output {output.Reason}"));
    }

    [Fact]
    public void Running_again_on_the_same_compilation_is_all_cached()
    {
        var (driver, compilation, _, _) = FirstRun();
        AssertAllCached(driver.RunGenerators(compilation));
    }

    [Fact]
    public void Editing_an_unrelated_file_leaves_every_step_cached()
    {
        var (driver, compilation, _, other) = FirstRun();
        var edited = compilation.ReplaceSyntaxTree(other, other.WithChangedText(other.GetText().Replace(other.GetText().ToString().IndexOf("2 * x", StringComparison.Ordinal), 5, "x + x")));
        AssertAllCached(driver.RunGenerators(edited));
    }

    [Fact]
    public void Adding_an_unrelated_file_leaves_every_step_cached()
    {
        var (driver, compilation, _, _) = FirstRun();
        var added = compilation.AddSyntaxTrees(GeneratorHarness.Parse("namespace Demo; public class Extra { public int Value => 1; }", "Extra.cs"));
        AssertAllCached(driver.RunGenerators(added));
    }

    [Fact]
    public void Editing_a_method_body_of_the_declaration_leaves_the_matrix_cached()
    {
        // The trial code changes, the declaration does not: nothing downstream of parsing runs again.
        var (driver, compilation, declaration, _) = FirstRun();
        var text = declaration.GetText();
        var at = text.ToString().IndexOf("Arch.Length / 100.0", StringComparison.Ordinal);
        var edited = compilation.ReplaceSyntaxTree(declaration, declaration.WithChangedText(text.Replace(at, "Arch.Length / 100.0".Length, "Arch.Length / 200.0")));
        AssertAllCached(driver.RunGenerators(edited));
    }

    [Fact]
    public void The_property_halves_of_a_declaration_with_errors_are_cached_too()
    {
        // A nested experiment (EXP017) gets only its properties' halves; they are plain strings in the parse result, so an
        // unrelated edit neither parses it again nor writes them again.
        var declaration = GeneratorHarness.Parse(Sources.Usings + """
            namespace Demo;

            public partial class Outer<T>
            {
                [Experiment]
                public partial class Sweep
                {
                    [Values(1, 2)] public partial int X { get; private set; }
                    public Task<TrialResult> RunAsync(TrialContext context) => Task.FromResult(TrialResult.Success());
                }
            }
            """, "Nested.cs");
        var other = GeneratorHarness.Parse(Unrelated, "Helpers.cs");
        var compilation = GeneratorHarness.CreateCompilation(declaration, other);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single();
        Assert.Null(first.Exception);
        Assert.Equal("Demo.Outer{T}.Sweep.Experiments.g.cs", Assert.Single(first.GeneratedSources).HintName);

        var edited = compilation.ReplaceSyntaxTree(other, other.WithChangedText(other.GetText().Replace(other.GetText().ToString().IndexOf("2 * x", StringComparison.Ordinal), 5, "x + x")));
        var second = driver.RunGenerators(edited).GetRunResult().Results.Single();
        Assert.Null(second.Exception);
        Assert.All(second.TrackedSteps[TrackingNames.Declarations].SelectMany(run => run.Outputs),
            output => Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"parse {output.Reason}"));
        Assert.All(second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(run => run.Outputs),
            output => Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"output {output.Reason}"));
        Assert.Contains(second.Diagnostics, d => d.Id == "EXP017");
    }

    [Fact]
    public void Changing_the_values_modifies_the_expanded_matrix()
    {
        var (driver, compilation, declaration, _) = FirstRun();
        var text = declaration.GetText();
        var at = text.ToString().IndexOf("[Values(32, 64)]", StringComparison.Ordinal);
        var edited = compilation.ReplaceSyntaxTree(declaration, declaration.WithChangedText(text.Replace(at, "[Values(32, 64)]".Length, "[Values(32, 64, 128)]")));
        driver = driver.RunGenerators(edited);

        var reasons = Reasons(driver);
        Assert.Contains((TrackingNames.Declarations, IncrementalStepRunReason.Modified), reasons);
        Assert.Contains((TrackingNames.Models, IncrementalStepRunReason.Modified), reasons);
        Assert.Contains((TrackingNames.Expanded, IncrementalStepRunReason.Modified), reasons);
        var generated = driver.GetRunResult().Results.Single().GeneratedSources.Single(s => s.HintName == "Demo.FineTune.Experiments.g.cs").SourceText.ToString();
        Assert.Contains("private static readonly int[] s_values2 = { 32, 64, 128 };", generated);
        // 3·2·3·3·2 = 108 combinations; vit_tiny loses Concat (18) and sizes 64, 128 (24), both at once 12: 78 left, × 3.
        Assert.Contains("public const int MatrixSize = 234;", generated);
    }

    [Fact]
    public void Changing_a_build_property_reruns_expansion_but_not_parsing()
    {
        var declaration = GeneratorHarness.Parse(Declarations.FineTune, "FineTune.cs");
        var compilation = GeneratorHarness.CreateCompilation(declaration);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        driver = driver.WithUpdatedAnalyzerConfigOptions(new TestOptionsProvider(GeneratorHarness.Properties(("ExperimentsMaxTrials", "100"))));
        driver = driver.RunGenerators(compilation);

        var result = driver.GetRunResult().Results.Single();
        Assert.All(result.TrackedSteps[TrackingNames.Models].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        Assert.Contains(result.TrackedSteps[TrackingNames.Expanded].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(result.Diagnostics, d => d.Id == "EXP009");
    }
}
