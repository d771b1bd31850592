using Experiments.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Experiments.Generators.Tests;

/// <summary>
/// Broken declarations: the generator must never throw, something must report the problem (the compiler or an EXP
/// diagnostic), and whatever it generates must not add errors of its own.
/// </summary>
public sealed class RobustnessTests
{
    private const string Run = Sources.Run;

    /// <summary>Members of a class <c>Sweep</c> (or a whole source when it starts with "//whole").</summary>
    public static TheoryData<string, string> Broken => new()
    {
        // Missing attribute arguments.
        { "values-unclosed", "[Values(] public partial int X { get; }" },
        { "uniform-no-arguments", "[Uniform] public partial double X { get; }" },
        { "uniform-one-argument", "[Uniform(0)] public partial double X { get; }" },
        { "loguniform-empty-parens", "[LogUniform()] public partial double X { get; }" },
        { "knownin-no-argument", "[Values(\"a\")] [KnownIn] public partial string X { get; }" },
        { "knownin-empty", "[Values(\"a\")] [KnownIn()] public partial string X { get; }" },
        { "constrainedby-no-argument", "[Values(1)] [ConstrainedBy] public partial int X { get; }" },
        { "//whole experiment-named-argument-without-value", "[Experiment(Repeats = )] public partial class Sweep { [Values(1)] public partial int X { get; } " + Run + " }" },
        { "//whole experiment-positional-argument", "[Experiment(3)] public partial class Sweep { [Values(1)] public partial int X { get; } " + Run + " }" },
        { "//whole exclude-two-arguments", "[Experiment] [Exclude(nameof(Sweep.X), 1)] public partial class Sweep { [Values(1, 2)] public partial int X { get; } " + Run + " }" },
        { "//whole exclude-no-arguments", "[Experiment] [Exclude] public partial class Sweep { [Values(1, 2)] public partial int X { get; } " + Run + " }" },
        { "//whole exclude-three-arguments", "[Experiment] [Exclude(\"X\", 1, \"Y\")] public partial class Sweep { [Values(1, 2)] public partial int X { get; } [Values(1)] public partial int Y { get; } " + Run + " }" },

        // Wrong argument types.
        { "//whole experiment-repeats-string", "[Experiment(Repeats = \"3\")] public partial class Sweep { [Values(1)] public partial int X { get; } " + Run + " }" },
        { "//whole experiment-objective-int", "[Experiment(Objective = 1)] public partial class Sweep { [Values(1)] public partial int X { get; } " + Run + " }" },
        { "//whole experiment-goal-int", "[Experiment(Goal = 1)] public partial class Sweep { [Values(1)] public partial int X { get; } " + Run + " }" },
        { "//whole experiment-unknown-named", "[Experiment(Repeat = 3)] public partial class Sweep { [Values(1)] public partial int X { get; } " + Run + " }" },
        { "uniform-strings", "[Uniform(\"a\", \"b\")] public partial double X { get; }" },
        { "uniform-samples-string", "[Uniform(0, 1, Samples = \"x\")] public partial double X { get; }" },
        { "values-key-int", "[Values(1, Key = 2)] public partial int X { get; }" },
        { "knownin-string", "[Values(\"a\")] [KnownIn(\"Models\")] public partial string X { get; }" },
        { "constrainedby-int", "[Values(1)] [ConstrainedBy(1)] public partial int X { get; }" },
        { "//whole exclude-wrong-types", "[Experiment] [Exclude(1, 2, 3, 4)] public partial class Sweep { [Values(1, 2)] public partial int X { get; } " + Run + " }" },
        { "values-int-array", "[Values(new int[] { 1, 2 })] public partial int X { get; }" },
        { "values-nested-array", "[Values(new object[] { new int[] { 1 } })] public partial int X { get; }" },
        { "values-type", "[Values(typeof(int))] public partial int X { get; }" },
        { "values-on-unknown-type", "[Values(1)] public partial Unknown X { get; }" },
        { "//whole exclude-array-value", "[Experiment] [Exclude(nameof(Sweep.X), new[] { 1, 2 }, nameof(Sweep.Y), 1)] public partial class Sweep { [Values(1, 2)] public partial int X { get; } [Values(1)] public partial int Y { get; } " + Run + " }" },
        { "//whole exclude-array-name", "[Experiment] [Exclude(new[] { \"X\" }, 1, nameof(Sweep.Y), 1)] public partial class Sweep { [Values(1, 2)] public partial int X { get; } [Values(1)] public partial int Y { get; } " + Run + " }" },
        { "//whole knownvalue-wrong-metadata", "[KnownValues] public static class Set { [KnownValue(1)] public const string A = \"a\"; [KnownValue(new[] { 1 })] public const int B = 2; [KnownValue(\"novalue\", \"=x\", null)] public const string C = \"c\"; }\n[Experiment] public partial class Sweep { [Values(\"a\", \"c\")] [KnownIn(typeof(Set))] public partial string X { get; } [Values(1)] [ConstrainedBy(\"novalue\")] public partial int Y { get; } " + Run + " }" },
        { "//whole metricname-wrong-types", "public static class H { [MetricName(1)] public static void A(TrialContext c) { } [MetricName(null)] public static void B(TrialContext c) { } }\n[Experiment] public partial class Sweep { [Values(1)] public partial int X { get; } public Task<TrialResult> RunAsync(TrialContext context) { H.A(context); H.B(context); context.ReportMetric(null!, 1); return Task.FromResult(TrialResult.Success((null!, 1))); } }" },

        // Non-constant expressions.
        { "values-method-call", "[Values(SomeMethod())] public partial int X { get; }\n    static int SomeMethod() => 1;" },
        { "values-field", "[Values(1, Field)] public partial int X { get; }\n    static int Field = 1;" },
        { "values-new-object", "[Values(new object())] public partial int X { get; }" },
        { "values-lambda", "[Values(() => 1)] public partial int X { get; }" },
        { "uniform-method-call", "[Uniform(Min(), 1)] public partial double X { get; }\n    static double Min() => 0;" },
        { "//whole experiment-repeats-method", "[Experiment(Repeats = Sweep.Count())] public partial class Sweep { public static int Count() => 3; [Values(1)] public partial int X { get; } " + Run + " }" },
        { "//whole exclude-method", "[Experiment] [Exclude(nameof(Sweep.X), Sweep.V(), nameof(Sweep.Y), 1)] public partial class Sweep { public static int V() => 1; [Values(1, 2)] public partial int X { get; } [Values(1)] public partial int Y { get; } " + Run + " }" },

        // Unknown types and symbols.
        { "knownin-unknown-type", "[Values(\"a\")] [KnownIn(typeof(Unknown))] public partial string X { get; }" },
        { "knownin-generic-type", "[Values(\"a\")] [KnownIn(typeof(System.Collections.Generic.List<>))] public partial string X { get; }" },
        { "values-unknown-enum-member", "[Values(Pooling.Max)] public partial Pooling X { get; }" },
        { "//whole exclude-unknown-nameof", "[Experiment] [Exclude(nameof(Nope), 1, nameof(Sweep.X), 1)] public partial class Sweep { [Values(1, 2)] public partial int X { get; } " + Run + " }" },
        { "//whole unknown-attribute-type", "[Experiment] public partial class Sweep { [Values(1)] [Unknown] public partial int X { get; } " + Run + " }" },

        // Shapes.
        { "//whole nested", "public partial class Outer { [Experiment] public partial class Sweep { [Values(1)] public partial int X { get; } " + Run + " } }" },
        { "//whole nested-in-generic", "public partial class Outer<T> { [Experiment] public partial class Sweep { [Values(1)] public partial int X { get; } " + Run + " } }" },
        { "//whole generic", "[Experiment] public partial class Sweep<T> where T : new() { [Values(1)] public partial int X { get; } " + Run + " }" },
        { "//whole record-struct", "[Experiment] public partial record struct Sweep { [Values(1)] public partial int X { get; } " + Run + " }" },
        { "//whole struct", "[Experiment] public partial struct Sweep { [Values(1)] public partial int X { get; } " + Run + " }" },
        { "//whole interface", "[Experiment] public partial interface Sweep { [Values(1)] int X { get; } }" },
        { "//whole on-method", "public partial class Sweep { [Experiment] public void M() { } }" },
        { "property-with-setter", "[Values(1)] public partial int X { get; set; }" },
        { "property-with-body", "[Values(1)] public int X { get { return 1; } }" },
        { "indexer", "[Values(1)] public int this[int i] => i;" },
        { "//whole no-run-method", "[Experiment] public partial class Sweep { [Values(1)] public partial int X { get; } }" },
        { "//whole empty-class", "[Experiment] public partial class Sweep { }" },
        { "//whole empty-class-not-partial", "[Experiment] public class Sweep { }" },
        { "//whole two-experiment-attributes", "[Experiment] [Experiment(Repeats = 2)] public partial class Sweep { [Values(1)] public partial int X { get; } " + Run + " }" },
        { "//whole attribute-on-two-parts", "[Experiment] public partial class Sweep { [Values(1)] public partial int X { get; } " + Run + " }\n[Experiment(Repeats = 2)] public partial class Sweep { }" },
        { "//whole duplicate-non-partial-types", "[Experiment] public class Sweep { [Values(1)] public partial int X { get; } " + Run + " }\n[Experiment] public class Sweep { [Values(2)] public partial int Y { get; } }" },
        { "//whole duplicate-struct-and-class", "[Experiment] public partial struct Sweep { [Values(1)] public partial int X { get; } }\n[Experiment] public partial class Sweep { [Values(2)] public partial int Y { get; } }" },
        { "//whole nested-in-non-partial", "public class Outer { [Experiment] public partial class Sweep { [Values(1)] public partial int X { get; } " + Run + " } }" },
        { "//whole duplicate-type", "[Experiment] public partial class Sweep { [Values(1)] public partial int X { get; } " + Run + " }\n[Experiment] public class Sweep { }" },
        { "//whole parameter-named-like-generated-member", "[Experiment] public partial class Sweep { [Values(1)] public partial int MatrixSize { get; } " + Run + " }" },
        { "//whole method-named-like-generated-member", "[Experiment] public partial class Sweep { [Values(1)] public partial int X { get; } public void Experiment() { } " + Run + " }" },
        { "//whole run-method-wrong-return", "[Experiment] public partial class Sweep { [Values(1)] public partial int X { get; } public Task<int> RunAsync(TrialContext context) => Task.FromResult(1); }" },

        // Syntax errors mid-declaration.
        { "//whole unclosed-class", "[Experiment] public partial class Sweep { [Values(1, 2)] public partial int X { get; }" },
        { "//whole no-class-name", "[Experiment] public partial class { [Values(1)] public partial int X { get; } }" },
        { "//whole unclosed-attribute", "[Experiment(Repeats = 2 public partial class Sweep { [Values(1)] public partial int X { get; } " + Run + " }" },
        { "values-missing-comma", "[Values(1 2)] public partial int X { get; }" },
        { "values-trailing-comma", "[Values(1, )] public partial int X { get; }" },
        { "property-unclosed-accessors", "[Values(1)] public partial int X { get;\n    [Values(2)] public partial int Y { get; }" },
        { "property-no-type", "[Values(1)] public partial X { get; }" },
        { "garbage-member", "[Values(1)] public partial int X { get; }\n    @@@ ### !!!" },

        // Nulls.
        { "values-null", "[Values(null)] public partial string X { get; }" },
        { "values-nulls", "[Values(null, null)] public partial string X { get; }" },
        { "values-cast-null", "[Values((object)null)] public partial string X { get; }" },
        { "values-null-int", "[Values(null)] public partial int X { get; }" },
        { "values-null-array", "[Values((object[])null)] public partial int X { get; }" },
        { "//whole exclude-nulls", "[Experiment] [Exclude(null, null, null, null)] public partial class Sweep { [Values(\"a\", \"b\")] public partial string X { get; } " + Run + " }" },
        { "//whole exclude-null-value", "[Experiment] [Exclude(nameof(Sweep.X), null, nameof(Sweep.Y), 1)] public partial class Sweep { [Values(\"a\")] public partial string X { get; } [Values(1)] public partial int Y { get; } " + Run + " }" },
        { "//whole experiment-null-name-objective", "[Experiment(Name = null, Objective = null)] public partial class Sweep { [Values(1)] public partial int X { get; } public TrialResult Run(TrialContext context) { context.ReportMetric(\"x\", 1); return TrialResult.Success(); } }" },
        { "constrainedby-null", "[Values(1)] [ConstrainedBy(null)] public partial int X { get; }" },
        { "knownin-null", "[Values(\"a\")] [KnownIn(null)] public partial string X { get; }" },

        // Extremes.
        { "uniform-huge-samples", "[Uniform(0, 1, Samples = int.MaxValue)] public partial double X { get; }" },
        { "uniform-negative-digits", "[Uniform(0, 1, Digits = -1)] public partial double X { get; }" },
        { "uniform-tiny-range", "[Uniform(0, double.Epsilon, Samples = 5, Digits = 15)] public partial double X { get; }" },
        { "uniform-max-range", "[Uniform(-double.MaxValue, double.MaxValue)] public partial float X { get; }" },
        { "loguniform-huge-decimal", "[LogUniform(1, 1e300)] public partial decimal X { get; }" },
        { "//whole repeats-max", "[Experiment(Repeats = int.MaxValue)] public partial class Sweep { [Values(1, 2, 3)] public partial int X { get; } " + Run + " }" },
        { "//whole repeats-max-with-rule", "[Experiment(Repeats = int.MaxValue, MaxTrials = int.MaxValue)] [Exclude(nameof(Sweep.X), 1, nameof(Sweep.Y), 1)] public partial class Sweep { [Values(1, 2, 3)] public partial int X { get; } [Values(1, 2)] public partial int Y { get; } " + Run + " }" },
        { "//whole maxtrials-negative", "[Experiment(MaxTrials = -1)] public partial class Sweep { [Values(1)] public partial int X { get; } " + Run + " }" },
        { "values-nan-duplicates", "[Values(double.NaN, double.NaN)] public partial double X { get; }" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Broken_declarations_give_diagnostics_never_exceptions(string name, string code)
    {
        var source = name.StartsWith("//whole", StringComparison.Ordinal)
            ? Sources.Usings + Sources.Models + code
            : Sources.Experiment("    " + code);
        var result = GeneratorHarness.Run(source);

        result.AssertNoException();
        Assert.DoesNotContain(result.Diagnostics, d => d.Id is "CS8784" or "CS8785");

        // Something tells the user: the compiler (input errors) or the generator.
        var inputErrors = result.Input.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var generatorErrors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(inputErrors.Count + generatorErrors.Count > 0, $"{name}: nothing reported an error. Generated:\n" + string.Join("\n", result.Sources.Values));

        // Whatever was generated adds no errors of its own.
        var generatedTrees = result.Output.SyntaxTrees.Except(result.Input.SyntaxTrees).ToHashSet();
        var generatedErrors = result.Output.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree is { } tree && generatedTrees.Contains(tree))
            .ToList();
        Assert.True(generatedErrors.Count == 0, $"{name}: generated code has errors:\n" + string.Join("\n", generatedErrors));

        // A type the generator reported an error for gets no matrix and no registration — only its properties'
        // implementation halves, so the compiler adds no CS9248 of its own next to the EXP errors.
        if (generatorErrors.Count > 0)
        {
            Assert.All(result.Sources.Where(s => s.Key.StartsWith("Sweep.", StringComparison.Ordinal)), s =>
            {
                Assert.DoesNotContain("const int MatrixSize", s.Value);
                Assert.DoesNotContain("ExperimentDefinition", s.Value);
            });
        }
    }

    [Fact]
    public void Valid_edge_cases_generate_compiling_code()
    {
        // Not broken, only unusual: must generate code that compiles.
        var source = Sources.Usings + """
            namespace Deep.Name.Space
            {
                public enum E : byte { A = 1, B = 2, Alias = 1 }

                [Experiment(Name = "with 'quotes', spaces & é", Objective = "with \"quotes\", \\ and a\nnewline")]
                internal partial class Sweep
                {
                    [Values(E.A, E.B)] internal partial E Mode { get; }
                    [Values("unicode é 漢字", " spaces ", "a/b#c%d", "*")] public partial string Text { get; }
                    [Values(double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, double.MaxValue, double.Epsilon)] public partial double D { get; }
                    [Values(float.NaN, float.MaxValue)] public partial float F { get; }
                    [Values(long.MinValue, long.MaxValue)] public partial long L { get; }
                    [Values(ulong.MaxValue)] public partial ulong U { get; }
                    [Values(1e28, 0.1, -7)] public partial decimal M { get; }
                    [LogUniform(1e-300, 1e300, Samples = 3, Digits = 15)] public partial double Wide { get; }
                    [Uniform(-1, 1, Samples = 3)] public partial decimal Dec { get; }
                    [Values('\'', '\\', ' ')] public partial char C { get; }

                    private TrialResult Run(TrialContext context) => TrialResult.Success();
                }
            }
            """;
        var result = GeneratorHarness.Run(source);
        result.AssertCompilesCleanly();
        var assembly = GeneratedAssembly.Load(result);
        var experiment = Assert.Single(assembly.Catalog);
        var trials = experiment.Trials.ToList();
        Assert.Equal(experiment.MatrixSize, trials.Count);
        Assert.Equal(trials.Count, trials.Select(t => t.Id).Distinct().Count());
        // A name cannot hold '"', '\\' or control characters (EXP027: it names folders); the objective can, and is escaped.
        Assert.Equal("with 'quotes', spaces & é", experiment.Name);
        Assert.Equal("with \"quotes\", \\ and a\nnewline", experiment.Objective);
    }
}
