using System.Collections.Immutable;
using Experiments.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Experiments.Generators.Tests.Infrastructure;

/// <summary>
/// Runs <see cref="ExperimentGenerator"/> over C# source with <see cref="CSharpGeneratorDriver"/>: the compilation
/// references the assemblies of the running .NET runtime and the Experiments runtime, so nothing is downloaded.
/// </summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview);

    private static readonly Lazy<ImmutableArray<MetadataReference>> LoadedReferences = new(LoadReferences);

    public static ImmutableArray<MetadataReference> References => LoadedReferences.Value;

    /// <summary>The runtime's own assemblies (the folder System.Private.CoreLib lives in) plus Experiments.dll.</summary>
    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var references = trusted
            .Where(path => string.Equals(Path.GetDirectoryName(path), runtimeDirectory, StringComparison.Ordinal))
            .Where(path => Path.GetFileName(path) is var name && (name.StartsWith("System.", StringComparison.Ordinal) || name is "mscorlib.dll" or "netstandard.dll"))
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToList();
        references.Add(MetadataReference.CreateFromFile(typeof(ExperimentAttribute).Assembly.Location));
        return references.ToImmutableArray();
    }

    public static SyntaxTree Parse(string source, string path = "Declaration.cs")
        => CSharpSyntaxTree.ParseText(source, ParseOptions, path);

    public static CSharpCompilation CreateCompilation(params SyntaxTree[] trees)
        => CSharpCompilation.Create(
            "Experiments.Tests.Generated" + Guid.NewGuid().ToString("N"),
            trees,
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, deterministic: true));

    public static GeneratorDriver CreateDriver(IReadOnlyDictionary<string, string>? buildProperties = null)
        => CSharpGeneratorDriver.Create(
            new[] { new ExperimentGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            optionsProvider: new TestOptionsProvider(buildProperties),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator once over <paramref name="source"/> (one file, <c>Declaration.cs</c>).</summary>
    public static GeneratorResult Run(string source, IReadOnlyDictionary<string, string>? buildProperties = null)
        => Run(CreateCompilation(Parse(source)), buildProperties);

    public static GeneratorResult Run(CSharpCompilation compilation, IReadOnlyDictionary<string, string>? buildProperties = null)
        => Run(compilation, CreateDriver(buildProperties));

    public static GeneratorResult Run(CSharpCompilation compilation, GeneratorDriver driver)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        return new GeneratorResult(compilation, output, diagnostics, driver);
    }

    public static Dictionary<string, string> Properties(params (string Name, string Value)[] properties)
        => properties.ToDictionary(p => "build_property." + p.Name, p => p.Value);
}

/// <summary>What one generator run produced.</summary>
internal sealed class GeneratorResult
{
    public GeneratorResult(Compilation input, Compilation output, ImmutableArray<Diagnostic> diagnostics, GeneratorDriver driver)
    {
        Input = input;
        Output = output;
        Diagnostics = diagnostics;
        Driver = driver;
        RunResult = driver.GetRunResult();
    }

    public Compilation Input { get; }
    public Compilation Output { get; }

    /// <summary>The diagnostics the generator reported (not the compiler's).</summary>
    public ImmutableArray<Diagnostic> Diagnostics { get; }

    public GeneratorDriver Driver { get; }
    public GeneratorDriverRunResult RunResult { get; }
    public GeneratorRunResult Generator => RunResult.Results.Single();
    public Exception? Exception => Generator.Exception;

    /// <summary>Generated files by hint name.</summary>
    public IReadOnlyDictionary<string, string> Sources
        => Generator.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal);

    public IEnumerable<Diagnostic> ExperimentDiagnostics => Diagnostics.Where(d => d.Id.StartsWith("EXP", StringComparison.Ordinal));

    /// <summary>Errors of the input and the generated code compiled together.</summary>
    public IReadOnlyList<Diagnostic> OutputErrors
        => Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

    /// <summary>The generator did not throw, and nothing the generator produced contains an error.</summary>
    public void AssertNoException()
        => Assert.True(Exception is null, $"The generator threw: {Exception}");

    public void AssertCompilesCleanly()
    {
        AssertNoException();
        var problems = OutputErrors.Concat(Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)).ToList();
        Assert.True(problems.Count == 0, "Expected no errors, got:\n" + string.Join("\n", problems) + "\n\nGenerated:\n" + string.Join("\n", Sources.Values));
    }
}

/// <summary>Build properties as the SDK would pass them (<c>build_property.X</c>), for every file.</summary>
internal sealed class TestOptionsProvider : AnalyzerConfigOptionsProvider
{
    private readonly DictionaryOptions _global;

    public TestOptionsProvider(IReadOnlyDictionary<string, string>? global)
        => _global = new DictionaryOptions(global ?? new Dictionary<string, string>());

    public override AnalyzerConfigOptions GlobalOptions => _global;

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => DictionaryOptions.Empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => DictionaryOptions.Empty;

    private sealed class DictionaryOptions : AnalyzerConfigOptions
    {
        public static readonly DictionaryOptions Empty = new(new Dictionary<string, string>());

        private readonly IReadOnlyDictionary<string, string> _values;

        public DictionaryOptions(IReadOnlyDictionary<string, string> values) => _values = values;

        public override bool TryGetValue(string key, out string value)
        {
            if (_values.TryGetValue(key, out var found))
            {
                value = found;
                return true;
            }
            value = "";
            return false;
        }
    }
}
