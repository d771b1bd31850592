using System.Collections.Immutable;
using Experiments.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace Experiments.CodeFixes.Tests.Infrastructure;

/// <summary>
/// A code fix test over sources that the generator runs on: the test library compiles the sources with
/// <see cref="ExperimentGenerator"/>'s output, checks the marked diagnostics (the generator's, through
/// <see cref="GeneratorDiagnosticsAnalyzer"/>, and the compiler's errors), applies the fix (one diagnostic at a time,
/// then fix-all in document, project and solution), compares the result with the expected source exactly and checks
/// that it compiles without errors.
/// </summary>
internal sealed class FixTest<TCodeFix> : CSharpCodeFixTest<GeneratorDiagnosticsAnalyzer, TCodeFix, DefaultVerifier>
    where TCodeFix : CodeFixProvider, new()
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> LoadedReferences = new(LoadReferences);

    public FixTest()
    {
        // A few of the running runtime's assemblies (what the sources and the generated code use) instead of a
        // downloaded reference pack: nothing to download, and small compilations keep the tests quick.
        ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        TestState.AdditionalReferences.AddRange(LoadedReferences.Value);
        // The generated code is the generator tests' concern (snapshots); here it only has to compile with the sources.
        TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
        // The generator looks at the whole compilation; its diagnostics are not those of one tree's analysis.
        CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
    }

    protected override IEnumerable<Type> GetSourceGenerators() => [typeof(ExperimentGenerator)];

    /// <summary>The generator's own copies of its diagnostics (by path, not in a document): <see cref="GeneratorDiagnosticsAnalyzer"/> reports them in the document.</summary>
    protected override ImmutableArray<(Project project, Diagnostic diagnostic)> FilterDiagnostics(ImmutableArray<(Project project, Diagnostic diagnostic)> diagnostics)
        => base.FilterDiagnostics(diagnostics).RemoveAll(d => !d.diagnostic.Location.IsInSource && d.diagnostic.Id.StartsWith("EXP", StringComparison.Ordinal));

    protected override ParseOptions CreateParseOptions()
        => ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion.Preview);

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return trusted
            .Where(path => string.Equals(Path.GetDirectoryName(path), runtimeDirectory, StringComparison.Ordinal))
            .Where(path => Path.GetFileName(path) is "System.Private.CoreLib.dll" or "System.Runtime.dll" or "System.Collections.dll" or "System.Linq.dll" or "netstandard.dll")
            .Append(typeof(ExperimentAttribute).Assembly.Location)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    }
}
