using System.Linq;

namespace Experiments.Generators.Model;

/// <summary>
/// An experiment declaration as parsed from source: everything the emitter needs, as plain equatable data.
/// No symbols or syntax nodes, so an edit elsewhere that leaves the declaration alone compares equal and the
/// downstream steps stay cached.
/// </summary>
internal sealed record ExperimentModel(
    string? Namespace,
    string TypeName,
    string Accessibility,
    string Name,
    int Repeats,
    string Objective,
    int Goal,
    double ScoreConstant,
    int Seed,
    int MaxTrials,
    bool RunIsAsync,
    EquatableArray<ParameterModel> Parameters,
    EquatableArray<PairRule> Rules,
    EquatableArray<string> RuleTexts,
    LocationInfo? NameLocation,
    LocationInfo? BudgetLocation,
    SearchModel? Search = null)
{
    public string FullyQualifiedName => Namespace is null ? $"global::{TypeName}" : $"global::{Namespace}.{TypeName}";

    /// <summary>Unique per type in a compilation: the namespace-qualified type name.</summary>
    public string HintName => Namespace is null ? TypeName : $"{Namespace}.{TypeName}";
}

/// <summary>
/// A <c>Search.SuccessiveHalving</c> declaration: the parameter (index in <see cref="ExperimentModel.Parameters"/>, property
/// name) marked <c>[Budget]</c>, whose values are the rung budgets <see cref="Rungs"/>, and η. Null in the model of a grid.
/// </summary>
internal sealed record SearchModel(int BudgetParameter, string BudgetName, int ReductionFactor, EquatableArray<int> Rungs, LocationInfo? Location);

/// <summary>
/// One parameter: the property, its C# type, the key used in ids, and per value the C# literal to emit, the
/// display text used in ids and reports, and the known-set metadata (<c>key=value</c> pairs joined by <c>;</c>).
/// </summary>
internal sealed record ParameterModel(
    string Name,
    string Key,
    string TypeName,
    string Accessibility,
    bool BareInId,
    EquatableArray<string> Literals,
    EquatableArray<string> Displays,
    EquatableArray<string> Metadata);

/// <summary>
/// A combination is removed when parameter <see cref="First"/> has one of <see cref="FirstValues"/> and
/// <see cref="Second"/> has one of <see cref="SecondValues"/> (value indices). Exclusion rules and metadata
/// constraints both compile to this.
/// </summary>
internal sealed record PairRule(int First, EquatableArray<int> FirstValues, int Second, EquatableArray<int> SecondValues);

/// <summary>The matrix as expanded at build time: what the emitter writes and the diagnostics expansion found.</summary>
internal sealed record ExpandedExperiment(
    ExperimentModel Model,
    long RemovedByRules,
    long MatrixSize,
    EquatableArray<DiagnosticInfo> Diagnostics)
{
    /// <summary>Code is emitted only for a matrix without errors.</summary>
    public bool Emit => Diagnostics.All(d => d.Descriptor.DefaultSeverity != Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
}

/// <summary>
/// The parse result of one declaration: a model when it is valid enough to emit, and its diagnostics; for a declaration
/// with errors, the implementation halves of its get-only partial properties (see <see cref="PropertyStubs"/>).
/// </summary>
internal sealed record ParseResult(ExperimentModel? Model, EquatableArray<DiagnosticInfo> Diagnostics, PropertyStubs? Stubs = null);

/// <summary>
/// <c>get => default!</c> halves of a declaration's partial properties, emitted when the declaration has errors so the
/// build shows the EXP errors alone instead of one CS9248 per property next to them: the headers of the containing
/// types (outermost first) and of the type (<c>partial record struct Sweep&lt;T&gt;</c>), the property declarations and a
/// hint name unique per type. Plain strings: equatable.
/// </summary>
internal sealed record PropertyStubs(string? Namespace, EquatableArray<string> Containers, string TypeHeader, EquatableArray<string> Declarations, string HintName);

/// <summary>Project settings read from MSBuild (<c>build_property.*</c>).</summary>
internal sealed record BuildOptions(int DefaultMaxTrials, bool GenerateEntryPoint);
