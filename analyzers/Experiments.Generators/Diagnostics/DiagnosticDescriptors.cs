using Microsoft.CodeAnalysis;

namespace Experiments.Generators.Diagnostics;

/// <summary>Every diagnostic the generator reports, in one place. Keep AnalyzerReleases.Unshipped.md in step.</summary>
internal static class DiagnosticDescriptors
{
    private const string Declaration = "Experiments.Declaration";
    private const string Values = "Experiments.Values";
    private const string Matrix = "Experiments.Matrix";
    private const string Search = "Experiments.Search";

    /// <summary>
    /// The repository that publishes docs/diagnostics.md, e.g. <c>https://github.com/owner/experiments</c>; empty: the
    /// diagnostics carry no help link. A fork that publishes the docs sets it (see docs/diagnostics.md), and every
    /// diagnostic links to its row there (<c>…/blob/main/docs/diagnostics.md#exp005</c>).
    /// </summary>
    public const string RepositoryUrl = "";

    /// <summary>The help link of diagnostic <paramref name="id"/> for a repository URL; null when the URL is empty.</summary>
    public static string? HelpLinkFor(string id, string repositoryUrl)
        => repositoryUrl.Length == 0 ? null : repositoryUrl.TrimEnd('/') + "/blob/main/docs/diagnostics.md#" + id.ToLowerInvariant();

    private static DiagnosticDescriptor Error(string id, string title, string message, string category)
        => new(id, title, message, category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkFor(id, RepositoryUrl));

    private static DiagnosticDescriptor Warning(string id, string title, string message, string category)
        => new(id, title, message, category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLinkFor(id, RepositoryUrl));

    public static readonly DiagnosticDescriptor TypeNotPartial = Error(
        DiagnosticIds.TypeNotPartial, "Experiment type must be partial",
        "Experiment '{0}' must be declared partial so the generator can add its matrix", Declaration);

    public static readonly DiagnosticDescriptor NoParameters = Error(
        DiagnosticIds.NoParameters, "Experiment has no parameters",
        "Experiment '{0}' declares no parameters: add a partial property with [Values], [Uniform] or [LogUniform]", Declaration);

    public static readonly DiagnosticDescriptor EmptyValues = Error(
        DiagnosticIds.EmptyValues, "Parameter has no values",
        "Parameter '{0}' declares no values: list at least one, e.g. [Values(1, 2)]", Values);

    public static readonly DiagnosticDescriptor DuplicateValue = Error(
        DiagnosticIds.DuplicateValue, "Duplicate parameter value",
        "Parameter '{0}' declares the value {1} more than once: remove the repeat", Values);

    public static readonly DiagnosticDescriptor ValueNotConvertible = Error(
        DiagnosticIds.ValueNotConvertible, "Value does not fit the parameter's type",
        "Value {1} of parameter '{0}' cannot be converted to '{2}': write a value of that type", Values);

    public static readonly DiagnosticDescriptor UnknownValue = Error(
        DiagnosticIds.UnknownValue, "Value is not in the known set",
        "Parameter '{0}': '{1}' is not in {2}{3}", Values);

    public static readonly DiagnosticDescriptor NoTrialsLeft = Error(
        DiagnosticIds.NoTrialsLeft, "Rules exclude every combination",
        "The rules of experiment '{0}' exclude all {1} combinations: loosen or remove an [Exclude] rule", Matrix);

    public static readonly DiagnosticDescriptor InputSizeConstraint = Error(
        DiagnosticIds.InputSizeConstraint, "A value's constraint cannot be met",
        "'{0}' requires {1}={2}, but parameter '{3}' declares only {4}: add {2} to '{3}' or remove '{0}'", Matrix);

    public static readonly DiagnosticDescriptor OverBudget = Error(
        DiagnosticIds.OverBudget, "Matrix exceeds its budget",
        "Experiment '{0}' expands to {1} trials, over its budget of {2} (set MaxTrials, or the ExperimentsMaxTrials property, to allow more)", Matrix);

    public static readonly DiagnosticDescriptor InvalidRepeats = Error(
        DiagnosticIds.InvalidRepeats, "Repeats must be at least 1",
        "Experiment '{0}' has Repeats = {1}; it must be at least 1", Declaration);

    public static readonly DiagnosticDescriptor ObjectiveNotReported = Warning(
        DiagnosticIds.ObjectiveNotReported, "Objective is not a reported metric",
        "Objective '{0}' of experiment '{1}' is not among the metrics it reports ({2}){3}", Matrix);

    public static readonly DiagnosticDescriptor InvalidParameterProperty = Error(
        DiagnosticIds.InvalidParameterProperty, "Parameter property has the wrong shape",
        "Parameter '{0}' must be a non-static partial property with only a getter: 'public partial T {0} {{ get; }}'", Declaration);

    public static readonly DiagnosticDescriptor MissingRunMethod = Error(
        DiagnosticIds.MissingRunMethod, "Experiment has no RunAsync method",
        "Experiment '{0}' needs a method 'Task<TrialResult> RunAsync(TrialContext context)'", Declaration);

    public static readonly DiagnosticDescriptor UnknownRuleParameter = Error(
        DiagnosticIds.UnknownRuleParameter, "Rule names an unknown parameter",
        "Rule names '{0}', which is not a parameter of '{1}' (parameters: {2})", Matrix);

    public static readonly DiagnosticDescriptor RuleNeverApplies = Warning(
        DiagnosticIds.RuleNeverApplies, "Rule matches no declared value",
        "Rule value {1} matches none of the values of parameter '{0}', so the rule never applies: correct the value or remove the rule", Matrix);

    public static readonly DiagnosticDescriptor InvalidDistribution = Error(
        DiagnosticIds.InvalidDistribution, "Invalid distribution",
        "Parameter '{0}': {1}", Values);

    public static readonly DiagnosticDescriptor UnsupportedType = Error(
        DiagnosticIds.UnsupportedType, "Experiment type not supported",
        "Experiment '{0}' cannot be {1}: declare it as a top-level, non-generic class", Declaration);

    public static readonly DiagnosticDescriptor MultipleValueSources = Error(
        DiagnosticIds.MultipleValueSources, "Parameter has more than one value source",
        "Parameter '{0}' has more than one of [Values], [Uniform], [LogUniform]: keep one", Values);

    public static readonly DiagnosticDescriptor NoParameterlessConstructor = Error(
        DiagnosticIds.NoParameterlessConstructor, "Experiment needs a parameterless constructor",
        "Experiment '{0}' needs an accessible parameterless constructor: the runner creates one instance per trial", Declaration);

    public static readonly DiagnosticDescriptor NotAKnownSet = Error(
        DiagnosticIds.NotAKnownSet, "Type is not a known set",
        "'{0}' is not a known set: mark it [KnownValues] and its const string fields [KnownValue]", Values);

    public static readonly DiagnosticDescriptor DuplicateExperimentName = Error(
        DiagnosticIds.DuplicateExperimentName, "Duplicate experiment name",
        "Experiment '{1}' has the name '{0}', which '{2}' already uses in this assembly (names are compared ignoring case): give one of them another name with [Experiment(Name = \"...\")]", Declaration);

    public static readonly DiagnosticDescriptor ReservedMemberName = Error(
        DiagnosticIds.ReservedMemberName, "Member name is reserved for generated code",
        "'{0}' is a member the generator adds to experiment '{1}': rename it", Declaration);

    public static readonly DiagnosticDescriptor UndefinedEnumValue = Error(
        DiagnosticIds.UndefinedEnumValue, "Value is not a member of its enum",
        "Value {1} of parameter '{0}' is not a member of enum '{2}': use one of its members ({3})", Values);

    public static readonly DiagnosticDescriptor DuplicateParameterKey = Error(
        DiagnosticIds.DuplicateParameterKey, "Two parameters have the same key",
        "Parameter '{0}' has the key '{1}', which parameter '{2}' already has (keys are compared ignoring case, in ids and filters): give one of them another key with [Values(..., Key = \"...\")]", Declaration);

    public static readonly DiagnosticDescriptor NotUsableInId = Error(
        DiagnosticIds.NotUsableInId, "Value or key cannot be part of a trial id",
        "{0} of parameter '{1}' cannot be part of a trial id: {2}", Values);

    public static readonly DiagnosticDescriptor UnsupportedParameterType = Error(
        DiagnosticIds.UnsupportedParameterType, "Parameter type not supported",
        "Parameter '{0}' has type '{1}', which a parameter cannot have{2}: use string, bool, char, an integer type, float, double, decimal or an enum", Values);

    public static readonly DiagnosticDescriptor InvalidExperimentName = Error(
        DiagnosticIds.InvalidExperimentName, "Experiment name is not a valid folder name",
        "Experiment '{0}' has the name {1}, which cannot be a folder name: {2}; the store, the artifact folders and the reports are named after it, so use letters, digits, '-', '_' and '.'", Declaration);

    public static readonly DiagnosticDescriptor MissingBudget = Error(
        DiagnosticIds.MissingBudget, "Successive halving needs a [Budget] parameter",
        "Experiment '{0}' searches by successive halving but no property has [Budget]: mark the int parameter that is the budget (epochs, steps), e.g. '[Budget(1, 27)] public partial int Epochs {{ get; }}'", Search);

    public static readonly DiagnosticDescriptor MultipleBudgets = Error(
        DiagnosticIds.MultipleBudgets, "More than one [Budget] parameter",
        "Parameter '{0}' has [Budget], which '{1}' already has: successive halving spends one budget; give '{0}' [Values] instead", Search);

    public static readonly DiagnosticDescriptor BudgetNotInt = Error(
        DiagnosticIds.BudgetNotInt, "[Budget] parameter is not an int",
        "Budget parameter '{0}' has type '{1}': a [Budget] property must be an int (epochs, steps, images)", Search);

    public static readonly DiagnosticDescriptor BudgetWithValues = Error(
        DiagnosticIds.BudgetWithValues, "[Budget] parameter with a values attribute",
        "Parameter '{0}' has [Budget] and [{1}]: a budget's values are its rungs, laid out from Min, Max and the ReductionFactor; remove [{1}]", Search);

    public static readonly DiagnosticDescriptor InvalidBudgetRange = Error(
        DiagnosticIds.InvalidBudgetRange, "Invalid budget range",
        "Budget parameter '{0}': {1}", Search);

    public static readonly DiagnosticDescriptor InvalidReductionFactor = Error(
        DiagnosticIds.InvalidReductionFactor, "ReductionFactor must be at least 2",
        "Experiment '{0}' has ReductionFactor = {1}; successive halving keeps the top 1/ReductionFactor at each rung, so it must be at least 2 (3 by default)", Search);

    public static readonly DiagnosticDescriptor BudgetInGrid = Error(
        DiagnosticIds.BudgetInGrid, "[Budget] in a grid experiment",
        "Parameter '{0}' has [Budget], but experiment '{1}' is a grid: set Search = Search.SuccessiveHalving on [Experiment], or give '{0}' the budgets to run with [Values], e.g. [Values({2})]", Search);

    public static readonly DiagnosticDescriptor ReductionFactorInGrid = Warning(
        DiagnosticIds.ReductionFactorInGrid, "ReductionFactor in a grid experiment is ignored",
        "ReductionFactor = {1} of experiment '{0}' is ignored: it applies only to Search = Search.SuccessiveHalving", Search);

    public static readonly DiagnosticDescriptor BudgetNotGeometric = Warning(
        DiagnosticIds.BudgetNotGeometric, "Top rung is not ReductionFactor times the one below",
        "Budget parameter '{0}': Max {1} is not Min {2} times a power of ReductionFactor {3}, so the top rung is not {3} times the one below: rungs {4}{5}", Search);

    public static readonly DiagnosticDescriptor TooFewConfigurations = Warning(
        DiagnosticIds.TooFewConfigurations, "Too few configurations to promote any",
        "Experiment '{0}' has {1} configuration(s) (combinations of the parameters other than '{2}', after the rules), fewer than ReductionFactor = {3}: successive halving promotes the top 1/{3} of a rung, so none would ever run above the first rung ({2}={4})", Search);
}
