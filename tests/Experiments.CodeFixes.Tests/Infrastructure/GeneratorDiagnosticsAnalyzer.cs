using System.Collections.Immutable;
using System.Reflection;
using Experiments.Generators;
using Experiments.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Experiments.CodeFixes.Tests.Infrastructure;

/// <summary>
/// Reports the generator's diagnostics the way the editor hands them to code fixes: at their place in the document
/// (the generator reports a file path and span, which the editor maps to the document), message and properties
/// unchanged. The code-fix test library verifies and fixes only diagnostics in a document, so the generator's own
/// copies (reported by path) are left out by <see cref="FixTest{TCodeFix}"/>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class GeneratorDiagnosticsAnalyzer : DiagnosticAnalyzer
{
    private static readonly ImmutableArray<DiagnosticDescriptor> Catalog = typeof(DiagnosticDescriptors)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => field.FieldType == typeof(DiagnosticDescriptor))
        .Select(field => (DiagnosticDescriptor)field.GetValue(null)!)
        .ToImmutableArray();

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => Catalog;

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationAction(Report);
    }

    private static void Report(CompilationAnalysisContext context)
    {
        // The compilation holds the generator's output already (the test runs the generator too): run it over the
        // sources alone, as the build does.
        var compilation = context.Compilation.RemoveSyntaxTrees(
            context.Compilation.SyntaxTrees.Where(tree => tree.FilePath.EndsWith(".g.cs", StringComparison.Ordinal)));
        var parseOptions = (CSharpParseOptions)compilation.SyntaxTrees.First().Options;
        var driver = CSharpGeneratorDriver.Create([new ExperimentGenerator().AsSourceGenerator()], parseOptions: parseOptions,
            optionsProvider: context.Options.AnalyzerConfigOptionsProvider);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out _, out var diagnostics, context.CancellationToken);
        foreach (var diagnostic in diagnostics)
        {
            var tree = compilation.SyntaxTrees.FirstOrDefault(t => t.FilePath == diagnostic.Location.GetLineSpan().Path);
            var location = tree is null ? Location.None : Location.Create(tree, diagnostic.Location.SourceSpan);
            var descriptor = diagnostic.Descriptor;
            context.ReportDiagnostic(Diagnostic.Create(descriptor.Id, descriptor.Category, diagnostic.GetMessage(), diagnostic.Severity,
                descriptor.DefaultSeverity, descriptor.IsEnabledByDefault, diagnostic.WarningLevel, descriptor.Title, descriptor.Description,
                descriptor.HelpLinkUri, location, additionalLocations: null, descriptor.CustomTags, diagnostic.Properties));
        }
    }
}
