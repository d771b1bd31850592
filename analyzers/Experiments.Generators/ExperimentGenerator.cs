using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Experiments.Generators.Diagnostics;
using Experiments.Generators.Emitting;
using Experiments.Generators.Matrix;
using Experiments.Generators.Model;
using Experiments.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Experiments.Generators;

/// <summary>
/// Expands every [Experiment] declaration into its typed trial matrix and registers the experiments of the
/// assembly; optionally generates the entry point that runs them.
/// Pipeline: parse (per declaration, equatable model + diagnostics) → expand (count the matrix, check the budget)
/// → emit; and all expanded experiments → catalog (+ entry point).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ExperimentGenerator : IIncrementalGenerator
{
    public const int DefaultMaxTrials = 100_000;

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var options = context.AnalyzerConfigOptionsProvider
            .Select(static (provider, _) => ReadOptions(provider.GlobalOptions))
            .WithTrackingName(TrackingNames.BuildOptions);

        var parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.Experiment,
                // Records, structs and interfaces are matched too, only to be told they are not supported (EXP017)
                // instead of ignored.
                static (node, _) => node is TypeDeclarationSyntax,
                ExperimentParser.Parse)
            .WithTrackingName(TrackingNames.Declarations);

        context.RegisterSourceOutput(parsed, static (output, result) =>
        {
            foreach (var diagnostic in result.Diagnostics)
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
            if (result.Stubs is { } stubs)
            {
                output.AddSource($"{stubs.HintName}.Experiments.g.cs", ExperimentEmitter.EmitStubs(stubs));
            }
        });

        var expanded = parsed
            .Where(static result => result.Model is not null)
            .Select(static (result, _) => result.Model!)
            .WithTrackingName(TrackingNames.Models)
            .Combine(options)
            .Select(static (pair, token) => Expand(pair.Left, pair.Right, token))
            .WithTrackingName(TrackingNames.Expanded);

        context.RegisterSourceOutput(expanded, static (output, experiment) =>
        {
            foreach (var diagnostic in experiment.Diagnostics)
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
            if (experiment.Emit)
            {
                // Namespace-qualified: two experiments may share a class name in different namespaces, and a hint
                // name used twice makes AddSource throw.
                output.AddSource($"{experiment.Model.HintName}.Experiments.g.cs", ExperimentEmitter.Emit(experiment));
            }
            else
            {
                // Only the property halves, so the build shows the EXP errors alone and not one CS9248 ("partial
                // property must have an implementation part") per parameter next to them.
                output.AddSource($"{experiment.Model.HintName}.Experiments.g.cs", ExperimentEmitter.EmitPropertiesOnly(experiment.Model));
            }
        });

        var catalog = expanded
            .Where(static experiment => experiment.Emit)
            .Select(static (experiment, _) => new CatalogEntry(experiment.Model.FullyQualifiedName, experiment.Model.Name, experiment.Model.NameLocation))
            .Collect()
            .Combine(options)
            .WithTrackingName(TrackingNames.Catalog);

        context.RegisterSourceOutput(catalog, static (output, pair) =>
        {
            var (entries, buildOptions) = pair;
            // Names key the store, the artifact folders and the report files: on a case-insensitive file system 'Sweep'
            // and 'sweep' would share them, so they clash too.
            var seen = new Dictionary<string, CatalogEntry>(System.StringComparer.OrdinalIgnoreCase);
            var unique = new List<CatalogEntry>();
            foreach (var entry in entries.OrderBy(e => e.TypeName, System.StringComparer.Ordinal))
            {
                if (seen.TryGetValue(entry.Name, out var first))
                {
                    output.ReportDiagnostic(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateExperimentName, entry.Location,
                        entry.Name, TypeDisplay(entry.TypeName), TypeDisplay(first.TypeName)).ToDiagnostic());
                }
                else
                {
                    seen.Add(entry.Name, entry);
                    unique.Add(entry);
                }
            }
            if (unique.Count > 0 || buildOptions.GenerateEntryPoint)
            {
                output.AddSource("ExperimentCatalog.Experiments.g.cs", CatalogEmitter.Emit(unique, buildOptions.GenerateEntryPoint));
            }
        });
    }

    private static ExpandedExperiment Expand(ExperimentModel model, BuildOptions options, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var diagnostics = new List<DiagnosticInfo>();
        var budget = model.MaxTrials > 0 ? model.MaxTrials : options.DefaultMaxTrials;
        var combinations = MatrixExpander.Product(model.Parameters);
        var unruled = MatrixExpander.Multiply(combinations, model.Repeats);
        if (unruled > budget && (combinations >= MatrixExpander.Saturated || !MatrixExpander.CanCountQuickly(model.Parameters, model.Rules)))
        {
            // Rules can only shrink the matrix, but counting what they remove would take too long (or the product is
            // astronomically large): the product decides. (Within budget the count is bounded by the budget.)
            diagnostics.Add(OverBudget(model, unruled, budget));
            return new ExpandedExperiment(model, 0, unruled, diagnostics.ToEquatableArray());
        }
        var removed = MatrixExpander.CountRemoved(model.Parameters, model.Rules);
        var size = MatrixExpander.Multiply(combinations - removed, model.Repeats);
        if (removed == combinations)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoTrialsLeft, model.NameLocation, model.Name, combinations));
        }
        else if (size > budget)
        {
            diagnostics.Add(OverBudget(model, size, budget));
        }
        else if (model.Search is { } search && MatrixExpander.Configurations(model.Parameters, model.Rules, search.BudgetParameter) is var configurations
                 && configurations < search.ReductionFactor)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TooFewConfigurations, search.Location, model.Name, configurations,
                search.BudgetName, search.ReductionFactor, search.Rungs[0]));
        }
        return new ExpandedExperiment(model, removed, size, diagnostics.ToEquatableArray());
    }

    /// <summary>
    /// EXP009, with the size for the fix that raises <c>MaxTrials</c> to it; only a size that fits <c>MaxTrials</c> (an
    /// int) is attached, so there is no fix for a matrix that no budget can allow.
    /// </summary>
    private static DiagnosticInfo OverBudget(ExperimentModel model, long size, long budget)
    {
        var diagnostic = DiagnosticInfo.Create(DiagnosticDescriptors.OverBudget, model.BudgetLocation, model.Name, size, budget);
        return size <= int.MaxValue
            ? diagnostic.WithProperties((DiagnosticProperties.MatrixSize, size.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            : diagnostic;
    }

    private static string TypeDisplay(string fullyQualifiedName)
        => fullyQualifiedName.StartsWith("global::", System.StringComparison.Ordinal) ? fullyQualifiedName.Substring("global::".Length) : fullyQualifiedName;

    private static BuildOptions ReadOptions(AnalyzerConfigOptions options)
    {
        var maxTrials = options.TryGetValue("build_property.ExperimentsMaxTrials", out var text) && int.TryParse(text, out var parsed) && parsed > 0
            ? parsed
            : DefaultMaxTrials;
        var entryPoint = options.TryGetValue("build_property.ExperimentsGenerateEntryPoint", out var flag)
            && string.Equals(flag, "true", System.StringComparison.OrdinalIgnoreCase);
        return new BuildOptions(maxTrials, entryPoint);
    }
}

/// <summary>Names of the pipeline steps, for incremental-caching tests.</summary>
public static class TrackingNames
{
    public const string BuildOptions = nameof(BuildOptions);
    public const string Declarations = nameof(Declarations);
    public const string Models = nameof(Models);
    public const string Expanded = nameof(Expanded);
    public const string Catalog = nameof(Catalog);
}

/// <summary>One experiment as the catalog lists it.</summary>
internal sealed record CatalogEntry(string TypeName, string Name, LocationInfo? Location);
