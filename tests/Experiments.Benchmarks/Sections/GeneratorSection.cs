using System.Collections.Immutable;
using System.Diagnostics;
using Experiments.Benchmarks.Measurement;
using Experiments.Benchmarks.Reporting;
using Experiments.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Experiments.Benchmarks.Sections;

/// <summary>
/// Issue 6 item 4 (build time): what the source generator adds to a build for a declaration that expands to 100, 10,000
/// and 1,000,000 trials, measured in-process with Roslyn's <see cref="CSharpGeneratorDriver"/> (as the generator tests
/// drive it) rather than by timing <c>dotnet build</c>: a fresh driver per repeat (no incremental cache), then the output
/// compilation emitted to memory, against the same class without the declaration.
/// </summary>
public static class GeneratorSection
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview);

    public static void Run(RunContext context)
    {
        var options = context.Options;
        var references = References();
        var table = new ResultTable("generator", $"Source generator build-time cost (in-process, median of {options.GeneratorRepeats})",
            "declaration", "trials", "budget (MaxTrials)", "diagnostics", "generated KB", "generator ms", "compile+emit ms", "total ms",
            "without declaration ms", "overhead ms");
        // (label, parameters, values per parameter, experiment arguments)
        var cases = new (string Label, int Parameters, int Values, string Arguments, int Budget)[]
        {
            ("2 × 10 values", 2, 10, "", 100_000),
            ("4 × 10 values", 4, 10, "", 100_000),
            ("6 × 10 values", 6, 10, "", 100_000),
            ("6 × 10 values, MaxTrials = 1_000_000", 6, 10, "MaxTrials = 1_000_000", 1_000_000),
        };
        Warm(references);
        foreach (var (label, parameters, values, arguments, budget) in cases)
        {
            long trials = (long)Math.Pow(values, parameters);
            RunReport.Progress($"generator: {label} ({trials:N0} trials)");
            var with = Measure(Source(parameters, values, arguments, declared: true), references, options.GeneratorRepeats);
            var without = Measure(Source(parameters, values, arguments, declared: false), references, options.GeneratorRepeats);
            string diagnostics = with.Diagnostics.Length == 0 ? "none" : string.Join("; ", with.Diagnostics);
            table.Add(label, trials, budget, diagnostics, with.GeneratedChars / 1024.0, with.Generator.Median, with.Emit.Median, with.Total.Median,
                without.Total.Median, with.Total.Median - without.Total.Median);
        }
        table.Note("Each declaration: one [Experiment] class with N int parameters of 10 [Values] each and a no-op RunAsync; build properties as the SDK passes them "
            + "(ExperimentsMaxTrials = 100000, no entry point). 'without declaration' is the same class with plain properties and no [Experiment] (the generator runs and finds nothing).");
        table.Note("generator ms: a fresh CSharpGeneratorDriver and RunGeneratorsAndUpdateCompilation over the parsed source (reading the declaration, counting the matrix, emitting); "
            + "compile+emit ms: binding and emitting the resulting compilation to memory. The matrix is counted, never walked, and the emitted code enumerates trials lazily, "
            + "so the cost hardly depends on the number of trials; over the budget the generator reports EXP009 and emits only the properties' implementation halves (no matrix).");
        context.Report.Add(table);
    }

    private sealed record Measured(Stats Generator, Stats Emit, Stats Total, string[] Diagnostics, int GeneratedChars);

    private static Measured Measure(string source, ImmutableArray<MetadataReference> references, int repeats)
    {
        var generator = new List<double>();
        var emit = new List<double>();
        var total = new List<double>();
        string[] diagnostics = [];
        int generatedChars = 0;
        for (int i = 0; i < repeats; i++)
        {
            var compilation = CSharpCompilation.Create("Bench" + Guid.NewGuid().ToString("N"), [CSharpSyntaxTree.ParseText(source, ParseOptions, "Declaration.cs")],
                references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
            var clock = Stopwatch.StartNew();
            GeneratorDriver driver = CSharpGeneratorDriver.Create([new ExperimentGenerator().AsSourceGenerator()], parseOptions: ParseOptions,
                optionsProvider: new BuildProperties(new Dictionary<string, string> { ["build_property.ExperimentsMaxTrials"] = "100000", ["build_property.ExperimentsGenerateEntryPoint"] = "false" }));
            driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
            double generated = clock.Elapsed.TotalMilliseconds;
            using var stream = new MemoryStream();
            var result = output.Emit(stream);
            double all = clock.Elapsed.TotalMilliseconds;
            if (!result.Success)
            {
                var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id).Distinct();
                diagnostics = [.. generatorDiagnostics.Select(d => d.Id).Distinct(), .. errors.Select(e => e + " (compiler)")];
            }
            else
            {
                diagnostics = [.. generatorDiagnostics.Select(d => d.Id).Distinct()];
            }
            generatedChars = driver.GetRunResult().Results.SelectMany(r => r.GeneratedSources).Sum(s => s.SourceText.Length);
            generator.Add(generated);
            emit.Add(all - generated);
            total.Add(all);
        }
        return new Measured(Stats.Of(generator), Stats.Of(emit), Stats.Of(total), diagnostics, generatedChars);
    }

    /// <summary>JIT and Roslyn warm-up, so that the first measured case does not pay for them.</summary>
    private static void Warm(ImmutableArray<MetadataReference> references) => Measure(Source(2, 3, "", declared: true), references, 2);

    private static string Source(int parameters, int values, string arguments, bool declared)
    {
        var members = string.Join("\n", Enumerable.Range(0, parameters).Select(p => declared
            ? $"    [Values({string.Join(", ", Enumerable.Range(1, values))})] public partial int P{p} {{ get; }}"
            : $"    public int P{p} {{ get; }} = {p};"));
        return $$"""
            using System.Threading.Tasks;
            using Experiments;

            {{(declared ? $"[Experiment({arguments})]" : "")}}
            public partial class Sweep
            {
            {{members}}
                public Task<TrialResult> RunAsync(TrialContext context) => Task.FromResult(TrialResult.Success());
            }
            """;
    }

    /// <summary>The running runtime's framework assemblies plus Experiments.dll (as the generator tests do: nothing is downloaded).</summary>
    private static ImmutableArray<MetadataReference> References()
    {
        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return
        [
            .. trusted
                .Where(path => string.Equals(Path.GetDirectoryName(path), runtimeDirectory, StringComparison.Ordinal))
                .Where(path => Path.GetFileName(path) is var name && (name.StartsWith("System.", StringComparison.Ordinal) || name is "mscorlib.dll" or "netstandard.dll"))
                .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)),
            MetadataReference.CreateFromFile(typeof(ExperimentAttribute).Assembly.Location),
        ];
    }

    /// <summary>Build properties as the SDK passes them (<c>build_property.X</c>).</summary>
    private sealed class BuildProperties(IReadOnlyDictionary<string, string> global) : AnalyzerConfigOptionsProvider
    {
        private readonly Options _globalOptions = new(global);

        public override AnalyzerConfigOptions GlobalOptions => _globalOptions;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

        private sealed class Options(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
        {
            public static readonly Options Empty = new(new Dictionary<string, string>());

            public override bool TryGetValue(string key, out string value)
            {
                if (values.TryGetValue(key, out var found))
                {
                    value = found;
                    return true;
                }
                value = "";
                return false;
            }
        }
    }
}
