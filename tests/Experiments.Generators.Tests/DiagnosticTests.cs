using Experiments.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using static Experiments.Generators.Tests.Infrastructure.DiagnosticVerifier;

namespace Experiments.Generators.Tests;

/// <summary>
/// One test per diagnostic of the catalog (EXP001–EXP037): the id and the exact span it is reported at, marked in
/// the source as <c>{|EXPnnn:…|}</c>. No other EXP diagnostic may be reported.
/// </summary>
public sealed class DiagnosticTests
{
    private const string Run = Sources.Run;

    /// <summary>
    /// A declaration with an error gets no matrix and no registration (at most its properties' implementation halves,
    /// so that the compiler adds no CS9248 next to the EXP error); the catalog leaves it out.
    /// </summary>
    private static void AssertNothingGeneratedFor(GeneratorResult result, string typeName)
    {
        Assert.All(result.Sources.Where(s => s.Key.StartsWith(typeName + ".", StringComparison.Ordinal)), s =>
        {
            Assert.DoesNotContain("const int MatrixSize", s.Value);
            Assert.DoesNotContain("ExperimentDefinition", s.Value);
        });
        Assert.DoesNotContain(result.Sources, s => s.Key.StartsWith("ExperimentCatalog", StringComparison.Ordinal) && s.Value.Contains($".{typeName}.Experiment", StringComparison.Ordinal));
    }

    /// <summary>
    /// The compiler's errors next to the EXP ones: none of its own about the partial properties (CS9248 "must have an
    /// implementation part", CS0751 "partial member in a non-partial type"), only <paramref name="expected"/>.
    /// </summary>
    private static void AssertCompilerErrors(GeneratorResult result, params string[] expected)
        => Assert.Equal(expected.Order(StringComparer.Ordinal), result.OutputErrors.Select(d => d.Id).Order(StringComparer.Ordinal));

    [Fact]
    public void An_error_in_a_declaration_is_the_only_error_the_build_shows()
    {
        // Without the properties' implementation halves the compiler would add a CS9248 per partial property.
        var result = GeneratorHarness.Run(Sources.Experiment("""
                [Values(1, 2, 1)] public partial int X { get; }
                [Values("a")] public partial string? Y { get; }
            """));

        Assert.Equal("EXP004", Assert.Single(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error).Id);
        Assert.Empty(result.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        AssertNothingGeneratedFor(result, "Sweep");
    }

    [Fact]
    public void EXP001_type_not_partial()
    {
        var result = Verify(Sources.Usings + $$"""
            [Experiment]
            public class {|EXP001:Sweep|}
            {
                [Values(1, 2)] public int X { get; }
            {{Run}}
            }
            """);
        Assert.Contains("'Sweep' must be declared partial", result.Single("EXP001").GetMessage());
        AssertNothingGeneratedFor(result, "Sweep");
        AssertCompilerErrors(result);
    }

    [Fact]
    public void EXP001_with_partial_properties_is_not_drowned_in_CS9248()
    {
        // The generated halves make the properties complete: instead of a CS0751 and a CS9248 per property, the compiler
        // says once, at the class name, what EXP001 says (CS0260: missing partial modifier).
        var result = Verify(Sources.Usings + $$"""
            [Experiment]
            public class {|EXP001:Sweep|}
            {
                [Values(1, 2)] public partial int X { get; }
                [Values("a")] public partial string? Y { get; }
            {{Run}}
            }
            """);
        AssertNothingGeneratedFor(result, "Sweep");
        AssertCompilerErrors(result, "CS0260");
        Assert.Equal(result.Single("EXP001").Location.SourceSpan, Assert.Single(result.OutputErrors).Location.SourceSpan);
    }

    [Fact]
    public void EXP002_no_parameters()
    {
        var result = Verify(Sources.Usings + $$"""
            [Experiment]
            public partial class {|EXP002:Sweep|}
            {
                public int NotAParameter { get; }
            {{Run}}
            }
            """);
        Assert.Contains("'Sweep' declares no parameters", result.Single("EXP002").GetMessage());
        AssertNothingGeneratedFor(result, "Sweep");
    }

    [Theory]
    [InlineData("[{|EXP003:Values()|}]")]
    [InlineData("[{|EXP003:Values|}]")]
    [InlineData("[{|EXP003:Values(Key = \"x\")|}]")]
    [InlineData("[{|EXP003:Values(new object[0])|}]")]
    public void EXP003_empty_values(string attribute)
    {
        var result = Verify(Sources.Experiment($"    {attribute} public partial int X {{ get; }}\n    [Values(1)] public partial int Y {{ get; }}"));
        Assert.Equal("Parameter 'X' declares no values: list at least one, e.g. [Values(1, 2)]", result.Single("EXP003").GetMessage());
        AssertNothingGeneratedFor(result, "Sweep");
    }

    [Theory]
    [InlineData("int", "1, 2, {|EXP004:1|}", "1")]
    [InlineData("string", "\"a\", \"b\", {|EXP004:\"a\"|}", "\"a\"")]
    [InlineData("double", "0.1, {|EXP004:0.10|}", "0.1")]
    [InlineData("Pooling", "Pooling.Average, Pooling.Concat, {|EXP004:Pooling.Average|}", "Pooling.Average")]
    [InlineData("long", "new object[] { 5L, {|EXP004:5L|} }", "5")]
    public void EXP004_duplicate_value(string type, string values, string described)
    {
        var result = Verify(Sources.Experiment($"    [Values({values})] public partial {type} X {{ get; }}"));
        Assert.Equal($"Parameter 'X' declares the value {described} more than once: remove the repeat", result.Single("EXP004").GetMessage());
        AssertNothingGeneratedFor(result, "Sweep");
    }

    [Theory]
    [InlineData("int", "1, {|EXP005:\"abc\"|}", "Value \"abc\" of parameter 'X' cannot be converted to 'int': write a value of that type")]
    [InlineData("int", "{|EXP005:0.5|}", "Value 0.5 of parameter 'X' cannot be converted to 'int': write a value of that type")]
    [InlineData("byte", "1, {|EXP005:300|}", "Value 300 of parameter 'X' cannot be converted to 'byte': write a value of that type")]
    [InlineData("string", "\"a\", {|EXP005:1|}", "Value 1 of parameter 'X' cannot be converted to 'string': write a value of that type")]
    [InlineData("Pooling", "{|EXP005:0|}", "Value 0 of parameter 'X' cannot be converted to 'Pooling': write a value of that type")]
    [InlineData("bool", "{|EXP005:\"true\"|}", "Value \"true\" of parameter 'X' cannot be converted to 'bool': write a value of that type")]
    [InlineData("double", "new object[] { 1.0, {|EXP005:'c'|} }", "Value 'c' of parameter 'X' cannot be converted to 'double': write a value of that type")]
    [InlineData("int", "{|EXP005:null|}", "Value null of parameter 'X' cannot be converted to 'int': write a value of that type")]
    [InlineData("float", "{|EXP005:1e300|}", "Value 1E+300 of parameter 'X' cannot be converted to 'float': write a value of that type")]
    public void EXP005_value_not_convertible(string type, string values, string message)
    {
        var result = Verify(Sources.Experiment($"    [Values({values})] public partial {type} X {{ get; }}"));
        Assert.Equal(message, result.Single("EXP005").GetMessage());
        AssertNothingGeneratedFor(result, "Sweep");
    }

    [Theory]
    [InlineData("[Values({|CS0182:System.DateTime.Now.Second|})] public partial int X { get; }")]
    [InlineData("[Values(1, {|CS0182:System.DateTime.Now.Second|}, 3)] public partial int X { get; }")]
    [InlineData("[Values(new object[] { 1, {|CS0182:System.DateTime.Now.Second|} })] public partial int X { get; }")]
    [InlineData("[Values(\"a\", {|CS0182:System.Environment.MachineName|})] public partial string X { get; }")]
    [InlineData("[Values(1, Key = {|CS0182:System.Environment.MachineName|})] public partial int X { get; }")]
    public void No_EXP_diagnostic_next_to_the_compilers_for_a_value_that_is_not_a_constant(string property)
    {
        // The compiler reports the argument (CS0182); an EXP005 "Value null ..." next to it would be wrong.
        var (source, expected) = Markup.Parse(Sources.Experiment("    " + property + "\n    [Values(1)] public partial int Y { get; }"));
        var result = GeneratorHarness.Run(source);
        result.AssertNoException();
        Assert.Empty(result.ExperimentDiagnostics);
        var error = Assert.Single(result.OutputErrors);
        Assert.Equal("CS0182", error.Id);
        Assert.Equal(expected[0].Span, error.Location.SourceSpan);
        AssertNothingGeneratedFor(result, "Sweep");
    }

    [Fact]
    public void EXP006_value_outside_known_set_suggests_the_closest()
    {
        var result = Verify(Sources.Experiment("""
                [Values("resnet18", {|EXP006:"resnet81"|}, "convnext_atto")]
                [KnownIn(typeof(Models))]
                public partial string Arch { get; }
            """));
        var message = result.Single("EXP006").GetMessage();
        Assert.Contains("did you mean 'resnet18'", message);
        Assert.Equal("Parameter 'Arch': 'resnet81' is not in Models; did you mean 'resnet18'?", message);
        // Every close name, closest first, for the code fix (resnet34 is two edits away too).
        Assert.Equal(
            [("Candidate0", "resnet18"), ("Candidate1", "resnet34")],
            result.Single("EXP006").Properties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value)));
        AssertNothingGeneratedFor(result, "Sweep");
    }

    [Fact]
    public void EXP006_without_a_close_name_has_no_suggestion()
    {
        var result = Verify(Sources.Experiment("""
                [Values({|EXP006:"alexnet"|}, {|EXP006:"VIT_TINY"|})]
                [KnownIn(typeof(Models))]
                public partial string Arch { get; }
            """));
        var messages = result.ExperimentDiagnostics.Select(d => d.GetMessage()).ToList();
        Assert.Contains("Parameter 'Arch': 'alexnet' is not in Models", messages);
        Assert.Empty(result.ExperimentDiagnostics.Single(d => d.GetMessage().Contains("alexnet")).Properties);
        // Known sets are case-sensitive; the suggestion is not.
        Assert.Contains("Parameter 'Arch': 'VIT_TINY' is not in Models; did you mean 'vit_tiny'?", messages);
    }

    [Fact]
    public void EXP006_known_set_from_a_referenced_assembly()
    {
        // The set is read from metadata, exactly as a library's model catalog would be.
        var library = GeneratorHarness.CreateCompilation(GeneratorHarness.Parse(Sources.Usings + "namespace Lib;\n" + Sources.Models, "Library.cs"));
        using var stream = new MemoryStream();
        Assert.True(library.Emit(stream).Success);
        var reference = MetadataReference.CreateFromImage(stream.ToArray());

        var (source, expected) = Markup.Parse(Sources.Usings + "using Lib;\n" + $$"""
            [Experiment]
            public partial class Sweep
            {
                [Values("vit_tiny", {|EXP006:"vit_tiyn"|})] [KnownIn(typeof(Models))] public partial string Arch { get; }
            {{Run}}
            }
            """);
        var compilation = GeneratorHarness.CreateCompilation(GeneratorHarness.Parse(source)).AddReferences(reference);
        var result = GeneratorHarness.Run(compilation);
        result.AssertNoException();
        var diagnostic = result.Single("EXP006");
        Assert.Equal(expected[0].Span, diagnostic.Location.SourceSpan);
        Assert.EndsWith("did you mean 'vit_tiny'?", diagnostic.GetMessage());
    }

    [Fact]
    public void EXP007_rules_exclude_every_combination()
    {
        var result = Verify(Sources.Usings + $$"""
            [Experiment]
            [Exclude(nameof(Arch), "vit_*", nameof(Size), 32)]
            public partial class {|EXP007:Sweep|}
            {
                [Values("vit_tiny", "vit_base")] public partial string Arch { get; }
                [Values(32)] public partial int Size { get; }
            {{Run}}
            }
            """);
        Assert.Equal("The rules of experiment 'Sweep' exclude all 2 combinations: loosen or remove an [Exclude] rule", result.Single("EXP007").GetMessage());
        AssertNothingGeneratedFor(result, "Sweep");
    }

    [Fact]
    public void EXP008_constraint_no_declared_value_meets()
    {
        var result = Verify(Sources.Experiment("""
                [Values("resnet18", {|EXP008:"vit_tiny"|}, {|EXP008:"vit_base"|})]
                [KnownIn(typeof(Models))]
                public partial string Arch { get; }

                [Values(64, 128)]
                [ConstrainedBy("input_size")]
                public partial int Size { get; }
            """));
        var messages = result.ExperimentDiagnostics.Select(d => d.GetMessage()).ToList();
        Assert.Contains("'vit_tiny' requires input_size=32, but parameter 'Size' declares only 64, 128: add 32 to 'Size' or remove 'vit_tiny'", messages);
        Assert.Contains("'vit_base' requires input_size=224, but parameter 'Size' declares only 64, 128: add 224 to 'Size' or remove 'vit_base'", messages);
        AssertNothingGeneratedFor(result, "Sweep");
    }

    [Fact]
    public void EXP009_over_MaxTrials()
    {
        var result = Verify(Sources.Experiment(
            "    [Values(1, 2, 3, 4)] public partial int A { get; }\n    [Values(1, 2, 3, 4)] public partial int B { get; }",
            "Repeats = 2, MaxTrials = {|EXP009:10|}"));
        Assert.Equal(
            "Experiment 'Sweep' expands to 32 trials, over its budget of 10 (set MaxTrials, or the ExperimentsMaxTrials property, to allow more)",
            result.Single("EXP009").GetMessage());
        Assert.Equal("32", result.Single("EXP009").Properties["MatrixSize"]);
        AssertNothingGeneratedFor(result, "Sweep");
    }

    [Fact]
    public void EXP009_over_MaxTrials_after_rules()
    {
        // 16 combinations, the rule removes 4: 12 left, still over 10.
        var result = Verify(Sources.Experiment(
            "    [Values(1, 2, 3, 4)] public partial int A { get; }\n    [Values(1, 2, 3, 4)] public partial int B { get; }",
            "MaxTrials = {|EXP009:10|}",
            "[Exclude(nameof(A), 1, nameof(B), 1)]\n[Exclude(nameof(A), 2, nameof(B), 2)]\n[Exclude(nameof(A), 3, nameof(B), 3)]\n[Exclude(nameof(A), 4, nameof(B), 4)]"));
        Assert.Contains("expands to 12 trials, over its budget of 10", result.Single("EXP009").GetMessage());
        Assert.Equal("12", result.Single("EXP009").Properties["MatrixSize"]);
    }

    [Fact]
    public void EXP009_over_the_ExperimentsMaxTrials_build_property()
    {
        var members = "    [Values(1, 2, 3, 4)] public partial int A { get; }\n    [Values(1, 2, 3)] public partial int B { get; }";
        var source = Sources.Usings + Sources.Models + $"[{{|EXP009:Experiment(Repeats = 2)|}}]\npublic partial class Sweep\n{{\n{members}\n{Run}\n}}\n";
        var result = Verify(source, GeneratorHarness.Properties(("ExperimentsMaxTrials", "20")));
        Assert.Contains("expands to 24 trials, over its budget of 20", result.Single("EXP009").GetMessage());

        // Within the property's budget: fine. And MaxTrials on the declaration wins over the property.
        Verify(Sources.Experiment(members, "Repeats = 2"), GeneratorHarness.Properties(("ExperimentsMaxTrials", "24")));
        Verify(Sources.Experiment(members, "Repeats = 2, MaxTrials = 24"), GeneratorHarness.Properties(("ExperimentsMaxTrials", "20")));
        // An unusable property value falls back to the default budget.
        Verify(Sources.Experiment(members, "Repeats = 2"), GeneratorHarness.Properties(("ExperimentsMaxTrials", "lots")));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    public void EXP010_repeats_below_one(string repeats)
    {
        var result = Verify(Sources.Experiment("    [Values(1)] public partial int X { get; }", $"Repeats = {{|EXP010:{repeats}|}}"));
        Assert.Equal($"Experiment 'Sweep' has Repeats = {repeats}; it must be at least 1", result.Single("EXP010").GetMessage());
        AssertNothingGeneratedFor(result, "Sweep");
    }

    [Fact]
    public void EXP011_objective_not_among_the_reported_metrics()
    {
        var result = Verify(Sources.Usings + """
            [Experiment(Objective = {|EXP011:"eror_rate"|})]
            public partial class Sweep
            {
                [Values(1)] public partial int X { get; }

                public Task<TrialResult> RunAsync(TrialContext context)
                {
                    context.ReportEpoch(1, MetricNames.TrainLoss, 0.5);
                    context.ReportMetric("error_rate", 0.1);
                    return Task.FromResult(TrialResult.Success(("fit_time", 1.0)).With(name: "valid_loss", value: 0.2));
                }
            }
            """);
        var diagnostic = result.Single("EXP011");
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Equal("Objective 'eror_rate' of experiment 'Sweep' is not among the metrics it reports (error_rate, fit_time, train_loss, valid_loss); did you mean 'error_rate'?", diagnostic.GetMessage());
        // A warning: the code is still generated.
        Assert.Contains("Sweep.Experiments.g.cs", result.Sources.Keys);
    }

    [Fact]
    public void EXP011_default_objective_is_located_on_the_attribute()
    {
        // No Objective argument: the default ("loss") is checked and the attribute is the location.
        Verify(Sources.Usings + """
            [{|EXP011:Experiment(Repeats = 2)|}]
            public partial class Sweep
            {
                [Values(1)] public partial int X { get; }
                public TrialResult Run(TrialContext context) => TrialResult.Success().With("accuracy", 1);
            }
            """);
    }

    [Theory]
    [InlineData("Helper.Train(context); return Task.FromResult(TrialResult.Success());")]
    [InlineData("var c = context; Helper.Train(c); context.ReportMetric(\"accuracy\", 1); return Task.FromResult(TrialResult.Success());")]
    [InlineData("context.ReportMetric(Helper.Name, 1); return Task.FromResult(TrialResult.Success());")]
    [InlineData("new Trainer(context).Fit(); context.ReportMetric(\"accuracy\", 1); return Task.FromResult(TrialResult.Success());")]
    [InlineData("context.ReportMetric(\"accuracy\", 1); return Task.FromResult(Helper.Result());")]
    [InlineData("context.ReportMetric(\"accuracy\", 1); return Helper.ResultAsync();")]
    [InlineData("context.ReportMetric(\"accuracy\", 1); context.Train(); return Task.FromResult(TrialResult.Success());")]
    [InlineData("context.ReportMetric(\"accuracy\", 1); Holder.Context = context; return Task.FromResult(TrialResult.Success());")]
    [InlineData("context.ReportMetric(\"accuracy\", 1); var metrics = new[] { (\"x\", 1.0) }; return Task.FromResult(TrialResult.Success(metrics));")]
    public void No_EXP011_when_the_reported_metrics_are_unknowable(string body)
    {
        // The context goes to code that does not say what it reports, or a metric name is not a constant: no warning.
        Verify(Sources.Usings + $$"""
            public static class Helper
            {
                public static string Name = "error_rate";
                public static void Train(TrialContext context) => context.ReportMetric(Name, 0);
                public static TrialResult Result() => TrialResult.Success(("error_rate", 0));
                public static Task<TrialResult> ResultAsync() => Task.FromResult(Result());
                public static void Train(this TrialContext context) => context.ReportMetric("error_rate", 0);
            }

            public static class Holder
            {
                public static TrialContext? Context;
            }

            public sealed class Trainer
            {
                private readonly TrialContext _context;
                public Trainer(TrialContext context) => _context = context;
                public void Fit() => _context.ReportMetric("error_rate", 0);
            }

            [Experiment(Objective = "error_rate")]
            public partial class Sweep
            {
                [Values(1)] public partial int X { get; }

                public Task<TrialResult> RunAsync(TrialContext context)
                {
                    {{body}}
                }
            }
            """);
    }

    [Theory]
    [InlineData("return Task.FromResult(TrialResult.Success((\"error_rate\", 0.1)));")]
    [InlineData("context.ReportMetric(\"loss\", 1); return Task.FromResult(TrialResult.Success((Name: \"error_rate\", Value: 0.1)));")]
    [InlineData("Annotated.Train(context); return Task.FromResult(TrialResult.Success());")]
    [InlineData("Report(context); return Task.FromResult(TrialResult.Success());")]
    [InlineData("context.ReportMetric(MetricNames.ErrorRate, 1); return Task.FromResult(TrialResult.Success());")]
    public void No_EXP011_when_the_objective_is_reported(string body)
    {
        Verify(Sources.Usings + $$"""
            public static class Annotated
            {
                [MetricName("error_rate", "fit_time")]
                public static void Train(TrialContext context) => context.ReportMetric("error_rate", 0);
            }

            [Experiment(Objective = "error_rate")]
            public partial class Sweep
            {
                [Values(1)] public partial int X { get; }

                public Task<TrialResult> RunAsync(TrialContext context)
                {
                    {{body}}
                }

                private static void Report(TrialContext context) => context.ReportMetric("error_rate", 0);
            }
            """);
    }

    [Fact]
    public void EXP011_annotated_helper_that_reports_other_metrics()
    {
        var result = Verify(Sources.Usings + """
            public static class Annotated
            {
                [MetricName("accuracy")]
                public static void Train(TrialContext context) { }
            }

            [Experiment(Objective = {|EXP011:"error_rate"|})]
            public partial class Sweep
            {
                [Values(1)] public partial int X { get; }
                public Task<TrialResult> RunAsync(TrialContext context) { Annotated.Train(context); return Task.FromResult(TrialResult.Success()); }
            }
            """);
        Assert.Contains("(accuracy)", result.Single("EXP011").GetMessage());
    }

    [Theory]
    [InlineData("[Values(1)] public partial int {|EXP012:X|} { get; set; }")]
    [InlineData("[Values(1)] public partial int {|EXP012:X|} { get; init; }")]
    [InlineData("[Values(1)] public int {|EXP012:X|} { get; }")]
    [InlineData("[Values(1)] public int {|EXP012:X|} => 1;")]
    [InlineData("[Values(1)] public static partial int {|EXP012:X|} { get; }")]
    [InlineData("[Values(1)] public partial int {|EXP012:X|} { get; private set; }")]
    [InlineData("[Values(1)] internal partial int {|EXP012:X|} { get; private init; }")]
    public void EXP012_parameter_property_with_the_wrong_shape(string property)
    {
        var result = Verify(Sources.Experiment("    " + property + "\n    [Values(1)] public partial int Y { get; }"));
        Assert.Equal("Parameter 'X' must be a non-static partial property with only a getter: 'public partial T X { get; }'", result.Single("EXP012").GetMessage());
        AssertNothingGeneratedFor(result, "Sweep");
        // The generated halves complete X as declared (with its setter), so no CS9248 comes with the EXP012.
        AssertCompilerErrors(result);
    }

    [Theory]
    [InlineData("")]
    [InlineData("public Task<TrialResult> RunAsync() => Task.FromResult(TrialResult.Success());")]
    [InlineData("public Task<TrialResult> RunAsync(string context) => Task.FromResult(TrialResult.Success());")]
    [InlineData("public Task RunAsync(TrialContext context) => Task.CompletedTask;")]
    [InlineData("public static Task<TrialResult> RunAsync(TrialContext context) => Task.FromResult(TrialResult.Success());")]
    [InlineData("public TrialResult Execute(TrialContext context) => TrialResult.Success();")]
    public void EXP013_missing_run_method(string method)
    {
        var result = Verify(Sources.Usings + $$"""
            [Experiment]
            public partial class {|EXP013:Sweep|}
            {
                [Values(1)] public partial int X { get; }
                {{method}}
            }
            """);
        Assert.Equal("Experiment 'Sweep' needs a method 'Task<TrialResult> RunAsync(TrialContext context)'", result.Single("EXP013").GetMessage());
        AssertNothingGeneratedFor(result, "Sweep");
    }

    [Theory]
    [InlineData("[Exclude({|EXP014:\"Nope\"|}, 1, nameof(B), 1)]", "Nope")]
    [InlineData("[Exclude(nameof(A), 1, {|EXP014:\"b\"|}, 1)]", "b")]
    public void EXP014_rule_names_an_unknown_parameter(string rule, string name)
    {
        var result = Verify(Sources.Experiment(
            "    [Values(1, 2)] public partial int A { get; }\n    [Values(1, 2)] public partial int B { get; }",
            classAttributes: rule));
        Assert.Equal($"Rule names '{name}', which is not a parameter of 'Sweep' (parameters: A, B)", result.Single("EXP014").GetMessage());
        AssertNothingGeneratedFor(result, "Sweep");
    }

    [Theory]
    [InlineData("[Exclude(nameof(A), {|EXP015:3|}, nameof(B), 1)]", "A", "3")]
    [InlineData("[Exclude(nameof(A), 1, nameof(B), {|EXP015:\"x\"|})]", "B", "x")]
    [InlineData("[Exclude(nameof(Arch), {|EXP015:\"vit_*\"|}, nameof(A), 1)]", "Arch", "vit_*")]
    [InlineData("[Exclude(nameof(Pool), {|EXP015:Pooling.Concat|}, nameof(A), 1)]", "Pool", "Pooling.Concat")]
    public void EXP015_rule_value_matches_nothing(string rule, string parameter, string value)
    {
        var result = Verify(Sources.Experiment(
            "    [Values(1, 2)] public partial int A { get; }\n    [Values(1, 2)] public partial int B { get; }\n"
            + "    [Values(\"resnet18\")] public partial string Arch { get; }\n    [Values(Pooling.Average)] public partial Pooling Pool { get; }",
            classAttributes: rule));
        var diagnostic = result.Single("EXP015");
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Equal($"Rule value {value} matches none of the values of parameter '{parameter}', so the rule never applies: correct the value or remove the rule", diagnostic.GetMessage());
        // A warning: the rule is dropped and the matrix generated in full.
        Assert.Contains("public const int MatrixSize = 4;", result.Sources["Sweep.Experiments.g.cs"]);
    }

    [Theory]
    [InlineData("[LogUniform({|EXP016:0|}, 1)] public partial double X { get; }", "a log-uniform range must be positive, but it starts at 0")]
    [InlineData("[LogUniform({|EXP016:-1e-3|}, 1)] public partial double X { get; }", "a log-uniform range must be positive, but it starts at -0.001")]
    [InlineData("[Uniform(1, {|EXP016:0|})] public partial double X { get; }", "the range [1, 0] is empty or not finite")]
    [InlineData("[Uniform(1, {|EXP016:1|})] public partial float X { get; }", "the range [1, 1] is empty or not finite")]
    [InlineData("[Uniform(0, {|EXP016:double.PositiveInfinity|})] public partial double X { get; }", "the range [0, Infinity] is empty or not finite")]
    [InlineData("[Uniform(0, {|EXP016:double.NaN|})] public partial double X { get; }", "the range [0, NaN] is empty or not finite")]
    [InlineData("[Uniform(0, 1, Samples = {|EXP016:0|})] public partial double X { get; }", "Samples must be between 1 and 100000, not 0")]
    [InlineData("[Uniform(0, 1, Samples = {|EXP016:int.MaxValue|})] public partial double X { get; }", "Samples must be between 1 and 100000, not 2147483647")]
    [InlineData("[LogUniform(1, {|EXP016:1e300|})] public partial decimal X { get; }", "the range [1, 1E+300] does not fit 'decimal'")]
    [InlineData("[Uniform({|EXP016:-1e39|}, 0)] public partial float X { get; }", "the range [-1E+39, 0] does not fit 'float'")]
    [InlineData("[LogUniform(1e-5, 1, Digits = {|EXP016:16|})] public partial decimal X { get; }", "Digits must be between 1 and 15, not 16")]
    [InlineData("[{|EXP016:Uniform(0, 10)|}] public partial int X { get; }", "a distribution needs a double, float or decimal property, not 'int'")]
    public void EXP016_invalid_distribution(string property, string problem)
    {
        var result = Verify(Sources.Experiment("    " + property));
        Assert.Equal("Parameter 'X': " + problem, result.Single("EXP016").GetMessage());
        AssertNothingGeneratedFor(result, "Sweep");
    }

    [Theory]
    [InlineData("public partial class Outer\n{\n    [Experiment]\n    public partial class {|EXP017:Sweep|}\n    {\n        [Values(1)] public partial int X { get; }\n" + Run + "\n    }\n}", "nested in another type")]
    [InlineData("[Experiment]\npublic partial class {|EXP017:Sweep|}<T>\n{\n    [Values(1)] public partial int X { get; }\n" + Run + "\n}", "generic")]
    [InlineData("[Experiment]\npublic abstract partial class {|EXP017:Sweep|}\n{\n    [Values(1)] public partial int X { get; }\n" + Run + "\n}", "abstract or static")]
    [InlineData("[Experiment]\npublic static partial class {|EXP017:Sweep|}\n{\n    [Values(1)] public static partial int X { get; }\n}", "abstract or static")]
    [InlineData("[Experiment]\npublic partial record {|EXP017:Sweep|}\n{\n    [Values(1)] public partial int X { get; }\n" + Run + "\n}", "a record")]
    [InlineData("[Experiment]\npublic partial record struct {|EXP017:Sweep|}\n{\n    [Values(1)] public partial int X { get; }\n" + Run + "\n}", "a record", "CS0592")]
    [InlineData("[Experiment]\npublic partial struct {|EXP017:Sweep|}\n{\n    [Values(1)] public partial int X { get; }\n" + Run + "\n}", "a struct", "CS0592")]
    [InlineData("[Experiment]\npublic partial interface {|EXP017:Sweep|}\n{\n    [Values(1)] int X { get; }\n}", "an interface", "CS0592")]
    [InlineData("public partial class Outer<T>\n{\n    public partial struct Inner\n    {\n        [Experiment]\n        internal partial class {|EXP017:Sweep|}<U> where U : new()\n        {\n            [Values(1)] public partial int X { get; private set; }\n            [Values(\"a\")] protected partial string? Y { get; }\n        }\n    }\n}", "nested in another type")]
    public void EXP017_unsupported_type(string declaration, string why, string? compilerError = null)
    {
        var result = Verify(Sources.Usings + declaration);
        Assert.Equal($"Experiment 'Sweep' cannot be {why}: declare it as a top-level, non-generic class", result.Single("EXP017").GetMessage());
        AssertNothingGeneratedFor(result, "Sweep");
        // The partial properties get their halves in the type as declared (nested, generic, struct, record): no CS9248.
        AssertCompilerErrors(result, compilerError is null ? [] : [compilerError]);
    }

    [Fact]
    public void EXP017_file_local_type_keeps_the_compilers_CS9248()
    {
        // A file-local type cannot be extended from another file: the compiler's CS9248 stays (a known limitation).
        var result = Verify(Sources.Usings + "[Experiment]\nfile partial class {|EXP017:Sweep|}\n{\n    [Values(1)] public partial int X { get; }\n" + Run + "\n}");
        AssertCompilerErrors(result, "CS9248");
    }

    [Theory]
    [InlineData("[Values(0.1)] [Uniform(0, 1)]")]
    [InlineData("[LogUniform(1e-3, 1)] [Uniform(0, 1)]")]
    [InlineData("[Values(0.1, 0.2)] [LogUniform(1e-3, 1)]")]
    public void EXP018_more_than_one_value_source(string attributes)
    {
        var result = Verify(Sources.Experiment($"    {attributes} public partial double {{|EXP018:X|}} {{ get; }}"));
        Assert.Equal("Parameter 'X' has more than one of [Values], [Uniform], [LogUniform]: keep one", result.Single("EXP018").GetMessage());
        AssertNothingGeneratedFor(result, "Sweep");
    }

    [Fact]
    public void EXP019_no_parameterless_constructor()
    {
        var result = Verify(Sources.Usings + $$"""
            [Experiment]
            public partial class {|EXP019:Sweep|}
            {
                private readonly int _n;
                public Sweep(int n) => _n = n;
                [Values(1)] public partial int X { get; }
            {{Run}}
            }
            """);
        Assert.Equal("Experiment 'Sweep' needs an accessible parameterless constructor: the runner creates one instance per trial", result.Single("EXP019").GetMessage());
        AssertNothingGeneratedFor(result, "Sweep");

        // A private parameterless constructor is enough: the generated code lives inside the class.
        GeneratorHarness.Run(Sources.Experiment("    private Sweep() { }\n    public Sweep(int n) { }\n    [Values(1)] public partial int X { get; }")).AssertCompilesCleanly();
    }

    [Theory]
    [InlineData("typeof(string)", "string")]
    [InlineData("typeof(Pooling)", "Pooling")]
    [InlineData("typeof(NotASet)", "NotASet")]
    public void EXP020_known_in_a_type_that_is_not_a_known_set(string type, string display)
    {
        var result = Verify(Sources.Usings + Sources.Models + $$"""
            public static class NotASet { public const string A = "a"; }

            [Experiment]
            public partial class Sweep
            {
                [Values("a")] [KnownIn({|EXP020:{{type}}|})] public partial string Arch { get; }
            {{Run}}
            }
            """);
        Assert.Equal($"'{display}' is not a known set: mark it [KnownValues] and its const string fields [KnownValue]", result.Single("EXP020").GetMessage());
        AssertNothingGeneratedFor(result, "Sweep");
    }

    [Fact]
    public void EXP021_duplicate_experiment_name()
    {
        var result = Verify(Sources.Usings + $$"""
            namespace A
            {
                [Experiment(Name = "sweep")]
                public partial class First
                {
                    [Values(1)] public partial int X { get; }
            {{Run}}
                }
            }

            namespace B
            {
                [Experiment]
                public partial class {|EXP021:sweep|}
                {
                    [Values(1)] public partial int X { get; }
            {{Run}}
                }
            }
            """);
        Assert.Equal("Experiment 'B.sweep' has the name 'sweep', which 'A.First' already uses in this assembly (names are compared ignoring case): give one of them another name with [Experiment(Name = \"...\")]", result.Single("EXP021").GetMessage());
        Assert.DoesNotContain("global::B.sweep.Experiment", result.Sources["ExperimentCatalog.Experiments.g.cs"]);
        Assert.Contains("global::A.First.Experiment", result.Sources["ExperimentCatalog.Experiments.g.cs"]);
    }

    [Fact]
    public void EXP021_same_class_name_in_two_namespaces_differing_in_case()
    {
        // Names key the store and name the artifact folders and reports: 'Sweep' and 'sweep' would share them on a
        // case-insensitive file system.
        var result = Verify(Sources.Usings + $$"""
            namespace A
            {
                [Experiment]
                public partial class Sweep
                {
                    [Values(1)] public partial int X { get; }
            {{Run}}
                }
            }

            namespace B
            {
                [Experiment]
                public partial class {|EXP021:SWEEP|}
                {
                    [Values(1)] public partial int X { get; }
            {{Run}}
                }
            }
            """);
        Assert.Contains("'B.SWEEP' has the name 'SWEEP', which 'A.Sweep' already uses", result.Single("EXP021").GetMessage());
        Assert.EndsWith("give one of them another name with [Experiment(Name = \"...\")]", result.Single("EXP021").GetMessage());
    }

    [Theory]
    [InlineData("[Values(1)] public partial int {|EXP022:MatrixSize|} { get; }", "MatrixSize")]
    [InlineData("[Values(1)] public partial int X { get; }\n    public static string {|EXP022:Experiment|}() => \"\";", "Experiment")]
    [InlineData("[Values(1)] public partial int X { get; }\n    private int {|EXP022:__X|};", "__X")]
    [InlineData("[Values(1)] public partial int X { get; }\n    private sealed class {|EXP022:__ExperimentDefinition|} { }", "__ExperimentDefinition")]
    public void EXP022_member_name_reserved_for_generated_code(string members, string name)
    {
        var result = Verify(Sources.Experiment("    " + members));
        Assert.Equal($"'{name}' is a member the generator adds to experiment 'Sweep': rename it", result.Single("EXP022").GetMessage());
        AssertNothingGeneratedFor(result, "Sweep");
    }

    [Theory]
    [InlineData("Pooling.Average, {|EXP023:(Pooling)42|}", "42")]
    [InlineData("new object[] { {|EXP023:(Pooling)(-1)|} }", "-1")]
    public void EXP023_enum_value_that_names_no_member(string values, string described)
    {
        var result = Verify(Sources.Experiment($"    [Values({values})] public partial Pooling X {{ get; }}"));
        Assert.Equal($"Value {described} of parameter 'X' is not a member of enum 'Pooling': use one of its members (Average, Concat)", result.Single("EXP023").GetMessage());
        AssertNothingGeneratedFor(result, "Sweep");
    }

    [Fact]
    public void EXP023_flags_enums_take_combinations_of_members_but_not_undefined_bits()
    {
        var result = GeneratorHarness.Run(Sources.Experiment(
            "    [Values((Access)0, Access.Read, Access.Read | Access.Write)] public partial Access X { get; }")
            + "[System.Flags] public enum Access : byte { Read = 1, Write = 2 }\n");
        result.AssertCompilesCleanly();
        Assert.Empty(result.Diagnostics);

        var undefined = Verify(Sources.Experiment("    [Values(Access.Read, {|EXP023:Access.Read | (Access)64|})] public partial Access X { get; }")
            + "[System.Flags] public enum Access : long { Read = 1, Write = 2, Far = 1L << 40 }\n");
        Assert.Equal("Value 65 of parameter 'X' is not a member of enum 'Access': use one of its members (Read, Write, Far)", undefined.Single("EXP023").GetMessage());
    }

    [Theory]
    [InlineData("[Values(0.1)] public partial double Lr { get; }\n    [Values(0.3)] public partial double {|EXP024:LR|} { get; }", "LR", "lr", "Lr")]
    [InlineData("[Values(0.1)] public partial double LearningRate { get; }\n    [Values(0.3, Key = {|EXP024:\"Learning-Rate\"|})] public partial double Lr2 { get; }", "Lr2", "Learning-Rate", "LearningRate")]
    [InlineData("[Values(0.1, Key = \"x\")] public partial double A { get; }\n    [Uniform(0, 1, Key = {|EXP024:\"x\"|})] public partial double B { get; }", "B", "x", "A")]
    public void EXP024_two_parameters_with_the_same_key(string members, string name, string key, string first)
    {
        var result = Verify(Sources.Experiment("    " + members));
        Assert.Equal($"Parameter '{name}' has the key '{key}', which parameter '{first}' already has (keys are compared ignoring case, in ids and filters): give one of them another key with [Values(..., Key = \"...\")]",
            result.Single("EXP024").GetMessage());
        AssertNothingGeneratedFor(result, "Sweep");
        AssertCompilerErrors(result);
    }

    [Theory]
    [InlineData("string", "\"a\", {|EXP025:\"\"|}", "Value \"\"", "an empty value would have no visible id; use a named value such as \"none\" and map it to \"\" in RunAsync")]
    [InlineData("string", "\"a\", {|EXP025:\"line\\nbreak\"|}", "Value \"line\\nbreak\"", "it contains the control character U+000A, which would split the id's line in 'list' and cannot be in a folder name; remove it, or use a plain name and map it to the text in RunAsync")]
    [InlineData("string", "{|EXP025:\"tab\\t\"|}", "Value \"tab\\t\"", "it contains the control character U+0009, which would split the id's line in 'list' and cannot be in a folder name; remove it, or use a plain name and map it to the text in RunAsync")]
    [InlineData("string", "{|EXP025:\"a\\u2028b\"|}", "Value \"a\\u2028b\"", "it contains the control character U+2028, which would split the id's line in 'list' and cannot be in a folder name; remove it, or use a plain name and map it to the text in RunAsync")]
    [InlineData("char", "'a', {|EXP025:'\\0'|}", "Value '\\0'", "it contains the control character U+0000, which would split the id's line in 'list' and cannot be in a folder name; remove it, or use a plain name and map it to the text in RunAsync")]
    [InlineData("string", "\"a\", {|EXP025:null|}", "Value null", "null has no id; use a named value such as \"none\" and map it to null in RunAsync")]
    [InlineData("string?", "{|EXP025:null|}", "Value null", "null has no id; use a named value such as \"none\" and map it to null in RunAsync")]
    [InlineData("int", "1, Key = {|EXP025:\"\"|}", "Key \"\"", "a key cannot be empty; use a short name such as \"lr\"")]
    [InlineData("int", "1, Key = {|EXP025:\"a/b\"|}", "Key \"a/b\"", "it contains '/', which separates the parts of an id ('/' parameters, '=' key and value, '#' the repeat); use a short name without it")]
    [InlineData("int", "1, Key = {|EXP025:\"lr=\"|}", "Key \"lr=\"", "it contains '=', which separates the parts of an id ('/' parameters, '=' key and value, '#' the repeat); use a short name without it")]
    [InlineData("int", "1, Key = {|EXP025:\"n\\r\"|}", "Key \"n\\r\"", "it contains the control character U+000D; use a short name such as \"lr\"")]
    public void EXP025_value_or_key_that_cannot_be_part_of_a_trial_id(string type, string values, string what, string problem)
    {
        var result = Verify(Sources.Experiment($"    [Values({values})] public partial {type} X {{ get; }}"));
        Assert.Equal($"{what} of parameter 'X' cannot be part of a trial id: {problem}", result.Single("EXP025").GetMessage());
        AssertNothingGeneratedFor(result, "Sweep");
        AssertCompilerErrors(result);
    }

    [Theory]
    [InlineData("[Values(1, 2)] public partial int? {|EXP026:X|} { get; }", "int?", " (a parameter always has a value, never null)")]
    [InlineData("[Values(0.1)] public partial double? {|EXP026:X|} { get; }", "double?", " (a parameter always has a value, never null)")]
    [InlineData("[Uniform(0, 1)] public partial double? {|EXP026:X|} { get; }", "double?", " (a parameter always has a value, never null)")]
    [InlineData("[Values(\"2024-01-01\")] public partial System.DateTime {|EXP026:X|} { get; }", "System.DateTime", "")]
    [InlineData("[Values(1, \"a\")] public partial object {|EXP026:X|} { get; }", "object", "")]
    [InlineData("[Values(1, 2)] public partial int[] {|EXP026:X|} { get; }", "int[]", "")]
    [InlineData("[Values(\"a\")] public partial System.Uri {|EXP026:X|} { get; }", "System.Uri", "")]
    public void EXP026_parameter_type_not_supported_said_once_at_the_property(string property, string type, string why)
    {
        var result = Verify(Sources.Experiment("    " + property + "\n    [Values(1)] public partial int Y { get; }"));
        Assert.Equal($"Parameter 'X' has type '{type}', which a parameter cannot have{why}: use string, bool, char, an integer type, float, double, decimal or an enum",
            result.Single("EXP026").GetMessage());
        AssertNothingGeneratedFor(result, "Sweep");
        AssertCompilerErrors(result);
    }

    [Theory]
    [InlineData("\"..\"", "\"..\"", "'.' and '..' are the folder itself and the one above it")]
    [InlineData("\".\"", "\".\"", "'.' and '..' are the folder itself and the one above it")]
    [InlineData("\"\"", "\"\"", "it is empty")]
    [InlineData("\"  \"", "\"  \"", "it is only white space, which --experiment cannot select")]
    [InlineData("\"runs/sweep\"", "\"runs/sweep\"", "it contains '/', which separates folders")]
    [InlineData("\"..\\\\up\"", "\"..\\\\up\"", "it contains '\\', which separates folders")]
    [InlineData("\"a:b\"", "\"a:b\"", "it contains ':', which Windows does not allow in file names")]
    [InlineData("\"a|b\"", "\"a|b\"", "it contains '|', which Windows does not allow in file names")]
    [InlineData("\"two\\nlines\"", "\"two\\nlines\"", "it contains the control character U+000A")]
    [InlineData("\"tab\\t\"", "\"tab\\t\"", "it contains the control character U+0009")]
    public void EXP027_experiment_name_that_is_not_a_folder_name(string name, string literal, string problem)
    {
        var result = Verify(Sources.Experiment("    [Values(1)] public partial int X { get; }", $"Name = {{|EXP027:{name}|}}"));
        Assert.Equal($"Experiment 'Sweep' has the name {literal}, which cannot be a folder name: {problem}; the store, the artifact folders and the reports are named after it, so use letters, digits, '-', '_' and '.'",
            result.Single("EXP027").GetMessage());
        AssertNothingGeneratedFor(result, "Sweep");
        AssertCompilerErrors(result);
    }

    [Theory]
    [InlineData("sweep-v2.1")]
    [InlineData("...a")]
    [InlineData("Étude de résolution")]
    [InlineData("lr=0.1#2")]
    public void EXP027_names_that_are_folder_names_build(string name)
    {
        var result = GeneratorHarness.Run(Sources.Experiment("    [Values(1)] public partial int X { get; }", $"Name = \"{name}\""));
        result.AssertCompilesCleanly();
        Assert.Empty(result.Diagnostics);
        Assert.Equal(name, Assert.Single(GeneratedAssembly.Load(result).Catalog).Name);
    }

    private const string Halving = "Search = Search.SuccessiveHalving";

    private const string Configurations = """
            [Values("a", "b", "c")] public partial string Arch { get; }
        """;

    [Fact]
    public void EXP028_successive_halving_without_a_budget()
    {
        var result = Verify(Sources.Experiment(Configurations, "Search = {|EXP028:Search.SuccessiveHalving|}"));
        Assert.Equal("Experiment 'Sweep' searches by successive halving but no property has [Budget]: mark the int parameter that is the budget (epochs, steps), e.g. '[Budget(1, 27)] public partial int Epochs { get; }'",
            result.Single("EXP028").GetMessage());
        AssertNothingGeneratedFor(result, "Sweep");
        AssertCompilerErrors(result);
    }

    [Fact]
    public void EXP029_more_than_one_budget()
    {
        var result = Verify(Sources.Experiment(Configurations + """
                [Budget(1, 9)] public partial int Epochs { get; }
                [Budget(10, 90)] public partial int {|EXP029:Steps|} { get; }
            """, Halving));
        Assert.Equal("Parameter 'Steps' has [Budget], which 'Epochs' already has: successive halving spends one budget; give 'Steps' [Values] instead",
            result.Single("EXP029").GetMessage());
        AssertNothingGeneratedFor(result, "Sweep");
        AssertCompilerErrors(result);
    }

    [Theory]
    [InlineData("long", "long")]
    [InlineData("double", "double")]
    [InlineData("string", "string")]
    public void EXP030_budget_that_is_not_an_int(string type, string display)
    {
        var result = Verify(Sources.Experiment(Configurations + $"    [Budget(1, 9)] public partial {type} {{|EXP030:Epochs|}} {{ get; }}", Halving));
        Assert.Equal($"Budget parameter 'Epochs' has type '{display}': a [Budget] property must be an int (epochs, steps, images)", result.Single("EXP030").GetMessage());
        AssertNothingGeneratedFor(result, "Sweep");
        AssertCompilerErrors(result);
    }

    [Theory]
    [InlineData("[Values(1, 3)]", "Values")]
    [InlineData("[Uniform(1, 3)]", "Uniform")]
    public void EXP031_budget_with_a_values_attribute(string values, string name)
    {
        var result = Verify(Sources.Experiment(Configurations + $"    [Budget(1, 9)] {values} public partial int {{|EXP031:Epochs|}} {{ get; }}", Halving));
        Assert.Equal($"Parameter 'Epochs' has [Budget] and [{name}]: a budget's values are its rungs, laid out from Min, Max and the ReductionFactor; remove [{name}]",
            result.Single("EXP031").GetMessage());
        // Said once: not also EXP028 (no budget) nor EXP018 (two value sources).
        AssertNothingGeneratedFor(result, "Sweep");
        AssertCompilerErrors(result);
    }

    [Theory]
    [InlineData("{|EXP032:0|}, 9", "Min must be at least 1 (the budget every configuration gets at the first rung), not 0")]
    [InlineData("{|EXP032:-3|}, 9", "Min must be at least 1 (the budget every configuration gets at the first rung), not -3")]
    [InlineData("3, {|EXP032:3|}", "Max must be greater than Min 3, not 3: successive halving needs at least two rungs")]
    [InlineData("5, {|EXP032:2|}", "Max must be greater than Min 5, not 2: successive halving needs at least two rungs")]
    public void EXP032_invalid_budget_range(string arguments, string problem)
    {
        var result = Verify(Sources.Experiment(Configurations + $"    [Budget({arguments})] public partial int Epochs {{ get; }}", Halving));
        Assert.Equal($"Budget parameter 'Epochs': {problem}", result.Single("EXP032").GetMessage());
        AssertNothingGeneratedFor(result, "Sweep");
        AssertCompilerErrors(result);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(-2)]
    public void EXP033_reduction_factor_below_2(int factor)
    {
        var result = Verify(Sources.Experiment(Configurations + "    [Budget(1, 9)] public partial int Epochs { get; }",
            $"{Halving}, ReductionFactor = {{|EXP033:{factor}|}}"));
        Assert.Equal($"Experiment 'Sweep' has ReductionFactor = {factor}; successive halving keeps the top 1/ReductionFactor at each rung, so it must be at least 2 (3 by default)",
            result.Single("EXP033").GetMessage());
        AssertNothingGeneratedFor(result, "Sweep");
        AssertCompilerErrors(result);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Search = Search.Grid")]
    public void EXP034_budget_in_a_grid_experiment(string arguments)
    {
        var result = Verify(Sources.Experiment(Configurations + "    [{|EXP034:Budget(1, 27)|}] public partial int Epochs { get; }", arguments));
        Assert.Equal("Parameter 'Epochs' has [Budget], but experiment 'Sweep' is a grid: set Search = Search.SuccessiveHalving on [Experiment], or give 'Epochs' the budgets to run with [Values], e.g. [Values(27)]",
            result.Single("EXP034").GetMessage());
        AssertNothingGeneratedFor(result, "Sweep");
        AssertCompilerErrors(result);
    }

    [Fact]
    public void EXP035_reduction_factor_in_a_grid_is_ignored()
    {
        var result = Verify(Sources.Experiment(Configurations, "ReductionFactor = {|EXP035:4|}"));
        Assert.Equal("ReductionFactor = 4 of experiment 'Sweep' is ignored: it applies only to Search = Search.SuccessiveHalving", result.Single("EXP035").GetMessage());
        Assert.Equal(DiagnosticSeverity.Warning, result.Single("EXP035").Severity);
        var experiment = Assert.Single(GeneratedAssembly.Load(result).Catalog);
        Assert.Same(SearchSettings.Grid, experiment.Search);
    }

    [Theory]
    [InlineData("ReductionFactor = 3")]
    [InlineData("Search = Search.Grid")]
    public void No_EXP035_for_the_default_reduction_factor_or_a_plain_grid(string arguments)
        => GeneratorHarness.Run(Sources.Experiment(Configurations, arguments)).AssertCompilesCleanly();

    [Theory]
    [InlineData("1, {|EXP036:10|}", 3, "Max 10 is not Min 1 times a power of ReductionFactor 3, so the top rung is not 3 times the one below: rungs 1, 3, 10; Max = 9 or 27 would make each rung 3 times the one below", new[] { 1, 3, 10 })]
    [InlineData("2, {|EXP036:5|}", 3, "Max 5 is not Min 2 times a power of ReductionFactor 3, so the top rung is not 3 times the one below: rungs 5 (one rung: Min 2 × 3 is above Max, so every configuration runs at 5, as in a grid); Max = 6 would make each rung 3 times the one below", new[] { 5 })]
    [InlineData("1, {|EXP036:100|}", 2, "Max 100 is not Min 1 times a power of ReductionFactor 2, so the top rung is not 2 times the one below: rungs 1, 2, 4, 8, 16, 32, 100; Max = 64 or 128 would make each rung 2 times the one below", new[] { 1, 2, 4, 8, 16, 32, 100 })]
    public void EXP036_max_that_is_not_min_times_a_power_of_the_reduction_factor(string arguments, int factor, string message, int[] rungs)
    {
        var result = Verify(Sources.Experiment(Configurations + $"    [Budget({arguments})] public partial int Epochs {{ get; }}",
            $"{Halving}, ReductionFactor = {factor}"));
        Assert.Equal("Budget parameter 'Epochs': " + message, result.Single("EXP036").GetMessage());
        Assert.Equal(DiagnosticSeverity.Warning, result.Single("EXP036").Severity);
        // A warning: the experiment builds, with the rungs the runner uses.
        var experiment = Assert.Single(GeneratedAssembly.Load(result).Catalog);
        Assert.Equal(rungs, experiment.Search.Rungs);
    }

    [Theory]
    [InlineData("1, 9", 3)]
    [InlineData("2, 54", 3)]
    [InlineData("1, 16", 2)]
    [InlineData("5, 20", 4)]
    public void No_EXP036_when_every_rung_is_the_reduction_factor_times_the_one_below(string arguments, int factor)
        => GeneratorHarness.Run(Sources.Experiment(Configurations + $"    [Budget({arguments})] public partial int Epochs {{ get; }}",
            $"{Halving}, ReductionFactor = {factor}")).AssertCompilesCleanly();

    [Theory]
    // Two configurations, fewer than η = 3.
    [InlineData("[Values(1, 2)] public partial int X { get; }", "", 2)]
    // The budget alone: one configuration.
    [InlineData("", "", 1)]
    // 2 × 2 = 4 configurations, of which the rules leave 2.
    [InlineData("[Values(1, 2)] public partial int X { get; }\n[Values(\"a\", \"b\")] public partial string Y { get; }",
        "[Exclude(nameof(X), 1, nameof(Y), \"a\")]\n[Exclude(nameof(X), 2, nameof(Y), \"a\")]", 2)]
    // A rule on the first rung removes configurations there: 3 - 1 = 2 start.
    [InlineData("[Values(1, 2, 3)] public partial int X { get; }", "[Exclude(nameof(X), 1, nameof(Epochs), 1)]", 2)]
    public void EXP037_fewer_configurations_than_the_reduction_factor(string members, string rules, int configurations)
    {
        var result = Verify(Sources.Experiment(members + "\n    [Budget(1, 9)] public partial int Epochs { get; }",
            "Search = {|EXP037:Search.SuccessiveHalving|}", rules));
        Assert.Equal($"Experiment 'Sweep' has {configurations} configuration(s) (combinations of the parameters other than 'Epochs', after the rules), fewer than ReductionFactor = 3: successive halving promotes the top 1/3 of a rung, so none would ever run above the first rung (Epochs=1)",
            result.Single("EXP037").GetMessage());
        Assert.Equal(DiagnosticSeverity.Warning, result.Single("EXP037").Severity);
        Assert.Single(GeneratedAssembly.Load(result).Catalog);
    }

    [Theory]
    [InlineData("[Values(1, 2, 3)] public partial int X { get; }", "")]
    // A rule at a higher rung leaves every configuration its start.
    [InlineData("[Values(1, 2, 3)] public partial int X { get; }", "[Exclude(nameof(X), 1, nameof(Epochs), 9)]")]
    public void No_EXP037_with_as_many_configurations_as_the_reduction_factor(string members, string rules)
        => GeneratorHarness.Run(Sources.Experiment(members + "\n    [Budget(1, 9)] public partial int Epochs { get; }", Halving, rules)).AssertCompilesCleanly();

    [Fact]
    public void Help_links_come_from_the_one_repository_url_and_are_left_out_while_it_is_empty()
    {
        var descriptors = typeof(ExperimentGenerator).Assembly.GetType("Experiments.Generators.Diagnostics.DiagnosticDescriptors", throwOnError: true)!;
        var repositoryUrl = (string)descriptors.GetField("RepositoryUrl")!.GetRawConstantValue()!;
        var helpLinkFor = descriptors.GetMethod("HelpLinkFor")!;
        string? HelpLink(string id, string url) => (string?)helpLinkFor.Invoke(null, [id, url]);

        var all = descriptors.GetFields().Where(f => f.FieldType == typeof(DiagnosticDescriptor)).Select(f => (DiagnosticDescriptor)f.GetValue(null)!).ToList();
        Assert.All(all, d => Assert.Equal(HelpLink(d.Id, repositoryUrl) ?? "", d.HelpLinkUri));
        Assert.DoesNotContain(all, d => d.HelpLinkUri.Contains("experiments-sdk", StringComparison.Ordinal));

        Assert.Null(HelpLink("EXP005", ""));
        Assert.Equal("https://github.com/someone/experiments/blob/main/docs/diagnostics.md#exp005", HelpLink("EXP005", "https://github.com/someone/experiments/"));
        // The anchor the link points at exists in docs/diagnostics.md for every id.
        var docs = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "diagnostics.md"));
        Assert.All(all, d => Assert.Contains($"<a id=\"{d.Id.ToLowerInvariant()}\"></a>{d.Id}", docs));
    }

    [Fact]
    public void Every_descriptor_in_the_catalog_is_tested_here_and_tracked_in_the_release_file()
    {
        var ids = typeof(ExperimentGenerator).Assembly.GetType("Experiments.Generators.Diagnostics.DiagnosticIds", throwOnError: true)!
            .GetFields().Select(f => (string)f.GetRawConstantValue()!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Enumerable.Range(1, 37).Select(i => $"EXP{i:000}"), ids);

        var tested = typeof(DiagnosticTests).GetMethods().Select(m => m.Name).ToList();
        Assert.All(ids, id => Assert.Contains(tested, name => name.StartsWith(id + "_", StringComparison.Ordinal)));

        var descriptors = typeof(ExperimentGenerator).Assembly.GetType("Experiments.Generators.Diagnostics.DiagnosticDescriptors", throwOnError: true)!
            .GetFields().Where(f => f.FieldType == typeof(DiagnosticDescriptor)).Select(f => (DiagnosticDescriptor)f.GetValue(null)!).ToList();
        Assert.Equal(ids, descriptors.Select(d => d.Id).Order(StringComparer.Ordinal));
        var releases = File.ReadAllText(Path.Combine(RepoRoot(), "analyzers", "Experiments.Generators", "AnalyzerReleases.Unshipped.md"));
        Assert.All(descriptors, d => Assert.Contains($"{d.Id} | {d.Category} | {d.DefaultSeverity} | {d.Title}", releases));
    }

    private static string RepoRoot([System.Runtime.CompilerServices.CallerFilePath] string path = "")
        => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));
}
